import { createHash, randomUUID } from "node:crypto";
import { access, constants, readFile, realpath, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { privateCacheDir } from "../native/private-cache.js";
import { runCollect } from "./runner.js";
import { ExtractionError } from "../types.js";

export interface FfmpegBinaries {
  readonly ffmpegPath: string;
  readonly ffprobePath: string;
  /** `ffmpeg -version`'s version word, e.g. "5.1.9-0+deb12u1". */
  readonly version: string;
  readonly source: "env" | "path" | "bundled";
  /** True for builds older than 5.0 (e.g. the 2018 static build of @ffmpeg-installer): fine as a fallback, not for untrusted input. */
  readonly outdated: boolean;
}

type Located = Pick<FfmpegBinaries, "ffmpegPath" | "ffprobePath" | "source">;

const memo = new WeakMap<NodeJS.ProcessEnv, Promise<FfmpegBinaries>>();
const located = new WeakMap<NodeJS.ProcessEnv, Promise<Located>>();

/**
 * Finds ffmpeg and ffprobe: FFMPEG_PATH/FFPROBE_PATH, then PATH, then the optional installer packages.
 * Memoized per env object, so a process asks once.
 */
export function resolveFfmpeg(env: NodeJS.ProcessEnv = process.env): Promise<FfmpegBinaries> {
  let found = memo.get(env);
  if (!found) {
    found = locateBinaries(env).then((b) => withVersion(b.ffmpegPath, b.ffprobePath, b.source, env));
    memo.set(env, found);
    found.catch(() => memo.delete(env));
  }
  return found;
}

/**
 * ffprobe's path alone, without waiting for `ffmpeg -version` (which it starts meanwhile): a probe
 * needs no more, and a small job's start-up then runs the two side by side.
 */
export async function resolveFfprobe(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  resolveFfmpeg(env).catch(() => undefined);
  return (await locateBinaries(env)).ffprobePath;
}

function locateBinaries(env: NodeJS.ProcessEnv): Promise<Located> {
  let found = located.get(env);
  if (!found) {
    found = locate(env);
    located.set(env, found);
    found.catch(() => located.delete(env));
  }
  return found;
}

async function locate(env: NodeJS.ProcessEnv): Promise<Located> {
  const fromPath = async (name: string): Promise<string | null> => {
    for (const dir of (env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
      const candidate = path.join(dir, name);
      if (await isExecutable(candidate)) return candidate;
    }
    return null;
  };

  if (env.FFMPEG_PATH) {
    const ffprobePath = env.FFPROBE_PATH ?? (await sibling(env.FFMPEG_PATH, "ffprobe")) ?? (await fromPath("ffprobe"));
    if (!ffprobePath) throw notFound("FFMPEG_PATH is set but no ffprobe was found; set FFPROBE_PATH too.");
    return { ffmpegPath: env.FFMPEG_PATH, ffprobePath, source: "env" };
  }
  const ffmpegOnPath = await fromPath("ffmpeg");
  const ffprobeOnPath = env.FFPROBE_PATH ?? (await fromPath("ffprobe"));
  if (ffmpegOnPath && ffprobeOnPath) return { ffmpegPath: ffmpegOnPath, ffprobePath: ffprobeOnPath, source: "path" };

  const bundled = await loadBundled();
  if (bundled) return { ffmpegPath: bundled.ffmpeg, ffprobePath: bundled.ffprobe, source: "bundled" };
  throw notFound("ffmpeg was not found: install it (apt-get install ffmpeg) or set FFMPEG_PATH and FFPROBE_PATH.");
}

async function withVersion(
  ffmpegPath: string,
  ffprobePath: string,
  source: FfmpegBinaries["source"],
  env: NodeJS.ProcessEnv,
): Promise<FfmpegBinaries> {
  const banner = await versionLine(ffmpegPath, env);
  const version = parseVersion(banner);
  return { ffmpegPath, ffprobePath, version, source, outdated: isOutdated(version, copyrightYear(banner)) };
}

/**
 * `ffmpeg -version`'s first line, cached per binary (its real path, size and mtime: an upgrade is a
 * new key): starting Debian's ffmpeg links some 200 libraries, 0.06 s of CPU a CLI job paid each time.
 */
async function versionLine(ffmpegPath: string, env: NodeJS.ProcessEnv): Promise<string> {
  const cached = await versionCacheFile(ffmpegPath, env);
  if (cached) {
    const line = await readFile(cached, "utf8").catch(() => null);
    if (line?.startsWith("ffmpeg version")) return line;
  }
  const { stdout } = await runCollect({ command: ffmpegPath, args: ["-hide_banner", "-version"], timeoutSeconds: 20 });
  const line = stdout.split("\n", 1)[0] ?? "";
  if (cached && line.startsWith("ffmpeg version")) {
    // Written beside, then renamed: a process reading at the same time sees the whole line or none.
    const partial = `${cached}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
    await writeFile(partial, line)
      .then(() => rename(partial, cached))
      .catch(() => rm(partial, { force: true }));
  }
  return line;
}

async function versionCacheFile(ffmpegPath: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  try {
    const real = await realpath(ffmpegPath);
    const st = await stat(real);
    const dir = await privateCacheDir(env);
    if (!dir) return null;
    const key = createHash("sha256").update(`${real}\0${st.size}\0${st.mtimeMs}\0${st.ino}`).digest("hex");
    return path.join(dir, `ffmpeg-version-${key.slice(0, 16)}`);
  } catch {
    return null;
  }
}

export const parseVersion = (versionOutput: string): string =>
  /ffmpeg version (\S+)/.exec(versionOutput)?.[1] ?? "unknown";

/** The last year of `Copyright (c) 2000-2018`: dates a git snapshot build that has no release number. */
export const copyrightYear = (versionOutput: string): number | null => {
  const y = /Copyright \(c\) \d{4}-(\d{4})/.exec(versionOutput)?.[1];
  return y ? Number(y) : null;
};

/** Releases below 5.0 are outdated; a git snapshot ("N-12345-g...") is judged by its year (5.0 came out in 2022). */
export function isOutdated(version: string, year: number | null = null): boolean {
  const major = /^n?(\d+)\./.exec(version)?.[1];
  if (major !== undefined) return Number(major) < 5;
  return year !== null && year < 2022;
}

async function isExecutable(p: string): Promise<boolean> {
  try {
    await access(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function sibling(ffmpegPath: string, name: string): Promise<string | null> {
  const candidate = path.join(path.dirname(ffmpegPath), name);
  return (await isExecutable(candidate)) ? candidate : null;
}

async function loadBundled(): Promise<{ ffmpeg: string; ffprobe: string } | null> {
  try {
    // Optional dependencies: absent on some installs, hence the dynamic import by variable name.
    const ffmpegPkg = "@ffmpeg-installer/ffmpeg";
    const ffprobePkg = "@ffprobe-installer/ffprobe";
    const [a, b] = (await Promise.all([import(ffmpegPkg), import(ffprobePkg)])) as [PathModule, PathModule];
    const ffmpeg = a.path ?? a.default?.path;
    const ffprobe = b.path ?? b.default?.path;
    if (!ffmpeg || !ffprobe || !(await isExecutable(ffmpeg)) || !(await isExecutable(ffprobe))) return null;
    return { ffmpeg, ffprobe };
  } catch {
    return null;
  }
}

interface PathModule {
  readonly path?: string;
  readonly default?: { readonly path?: string };
}

const notFound = (message: string): ExtractionError => new ExtractionError("INTERNAL", message, false);
