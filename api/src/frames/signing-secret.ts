import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/**
 * The HMAC key of frame URLs: VP_URL_SIGNING_SECRET when set (every API pod must share it: on AWS
 * it comes from Secrets Manager), else a random key made once under the data dir and kept, so one
 * machine's URLs survive restarts and are shared by every process using that dir.
 */
export async function frameUrlSecret(settings: {
  readonly VP_URL_SIGNING_SECRET?: string | undefined;
  readonly dataDir: string;
}): Promise<Uint8Array> {
  if (settings.VP_URL_SIGNING_SECRET !== undefined) return Buffer.from(settings.VP_URL_SIGNING_SECRET, "utf8");
  const path = join(settings.dataDir, "keys", "frame-url-signing.key");
  try {
    return await readFile(path);
  } catch {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(temp, randomBytes(32), { mode: 0o600, flag: "wx" });
    // `link` fails when the name exists: if another process won the race, its key is the one to use.
    await link(temp, path).catch(() => undefined);
    await unlink(temp);
    await chmod(path, 0o600);
    return readFile(path);
  }
}
