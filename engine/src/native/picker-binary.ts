import { execFile } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { access, constants, mkdir, mkdtemp, readFile, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { privateCacheDir } from "./private-cache.js";

const exec = promisify(execFile);

/**
 * Where the picker's C source may be: named by VP_PICKER_SOURCE (the CLI's cached bundle sets it),
 * in the engine's source tree, or beside a service bundle (`npm run build` copies it to dist/native/).
 */
export const pickerSources = (env: NodeJS.ProcessEnv): string[] => [
  ...(env.VP_PICKER_SOURCE ? [env.VP_PICKER_SOURCE] : []),
  fileURLToPath(new URL("../../native/pick-frames.c", import.meta.url)),
  fileURLToPath(new URL("./native/pick-frames.c", import.meta.url)),
];
const LIBRARIES = ["libavformat", "libavcodec", "libavutil"];

const memo = new WeakMap<NodeJS.ProcessEnv, Promise<string | null>>();

/**
 * The frame picker (engine/native/pick-frames.c), or null when there is none: the engine then uses
 * the ffmpeg command line alone, slower, with the same answers.
 *
 * VP_FRAME_PICKER names a built one (the worker image compiles it at build time), or `off`.
 * Otherwise it is compiled once against the libav* development files of this machine (pkg-config),
 * into the engine's private cache (private-cache.ts), keyed by the source and the libraries' flags,
 * so a changed source or an upgraded ffmpeg builds anew; without a cache that is safe to run from,
 * into a fresh folder of this process's. Memoized per env object.
 */
export function resolvePicker(env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  let found = memo.get(env);
  if (!found) {
    found = locate(env).catch(() => null);
    memo.set(env, found);
  }
  return found;
}

async function locate(env: NodeJS.ProcessEnv): Promise<string | null> {
  const named = env.VP_FRAME_PICKER;
  if (named === "off") return null;
  if (named) {
    await access(named, constants.X_OK);
    return named;
  }
  for (const file of pickerSources(env)) {
    try {
      await access(file, constants.R_OK);
    } catch {
      continue;
    }
    const cache = (await privateCacheDir(env)) ?? (await mkdtemp(path.join(tmpdir(), "vproc-native-")));
    return compilePicker(file, cache, env.CC || "cc");
  }
  return null;
}

/** Compiles the picker from `sourceFile` into `cacheDir` unless that build is there already; its path. */
export async function compilePicker(sourceFile: string, cacheDir: string, cc = "cc"): Promise<string> {
  const source = await readFile(sourceFile);
  const { stdout: flags } = await exec("pkg-config", ["--cflags", "--libs", ...LIBRARIES], { timeout: 10_000 });
  const key = createHash("sha256").update(source).update(flags).digest("hex").slice(0, 16);
  const binary = path.join(cacheDir, `pick-frames-${key}`);
  try {
    await access(binary, constants.X_OK);
    return binary;
  } catch {
    // Not built yet.
  }
  await mkdir(cacheDir, { recursive: true });
  // Built beside, then renamed: processes compiling at once never run a half-written binary.
  const partial = `${binary}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  try {
    await exec(cc, ["-O2", "-o", partial, sourceFile, ...flags.trim().split(/\s+/)], { timeout: 120_000 });
    await rename(partial, binary);
  } finally {
    await rm(partial, { force: true });
  }
  return binary;
}
