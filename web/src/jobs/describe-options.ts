import type { WebJobFragment } from "../generated/graphql.js";

type Options = WebJobFragment["options"];

const seconds = (n: number): string => `${n} s`;

function describeMode(o: Options): string {
  switch (o.mode) {
    case "INTERVAL":
      return `a frame every ${o.intervalSeconds ?? 1} s`;
    case "COUNT":
      return `${o.count} frames spread evenly`;
    case "BEST":
      return `${o.count} best thumbnails`;
    case "TIMESTAMPS":
      return `frames at ${(o.timestamps ?? []).map((t) => (o.timestampUnit === "PERCENT" ? `${t}%` : seconds(t))).join(", ")}`;
    case "KEYFRAMES":
      return "keyframes";
    case "SCENES":
      return `scene changes (threshold ${o.sceneThreshold ?? 0.3})`;
  }
}

/** The previews asked for, in the CLI's words: "storyboard, contact sheet, animated preview (WebP + GIF, 12-18 s)". */
export function describePreviews(o: Options): string[] {
  const out: string[] = [];
  if (o.storyboard)
    out.push(
      o.storyboard.intervalSeconds != null
        ? `storyboard (a tile every ${o.storyboard.intervalSeconds} s)`
        : "storyboard",
    );
  if (o.contactSheet) out.push(`contact sheet (${o.contactSheet.count} frames)`);
  if (o.animated) {
    const a = o.animated;
    const what = [
      a.gif ? "WebP + GIF" : "",
      a.fromSeconds != null && a.toSeconds != null ? `${a.fromSeconds}-${a.toSeconds} s` : "",
    ]
      .filter(Boolean)
      .join(", ");
    out.push(what ? `animated preview (${what})` : "animated preview");
  }
  return out;
}

/** One line for a job row: "4 frames spread evenly; JPEG quality 85; with storyboard, contact sheet (16 frames)". */
export function describeOptions(o: Options): string {
  const previews = describePreviews(o);
  if (!o.includeFrames) return previews.length > 0 ? `previews only: ${previews.join(", ")}` : "no frames";
  const size = o.width || o.height ? `, ${o.width ?? "auto"}×${o.height ?? "auto"}` : "";
  const frames = `${describeMode(o)}; ${o.format} quality ${o.quality}${size}`;
  return previews.length > 0 ? `${frames}; with ${previews.join(", ")}` : frames;
}
