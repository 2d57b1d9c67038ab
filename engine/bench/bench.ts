/**
 * `npm run bench [-- --smoke]`: vproc extract (the engine, no server) against the usual recipe
 * (`ffmpeg -vf fps=... frame_%04d.jpg` at the same JPEG quality, then `zip -0`), same run, same video.
 * Prints wall-time ratios and peak resident memory (Node process, each ffmpeg child).
 * The video is generated once into worker/.bench/ (gitignored).
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { jpegQscale } from "../src/ffmpeg/args.js";

const exec = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const cacheDir = path.resolve(here, "../.bench");
const smoke = process.argv.includes("--smoke");
/** `--repeat N`: run each side N times, alternating, and keep the fastest (the machine is shared). */
const repeat = Math.max(1, Number(process.argv[process.argv.indexOf("--repeat") + 1]) || 1);
const QUALITY = 85;

interface Video {
  readonly file: string;
  readonly seconds: number;
}

async function video(): Promise<Video> {
  const seconds = smoke ? 20 : 600;
  mkdirSync(cacheDir, { recursive: true });
  const file = path.join(cacheDir, `testsrc2-${seconds}s-1280x720-30fps-g240.mp4`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${path.relative(root, file)} (once; cached)...\n`);
    const tmp = `${file}.tmp.mp4`;
    await exec("ffmpeg", [
      "-v",
      "error",
      "-y",
      "-f",
      "lavfi",
      "-i",
      `testsrc2=size=1280x720:rate=30:duration=${seconds}`,
      "-c:v",
      "libx264",
      "-preset",
      "veryfast",
      "-pix_fmt",
      "yuv420p",
      "-g",
      "240",
      "-keyint_min",
      "240",
      "-sc_threshold",
      "0",
      "-movflags",
      "+faststart",
      tmp,
    ]);
    renameSync(tmp, file);
  }
  return { file, seconds };
}

interface Measured {
  readonly seconds: number;
  /** User + system CPU seconds of the process and all its children (load-independent). */
  readonly cpuSeconds: number;
  /** Peak RSS (MiB) of the top process and of the largest ffmpeg child seen. */
  readonly topPeakMiB: number;
  readonly ffmpegPeakMiB: number;
  readonly stdout: string;
}

/** Peak RSS from /proc: VmHWM of the process and of every ffmpeg descendant, sampled every 20 ms. */
function measure(command: string, args: string[], cwd = root): Promise<Measured> {
  const timeFile = path.join(cacheDir, `time-${process.pid}.txt`);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // /usr/bin/time reports CPU time including every reaped child (the ffmpeg processes).
    const child = spawn("/usr/bin/time", ["-f", "%U %S", "-o", timeFile, command, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
      cwd,
    });
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    let top = 0;
    let ff = 0;
    const hwm = (pid: number): number => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
        return m ? Number(m[1]) / 1024 : 0;
      } catch {
        return 0;
      }
    };
    const descendants = (pid: number): number[] => {
      const kids: number[] = [];
      for (const d of readdirSync("/proc")) {
        if (!/^\d+$/.test(d)) continue;
        try {
          const stat = readFileSync(`/proc/${d}/stat`, "utf8");
          const ppid = Number(/^\d+ \(.*\) \S+ (\d+)/.exec(stat)?.[1]);
          if (ppid === pid) kids.push(Number(d), ...descendants(Number(d)));
        } catch {
          // exited meanwhile
        }
      }
      return kids;
    };
    const comm = (pid: number): string => {
      try {
        return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      } catch {
        return "";
      }
    };
    const poll = setInterval(() => {
      if (child.pid === undefined) return;
      for (const k of descendants(child.pid)) {
        const name = comm(k);
        if (name === "ffmpeg") ff = Math.max(ff, hwm(k));
        else if (name === "node" || name === "MainThread") top = Math.max(top, hwm(k));
      }
    }, 20);
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(poll);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`${command} ${args.join(" ")} exited ${code}`));
      const [user, sys] = readFileSync(timeFile, "utf8").trim().split(/\s+/).slice(-2).map(Number);
      rmSync(timeFile, { force: true });
      resolve({ seconds, cpuSeconds: (user ?? 0) + (sys ?? 0), topPeakMiB: top, ffmpegPeakMiB: ff, stdout });
    });
  });
}

interface Case {
  readonly name: string;
  readonly vproc: string[];
  /** fps filter rate for the reference recipe. */
  readonly fps: string;
  readonly target: number;
}

async function main(): Promise<void> {
  const v = await video();
  const work = path.join(cacheDir, `run-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const cases: Case[] = [
    { name: "every 1 s", vproc: ["--every", "1"], fps: "1", target: 0.85 },
    { name: "every 10 s", vproc: ["--every", "10"], fps: "1/10", target: 0.5 },
    { name: "20 evenly spaced", vproc: ["--count", "20"], fps: `20/${v.seconds}`, target: 0.15 },
  ];
  const rows: string[][] = [];
  const bin = path.join(root, "client/bin/vproc.js");
  try {
    for (const c of cases) {
      const ours = path.join(work, "ours.zip");
      type Ref = { seconds: number; cpuSeconds: number; ffmpegPeakMiB: number; frames: number };
      const runs: { mine: Measured[]; ref: Ref[] } = { mine: [], ref: [] };
      for (let r = 0; r < repeat; r++) {
        const m = await measure(process.execPath, [
          bin,
          "extract",
          v.file,
          ...c.vproc,
          "--quality",
          String(QUALITY),
          "--json",
          "-o",
          ours,
        ]);
        runs.mine.push(m);
        const framesDir = path.join(work, "frames");
        mkdirSync(framesDir, { recursive: true });
        const f = await measure("ffmpeg", [
          "-v",
          "error",
          "-nostdin",
          "-i",
          v.file,
          "-vf",
          `fps=${c.fps}`,
          "-q:v",
          String(jpegQscale(QUALITY)),
          path.join(framesDir, "frame_%04d.jpg"),
        ]);
        const frames = readdirSync(framesDir).length;
        const z = await measure("zip", ["-0", "-q", "-r", path.join(work, "ref.zip"), "."], framesDir);
        rmSync(framesDir, { recursive: true, force: true });
        rmSync(path.join(work, "ref.zip"), { force: true });
        const total = {
          seconds: f.seconds + z.seconds,
          cpuSeconds: f.cpuSeconds + z.cpuSeconds,
          ffmpegPeakMiB: f.ffmpegPeakMiB,
          frames,
        };
        runs.ref.push(total);
      }
      // Fastest run for time, highest peak over all runs for memory.
      const fastest = <T extends { seconds: number }>(xs: T[]): T =>
        xs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
      const mine: Measured = {
        ...fastest(runs.mine),
        topPeakMiB: Math.max(...runs.mine.map((m) => m.topPeakMiB)),
        ffmpegPeakMiB: Math.max(...runs.mine.map((m) => m.ffmpegPeakMiB)),
      };
      const ref: Ref = { ...fastest(runs.ref), ffmpegPeakMiB: Math.max(...runs.ref.map((m) => m.ffmpegPeakMiB)) };
      const result = JSON.parse(mine.stdout) as { frameCount: number; strategy: string };
      const refFrames = ref.frames;
      const refSeconds = ref.seconds;
      const ratio = mine.seconds / refSeconds;
      rows.push([
        c.name,
        result.strategy,
        `${result.frameCount} / ${refFrames}`,
        mine.seconds.toFixed(2),
        refSeconds.toFixed(2),
        `${ratio.toFixed(2)}x`,
        `${mine.cpuSeconds.toFixed(1)} / ${ref.cpuSeconds.toFixed(1)}`,
        smoke ? "n/a (smoke)" : `<= ${c.target}x ${ratio <= c.target ? "ok" : "MISSED"}`,
        mine.topPeakMiB.toFixed(0),
        mine.ffmpegPeakMiB.toFixed(0),
        ref.ffmpegPeakMiB.toFixed(0),
        (statSync(ours).size / 1024 / 1024).toFixed(1),
      ]);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const head = [
    "case",
    "strategy",
    "frames (ours/ref)",
    "vproc s",
    "ref s",
    "ratio",
    "cpu s (ours/ref)",
    "target",
    "node MiB",
    "ffmpeg MiB",
    "ref ffmpeg MiB",
    "zip MiB",
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]): string => r.map((x, i) => x.padEnd(widths[i] as number)).join("  ");
  console.log(
    `\nload average at the end: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")} (other work on the machine inflates wall times; CPU seconds do not)`,
  );
  console.log(
    `video: ${path.relative(root, v.file)} (${v.seconds} s, 1280x720, 30 fps, keyframe every 8 s), JPEG quality ${QUALITY}, ${availableParallelism()} cores`,
  );
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  console.log("peak memory targets: node <= 150 MiB, each ffmpeg child <= 120 MiB");
}

await main();
