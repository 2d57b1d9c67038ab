import { access } from "node:fs/promises";
import { runCollect } from "../ffmpeg/runner.js";
import { ExtractionError } from "../types.js";

/** Where Debian's fonts-dejavu-core puts it (the worker image and CI install it). */
export const DEJAVU_SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/**
 * The font the contact sheet's text is drawn with: VP_FONT_FILE, then DejaVu Sans where Debian puts
 * it, then whatever fontconfig matches "DejaVu Sans". Found once per process.
 */
let found: Promise<string> | undefined;
export function findFont(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  found ??= locate(env);
  found.catch(() => (found = undefined));
  return found;
}

async function locate(env: NodeJS.ProcessEnv): Promise<string> {
  for (const p of [env["VP_FONT_FILE"], DEJAVU_SANS]) {
    if (!p) continue;
    try {
      await access(p);
      return p;
    } catch {
      // try the next place
    }
  }
  try {
    const { stdout } = await runCollect({
      command: "fc-match",
      args: ["-f", "%{file}", "DejaVu Sans"],
      timeoutSeconds: 10,
    });
    if (stdout.trim()) return stdout.trim();
  } catch {
    // no fontconfig
  }
  throw new ExtractionError(
    "INTERNAL",
    "No font for the contact sheet's text: install fonts-dejavu-core (Debian) or set VP_FONT_FILE.",
    false,
  );
}
