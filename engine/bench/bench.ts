/**
 * `npm run bench [-- --smoke] [-- --repeat N] [-- --kinds a,b] [-- --cases sparse|dense|NAME] [-- --cli]`: vproc extract (the engine, no
 * server) against the usual recipe (`ffmpeg -vf fps=... frame_%04d.jpg` at the same JPEG quality,
 * then `zip -0`; for explicit times one `ffmpeg -ss t -frames:v 1` each), same run, same video, and
 * against the GOP-aware floor: the frames that must be decoded (for each keyframe interval holding
 * targets, from its keyframe to its last target's frame, from the packets) x the measured
 * single-threaded cost of decoding one frame of that video / the cores.
 * Runs alternate (ours, recipe, ours, ...); ratios are taken pair by pair and the median is shown.
 * Prints wall and CPU seconds and peak resident memory (Node process, each ffmpeg child).
 * Videos are generated once into engine/.bench/ (gitignored).
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { jpegQscale } from "../src/ffmpeg/args.js";
import { probe } from "../src/ffmpeg/probe.js";
import { startResident, type Resident, type ResidentJob } from "./resident-client.js";

const exec = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const cacheDir = path.resolve(here, "../.bench");
const smoke = process.argv.includes("--smoke");
/** `--repeat N`: run each side N times, alternating; the table shows medians (the machine is shared). */
const repeat = Math.max(1, Number(process.argv[process.argv.indexOf("--repeat") + 1]) || (smoke ? 1 : 3));
/** The comma-separated list after `flag`, or null when the flag is absent. */
const listArg = (flag: string): string[] | null =>
  process.argv.includes(flag) ? (process.argv[process.argv.indexOf(flag) + 1] ?? "").split(",") : null;
/** `--kinds regular,1080p`: only these videos. */
const only = listArg("--kinds");
/** `--cases sparse`, `--cases dense` or `--cases "12 timestamps"`: only these cases. */
const onlyCases = listArg("--cases");
const wanted = (c: { name: string; sparse: boolean }): boolean =>
  !onlyCases || onlyCases.some((w) => w === c.name || w === (c.sparse ? "sparse" : "dense"));
/** `--print-commands`: print each case's two command lines (to time them with another tool) and stop. */
const printOnly = process.argv.includes("--print-commands");
const QUALITY = 85;
/** `--cli`: the engine without its frame picker (engine/native/pick-frames.c), ffmpeg's command line alone. */
if (process.argv.includes("--cli")) process.env.VP_FRAME_PICKER = "off";

interface Video {
  readonly kind: string;
  readonly file: string;
  readonly seconds: number;
  readonly describe: string;
}

const gen = (lavfi: string, codec: string[], extra: string[] = []): string[] => [
  "-v",
  "error",
  "-y",
  "-f",
  "lavfi",
  "-i",
  lavfi,
  ...extra,
  ...codec,
  "-movflags",
  "+faststart",
];
const X264 = ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"];

/** Keyframe times as scene cuts place them: irregular, 1.6 s to 8.3 s apart (a fixed pseudo-random walk). */
function sceneCutTimes(seconds: number): string {
  const out: number[] = [0];
  let x = 7;
  while ((out.at(-1) as number) < seconds) {
    x = (x * 48271) % 2147483647;
    out.push(Math.round(((out.at(-1) as number) + 1.6 + (x % 6700) / 1000) * 1000) / 1000);
  }
  return out.filter((t) => t < seconds).join(",");
}

/** The videos: the kinds the engine meets (smoke: one short regular video). */
function kinds(): { kind: string; seconds: number; name: string; describe: string; args: string[] }[] {
  if (smoke)
    return [
      {
        kind: "regular",
        seconds: 20,
        name: "testsrc2-20s-1280x720-30fps-g240.mp4",
        describe: "720p30 H.264, keyframe every 8 s",
        args: gen("testsrc2=size=1280x720:rate=30:duration=20", [
          ...X264,
          "-g",
          "240",
          "-keyint_min",
          "240",
          "-sc_threshold",
          "0",
        ]),
      },
    ];
  return [
    {
      kind: "regular",
      seconds: 600,
      name: "testsrc2-600s-1280x720-30fps-g240.mp4",
      describe: "720p30 H.264, keyframe every 8 s",
      args: gen("testsrc2=size=1280x720:rate=30:duration=600", [
        ...X264,
        "-g",
        "240",
        "-keyint_min",
        "240",
        "-sc_threshold",
        "0",
      ]),
    },
    {
      kind: "irregular",
      seconds: 120,
      name: "grain-120s-1280x720-30fps-scenecut.mp4",
      describe: "720p30 H.264 with grain, keyframes 1.6-8.3 s apart (scene cuts)",
      args: gen("testsrc2=size=1280x720:rate=30:duration=120,noise=alls=6:allf=t", [
        ...X264,
        "-g",
        "250",
        "-force_key_frames",
        sceneCutTimes(120),
      ]),
    },
    {
      kind: "screen",
      seconds: 180,
      name: "screen-180s-1280x720-vfr-g600.mp4",
      describe: "720p screen recording: frames only on change, a 60 s still pause, keyframe every 20 s",
      args: gen(
        "testsrc2=size=1280x720:rate=30:duration=60[a];smptebars=size=1280x720:rate=30:duration=60[b];testsrc2=size=1280x720:rate=30:duration=60[c];[a][b][c]concat=n=3:v=1:a=0,mpdecimate",
        [...X264, "-g", "600", "-sc_threshold", "0", "-fps_mode", "vfr"],
      ),
    },
    {
      kind: "1080p",
      seconds: 60,
      name: "hevc-60s-1920x1080-30fps-g60.mp4",
      describe: "1080p30 HEVC as phones record it: B-frames, open GOPs, keyframe every 2 s",
      args: gen("testsrc2=size=1920x1080:rate=30:duration=60", [
        "-c:v",
        "libx265",
        "-preset",
        "ultrafast",
        "-x265-params",
        "log-level=error:bframes=4:keyint=60:min-keyint=15",
        "-tag:v",
        "hvc1",
        "-pix_fmt",
        "yuv420p",
      ]),
    },
  ].filter((k) => !only || only.includes(k.kind));
}

async function videos(): Promise<Video[]> {
  mkdirSync(cacheDir, { recursive: true });
  const out: Video[] = [];
  for (const k of kinds()) {
    const file = path.join(cacheDir, k.name);
    if (!existsSync(file)) {
      process.stderr.write(`generating ${path.relative(root, file)} (once; cached)...\n`);
      const tmp = `${file}.tmp.mp4`;
      await exec("ffmpeg", [...k.args, tmp], { maxBuffer: 16 * 1024 * 1024 });
      renameSync(tmp, file);
    }
    out.push({ kind: k.kind, file, seconds: k.seconds, describe: k.describe });
  }
  return out;
}

/** Every frame's time and keyframe flag, from the packets (no decoding). */
async function packets(file: string): Promise<{ pts: number[]; keys: number[] }> {
  const { stdout } = await exec(
    "ffprobe",
    ["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0", file],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  const rows = stdout
    .split("\n")
    .map((l) => l.split(","))
    .filter(([t]) => Number.isFinite(Number.parseFloat(t ?? "")));
  const start = Math.min(...rows.map(([t]) => Number(t)));
  return {
    pts: rows.map(([t]) => Number(t) - start).sort((a, b) => a - b),
    keys: rows
      .filter(([, f]) => f?.startsWith("K"))
      .map(([t]) => Number(t) - start)
      .sort((a, b) => a - b),
  };
}

/**
 * Frames that must be decoded to answer `targets`: per keyframe interval holding a target's frame
 * (the first at or after it), from the keyframe to the last such frame.
 */
function floorFrames(pts: readonly number[], keys: readonly number[], targets: readonly number[]): number {
  const lastIn = new Map<number, number>();
  for (const t of targets) {
    const i = frameAt(pts, t);
    const at = pts[i] as number;
    let k = 0;
    for (let j = 0; j < keys.length && (keys[j] as number) <= at + 1e-9; j++) k = j;
    lastIn.set(k, Math.max(lastIn.get(k) ?? 0, i));
  }
  let frames = 0;
  for (const [k, i] of lastIn) {
    const from = pts.findIndex((p) => p >= (keys[k] as number) - 1e-9);
    frames += i - from + 1;
  }
  return frames;
}

/** The index of the first frame at or after `t` (the last frame past the end). */
function frameAt(pts: readonly number[], t: number): number {
  const i = pts.findIndex((p) => p >= t - 1e-6);
  return i < 0 ? pts.length - 1 : i;
}

/** True when every target's frame is a keyframe. */
function keysOnly(pk: { pts: number[]; keys: number[] }, targets: readonly number[]): boolean {
  const keys = new Set(pk.keys.map((k) => k.toFixed(6)));
  return targets.every((t) => keys.has((pk.pts[frameAt(pk.pts, t)] as number).toFixed(6)));
}

/**
 * CPU seconds to decode one frame single-threaded: the first 20 s of the video (or all of it)
 * through `-f null`, the least of three runs (one run varied by 1.8-2.6 ms a frame on this VM):
 * the floor is what the hardware allows at its best, not on an average minute.
 */
async function decodeCostPerFrame(file: string, pts: readonly number[]): Promise<number> {
  const seconds = 20;
  const args = ["-v", "error", "-threads", "1", "-t", String(seconds), "-i", file, "-map", "0:v:0", "-f", "null", "-"];
  let least = Infinity;
  for (let i = 0; i < 3; i++) least = Math.min(least, (await measure("ffmpeg", args)).cpuSeconds);
  const frames = pts.filter((p) => p < seconds).length;
  return least / Math.max(1, frames);
}

interface Measured {
  readonly seconds: number;
  /** User + system CPU seconds of the process and all its children (load-independent). */
  readonly cpuSeconds: number;
  /** Peak RSS (MiB) of the top process and of the largest ffmpeg (or frame picker) child seen. */
  readonly topPeakMiB: number;
  readonly ffmpegPeakMiB: number;
  readonly stdout: string;
}

/** Peak RSS from /proc: VmHWM of the process and of every ffmpeg descendant, sampled every 20 ms (a few files read per sample). */
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
    // The kernel's own child lists (one small file per thread): a scan of all /proc per descendant,
    // every 20 ms, took a third of a core from the very runs it measured.
    const childrenOf = (pid: number): number[] => {
      const kids: number[] = [];
      let tasks: string[] = [];
      try {
        tasks = readdirSync(`/proc/${pid}/task`);
      } catch {
        return kids; // exited meanwhile
      }
      for (const t of tasks) {
        try {
          for (const k of readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").split(" "))
            if (/^\d+$/.test(k)) kids.push(Number(k));
        } catch {
          // the thread ended meanwhile
        }
      }
      return kids;
    };
    const descendants = (pid: number): number[] => childrenOf(pid).flatMap((k) => [k, ...descendants(k)]);
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
        // The frame picker is a decoding child too.
        if (name === "ffmpeg" || name === "pick-frames") ff = Math.max(ff, hwm(k));
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
  /** The same request as the engine's options, for the worker column. */
  readonly options: object;
  /** Requested times (seconds), for the floor. */
  readonly targets: number[];
  /** The recipe's shell script, run in an empty work directory; it leaves ref.zip. */
  readonly recipe: string;
  readonly sparse: boolean;
}

const q = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;

function cases(v: Video, duration: number): Case[] {
  const qv = String(jpegQscale(QUALITY));
  const zip = "cd frames && zip -0 -q -r ../ref.zip .";
  const fps = (rate: string): string =>
    `mkdir -p frames && ffmpeg -v error -nostdin -i ${q(v.file)} -vf fps=${rate} -q:v ${qv} frames/frame_%04d.jpg && ${zip}`;
  const every = (step: number): number[] =>
    Array.from({ length: Math.max(1, Math.ceil(duration / step - 1e-9)) }, (_, i) => Math.round(i * step * 1e6) / 1e6);
  const count = 20;
  const evenly = Array.from({ length: count }, (_, i) => Math.round(((i * duration) / count) * 1e6) / 1e6);
  const at = [0.03, 0.11, 0.18, 0.26, 0.34, 0.41, 0.5, 0.58, 0.67, 0.75, 0.83, 0.92].map(
    (f) => Math.round(f * duration * 1000) / 1000,
  );
  const list: Case[] = [
    {
      name: "every 1 s",
      vproc: ["--every", "1"],
      options: { mode: "INTERVAL", intervalSeconds: 1, quality: QUALITY },
      targets: every(1),
      recipe: fps("1"),
      sparse: false,
    },
    {
      name: "every 10 s",
      vproc: ["--every", "10"],
      options: { mode: "INTERVAL", intervalSeconds: 10, quality: QUALITY },
      targets: every(10),
      recipe: fps("1/10"),
      sparse: true,
    },
    {
      name: "20 evenly spaced",
      vproc: ["--count", String(count)],
      options: { mode: "COUNT", count, quality: QUALITY },
      targets: evenly,
      recipe: fps(`${count}/${duration}`),
      sparse: true,
    },
  ];
  if (!smoke)
    list.push({
      name: "12 timestamps",
      vproc: ["--at", at.join(",")],
      options: { mode: "TIMESTAMPS", timestamps: at, quality: QUALITY },
      targets: at,
      // The usual recipe for explicit times: one accurate seek and one ffmpeg per time.
      recipe:
        "mkdir -p frames && " +
        at
          .map(
            (t, i) =>
              `ffmpeg -v error -nostdin -ss ${t} -i ${q(v.file)} -frames:v 1 -q:v ${qv} frames/frame_${String(i + 1).padStart(4, "0")}.jpg`,
          )
          .join(" && ") +
        ` && ${zip}`,
      sparse: true,
    });
  return list;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

async function main(): Promise<void> {
  const vs = await videos();
  const work = path.join(cacheDir, `run-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const rows: string[][] = [];
  const bin = path.join(root, "client/bin/vproc.js");
  const cores = availableParallelism();
  const notes: string[] = [];
  // The worker's way: a resident engine that probed each video once (the probe is stored with it).
  const resident = printOnly ? null : startResident();
  try {
    // First: it also builds the frame picker on a new machine, which no case should pay for.
    if (!smoke && !printOnly && resident) notes.push(await startUp(work, bin, resident));
    for (const v of vs) {
      const probed = await probe(v.file);
      await resident?.probe(v.file);
      const pk = await packets(v.file);
      const perFrame = await decodeCostPerFrame(v.file, pk.pts);
      notes.push(
        `${v.kind}: ${path.relative(root, v.file)}: ${v.describe}; ${pk.pts.length} frames, ${pk.keys.length} keyframes, ` +
          `${(perFrame * 1000).toFixed(2)} ms CPU to decode a frame single-threaded`,
      );
      for (const c of cases(v, probed.durationSeconds).filter(wanted)) {
        const ours = path.join(work, "ours.zip");
        const oursArgs = [bin, "extract", v.file, ...c.vproc, "--quality", String(QUALITY), "--json", "-o", ours];
        const refDir = path.join(work, "ref");
        if (printOnly) {
          console.log(`# ${v.kind} / ${c.name}`);
          console.log(`A: ${process.execPath} ${oursArgs.map((a) => (/[\s']/.test(a) ? q(a) : a)).join(" ")}`);
          console.log(
            `B: sh -c ${q(`rm -rf ${q(refDir)} && mkdir -p ${q(refDir)} && cd ${q(refDir)} && ${c.recipe}`)}`,
          );
          continue;
        }
        const mine: Measured[] = [];
        const refs: (Measured & { frames: number })[] = [];
        const ratios: number[] = [];
        const served: ResidentJob[] = [];
        for (let r = 0; r < repeat; r++) {
          const m = await measure(process.execPath, oursArgs);
          served.push(await (resident as Resident).job(v.file, c.options, path.join(work, "worker.zip")));
          rmSync(refDir, { recursive: true, force: true });
          mkdirSync(refDir, { recursive: true });
          const f = await measure("sh", ["-c", c.recipe], refDir);
          const frames = readdirSync(path.join(refDir, "frames")).length;
          mine.push(m);
          refs.push({ ...f, frames });
          ratios.push(m.seconds / f.seconds);
        }
        rmSync(refDir, { recursive: true, force: true });
        const result = JSON.parse((mine.at(-1) as Measured).stdout) as {
          frameCount: number;
          strategy: string;
          decoder: string;
        };
        if (served.some((j) => j.frameCount !== result.frameCount))
          throw new Error(
            `${v.kind} / ${c.name}: the worker gave ${served.map((j) => j.frameCount).join(", ")} frames, vproc ${result.frameCount}`,
          );
        const mineS = median(mine.map((m) => m.seconds));
        const refS = median(refs.map((m) => m.seconds));
        const ratio = median(ratios);
        const ff = floorFrames(pk.pts, pk.keys, c.targets);
        const floor = (ff * perFrame) / cores;
        const toFloor = mineS / floor;
        const workerS = median(served.map((j) => j.seconds));
        const workerToFloor = workerS / floor;
        // Every target on a keyframe: the floor is a few frames' decode, less than starting any process.
        const degenerate = keysOnly(pk, c.targets);
        const goal = c.sparse ? 1.15 : 1.1;
        const verdict = (x: number): string => (degenerate ? "n/a" : x <= goal ? "ok" : "MISSED");
        const cpuOk = median(mine.map((m) => m.cpuSeconds)) <= median(refs.map((m) => m.cpuSeconds));
        rows.push([
          c.name,
          v.kind,
          `${result.strategy} (${result.decoder})`,
          `${result.frameCount} / ${(refs.at(-1) as { frames: number }).frames}`,
          mineS.toFixed(2),
          refS.toFixed(2),
          `${ratio.toFixed(2)}x`,
          floor.toFixed(2),
          degenerate ? "(all keyframes)" : `${toFloor.toFixed(2)}x`,
          workerS.toFixed(2),
          degenerate ? "(all keyframes)" : `${workerToFloor.toFixed(2)}x`,
          `${((100 * ff) / pk.pts.length).toFixed(1)}%`,
          `${median(mine.map((m) => m.cpuSeconds)).toFixed(1)} / ${median(served.map((j) => j.cpuSeconds)).toFixed(1)} / ${median(refs.map((m) => m.cpuSeconds)).toFixed(1)}`,
          // CPU seconds against the floor's own (the frames that must be decoded x the per-frame cost, on one core).
          `${(median(mine.map((m) => m.cpuSeconds)) / (ff * perFrame)).toFixed(2)}x`,
          smoke
            ? "n/a (smoke)"
            : `<= ${goal}x floor ${verdict(toFloor)} (worker ${verdict(workerToFloor)}), recipe ${ratio <= 1 ? "ok" : "MISSED"}, cpu ${cpuOk ? "ok" : "MISSED"}`,
          Math.max(...mine.map((m) => m.topPeakMiB)).toFixed(0),
          Math.max(...served.map((j) => j.peakMiB)).toFixed(0),
          Math.max(...mine.map((m) => m.ffmpegPeakMiB)).toFixed(0),
          Math.max(...refs.map((m) => m.ffmpegPeakMiB)).toFixed(0),
          (statSync(ours).size / 1024 / 1024).toFixed(1),
        ]);
      }
    }
  } finally {
    await resident?.close();
    rmSync(work, { recursive: true, force: true });
  }
  if (printOnly) return;
  const head = [
    "case",
    "video",
    "strategy",
    "frames (ours/ref)",
    "vproc s",
    "ref s",
    "ours/ref",
    "floor s",
    "ours/floor",
    "worker s",
    "worker/floor",
    "must decode",
    "cpu s (ours/worker/ref)",
    "cpu/floor",
    "target",
    "node MiB",
    "worker MiB",
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
  console.log(`JPEG quality ${QUALITY}, ${cores} cores, median of ${repeat} alternating runs (ratios pair by pair)`);
  for (const n of notes) console.log(n);
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  console.log("peak memory targets: node <= 150 MiB, each ffmpeg child <= 120 MiB");
}

/** The fixed cost of a small job: 20 frames of a 2 s thumbnail-sized video, against Node + the CLI alone, and in the worker. */
async function startUp(work: string, bin: string, resident: Resident): Promise<string> {
  const tiny = path.join(cacheDir, "tiny-2s-160x90.mp4");
  if (!existsSync(tiny)) await exec("ffmpeg", [...gen("testsrc2=size=160x90:rate=30:duration=2", X264), tiny]);
  const job: Measured[] = [];
  const help: Measured[] = [];
  const served: ResidentJob[] = [];
  await resident.probe(tiny);
  for (let r = 0; r < Math.max(3, repeat); r++) {
    job.push(
      await measure(process.execPath, [
        bin,
        "extract",
        tiny,
        "--count",
        "20",
        "--json",
        "-o",
        path.join(work, "tiny.zip"),
      ]),
    );
    help.push(await measure(process.execPath, [bin, "--help"]));
    served.push(await resident.job(tiny, { mode: "COUNT", count: 20 }, path.join(work, "tiny-worker.zip")));
  }
  const w = (xs: Measured[]): string =>
    `${median(xs.map((m) => m.seconds)).toFixed(2)} s wall, ${median(xs.map((m) => m.cpuSeconds)).toFixed(2)} s CPU`;
  const inWorker = `${median(served.map((j) => j.seconds)).toFixed(2)} s wall, ${median(served.map((j) => j.cpuSeconds)).toFixed(2)} s CPU`;
  return (
    `start-up: a 20-frame job on a 2 s 160x90 video ${w(job)}; of which Node + the CLI (vproc --help) ${w(help)}; ` +
    `the same job in the worker (resident engine, stored probe) ${inWorker}`
  );
}

await main();
// `--previews`: the storyboard, contact sheet, best thumbnails and animated preview against the same recipe (previews-bench.ts).
if (process.argv.includes("--previews")) await (await import("./previews-bench.js")).benchPreviews({ smoke, repeat });
