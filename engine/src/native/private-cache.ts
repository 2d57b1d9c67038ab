import { lstat, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * The engine's cache folder (the compiled frame picker, each ffmpeg's version): VP_NATIVE_CACHE, or
 * `<tmp>/vproc-native-<uid>`. What is read from it is executed or trusted, so it is used only when
 * it is a real folder of this user's that nobody else can write; otherwise the caller runs uncached.
 */
export async function privateCacheDir(env: NodeJS.ProcessEnv): Promise<string | null> {
  const uid = process.getuid?.();
  const dir = env.VP_NATIVE_CACHE || path.join(tmpdir(), `vproc-native-${uid ?? "user"}`);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const st = await lstat(dir);
    if (!st.isDirectory()) return null;
    if (uid !== undefined && st.uid !== uid) return null;
    // Group- or world-writable: another user could plant a binary or a version there.
    if ((st.mode & 0o022) !== 0) return null;
    return dir;
  } catch {
    return null;
  }
}
