/**
 * `npm run bench -- --previews` (or `node --import tsx engine/bench/previews-bench.ts [--smoke]`):
 * what each preview costs against the usual recipe on the same video (the bench video of
 * bench.ts: 10 min, 1280x720, 30 fps, a keyframe every 8 s): the recipe decodes every frame
 * (`ffmpeg -i in -vf fps=1 frame_%04d.jpg`), and so does a bare decode (`ffmpeg -i in -f null -`).
 * Wall and CPU seconds include every child process (/usr/bin/time); peak memory is the largest
 * process's. vproc's side includes Node's start-up (about 0.5 s).
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const exec = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const cacheDir = path.resolve(here, "../.bench");

interface Measured {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakMiB: number;
  readonly stdout: string;
}

function measure(command: string, args: string[]): Promise<Measured> {
  const timeFile = path.join(cacheDir, `ptime-${process.pid}.txt`);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn("/usr/bin/time", ["-f", "%U %S %M", "-o", timeFile, command, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
      cwd: root,
    });
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`${command} ${args.join(" ")} exited ${code}`));
      const [user, sys, kib] = readFileSync(timeFile, "utf8").trim().split(/\s+/).slice(-3).map(Number);
      rmSync(timeFile, { force: true });
      resolve({ seconds, cpuSeconds: (user ?? 0) + (sys ?? 0), peakMiB: (kib ?? 0) / 1024, stdout });
    });
  });
}

/** The bench video, made the way bench.ts makes it (and shared with it through the cache). */
async function benchVideo(seconds: number): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const file = path.join(cacheDir, `testsrc2-${seconds}s-1280x720-30fps-g240.mp4`);
  if (existsSync(file)) return file;
  process.stderr.write(`generating ${path.relative(root, file)} (once; cached)...\n`);
  const tmp = `${file}.tmp.mp4`;
  await exec("ffmpeg", [
    ...["-v", "error", "-y", "-f", "lavfi", "-i", `testsrc2=size=1280x720:rate=30:duration=${seconds}`],
    ...["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", "240", "-keyint_min", "240"],
    ...["-sc_threshold", "0", "-movflags", "+faststart", tmp],
  ]);
  const { rename } = await import("node:fs/promises");
  await rename(tmp, file);
  return file;
}

export async function benchPreviews(opts: { smoke: boolean; repeat: number }): Promise<void> {
  const seconds = opts.smoke ? 20 : 600;
  const video = await benchVideo(seconds);
  const work = path.join(cacheDir, `previews-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const bin = path.join(root, "client/bin/vproc.js");
  const fastest = async (run: () => Promise<Measured>): Promise<Measured> => {
    const runs: Measured[] = [];
    for (let i = 0; i < opts.repeat; i++) runs.push(await run());
    const best = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    return { ...best, peakMiB: Math.max(...runs.map((r) => r.peakMiB)) };
  };
  try {
    const recipe = await fastest(async () => {
      const frames = path.join(work, "frames");
      mkdirSync(frames, { recursive: true });
      const m = await measure("ffmpeg", [
        "-v",
        "error",
        "-nostdin",
        "-i",
        video,
        "-vf",
        "fps=1",
        "-q:v",
        "6",
        path.join(frames, "frame_%04d.jpg"),
      ]);
      rmSync(frames, { recursive: true, force: true });
      return m;
    });
    const decode = await fastest(() => measure("ffmpeg", ["-v", "error", "-nostdin", "-i", video, "-f", "null", "-"]));
    const cases: { name: string; flags: string[] }[] = [
      { name: "storyboard (a tile per 5 s, 160 px)", flags: ["--storyboard"] },
      { name: "contact sheet (16 frames)", flags: ["--contact-sheet"] },
      { name: "best 6 thumbnails", flags: ["--best", "6"] },
      { name: "animated WebP (5 x 1 s)", flags: ["--animated"] },
      { name: "all four in one job", flags: ["--best", "6", "--storyboard", "--contact-sheet", "--animated"] },
    ];
    const rows: string[][] = [];
    const row = (name: string, m: Measured, extra: string): string[] => [
      name,
      m.seconds.toFixed(2),
      m.cpuSeconds.toFixed(1),
      `${(m.seconds / recipe.seconds).toFixed(2)}x`,
      `${(m.cpuSeconds / recipe.cpuSeconds).toFixed(2)}x`,
      m.peakMiB.toFixed(0),
      extra,
    ];
    rows.push(row("recipe: -vf fps=1 frame_%04d.jpg", recipe, "every frame decoded"));
    rows.push(row("bare decode: -f null", decode, "every frame decoded"));
    for (const c of cases) {
      const out = path.join(work, "out.zip");
      const m = await fastest(() =>
        measure(process.execPath, [bin, "extract", video, ...c.flags, "--json", "-o", out]),
      );
      const r = JSON.parse(m.stdout) as { strategy: string; frameCount: number };
      rows.push(row(c.name, m, `${r.strategy}, ${r.frameCount} frames`));
    }
    const head = ["case", "wall s", "cpu s", "wall vs recipe", "cpu vs recipe", "peak MiB", "notes"];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (r: string[]): string => r.map((x, i) => x.padEnd(widths[i] as number)).join("  ");
    console.log(
      `\npreviews: ${path.relative(root, video)} (${seconds} s, 1280x720, 30 fps, keyframe every 8 s), ${availableParallelism()} cores, load ${loadavg()
        .map((x) => x.toFixed(1))
        .join(" ")}, fastest of ${opts.repeat}`,
    );
    console.log(line(head));
    for (const r of rows) console.log(line(r));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  await benchPreviews({
    smoke: process.argv.includes("--smoke"),
    repeat: Math.max(1, Number(process.argv[process.argv.indexOf("--repeat") + 1]) || 1),
  });
