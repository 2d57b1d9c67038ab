import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);
const CACHE = path.join(tmpdir(), "vp-engine-previews-v1");
const S = "size=320x240:rate=30";
const X264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"];

/**
 * 18 s in nine 2-s stretches, each bad in a known way or good: the best-thumbnail tests check that no
 * frame of a bad stretch is ever picked, and at most one of the still one.
 */
export const STRETCHES = [
  { from: 0, to: 2, kind: "black" },
  { from: 2, to: 4, kind: "good" },
  { from: 4, to: 6, kind: "blurred" },
  { from: 6, to: 8, kind: "good" },
  { from: 8, to: 10, kind: "fade-out" },
  { from: 10, to: 12, kind: "still" },
  { from: 12, to: 14, kind: "uniform" },
  { from: 14, to: 16, kind: "fade-in" },
  { from: 16, to: 18, kind: "good" },
] as const;

const BAD_GRAPH = [
  `color=c=black:${S}:d=2,format=yuv420p[a]`,
  `testsrc2=${S}:d=2,format=yuv420p[b]`,
  `testsrc2=${S}:d=2,boxblur=6,format=yuv420p[c]`,
  `mandelbrot=${S},trim=duration=2,setpts=PTS-STARTPTS,format=yuv420p[d]`,
  `testsrc2=${S}:d=2,fade=t=out:st=0:d=2,format=yuv420p[e]`,
  `smptehdbars=${S}:d=2,format=yuv420p[f]`,
  `color=c=gray:${S}:d=2,format=yuv420p[g]`,
  `testsrc=${S}:d=2,fade=t=in:st=0:d=2,format=yuv420p[h]`,
  `cellauto=rule=110:${S},trim=duration=2,setpts=PTS-STARTPTS,format=yuv420p[i]`,
  "[a][b][c][d][e][f][g][h][i]concat=n=9:v=1:a=0",
].join(";");

const RECIPES: Record<string, string[]> = {
  // 12 s, 30 fps, a keyframe every second.
  "clip.mp4": ["-f", "lavfi", "-i", `testsrc2=${S}`, "-t", "12", ...X264, "-g", "30"],
  // The stretches, keyframes where x264 likes them (few: candidates come from a sample), B-frames
  // (which the sample skips decoding).
  "stretches.mp4": ["-filter_complex", BAD_GRAPH, ...X264, "-bf", "3"],
  // The same with a keyframe every 0.5 s: candidates come from keyframes alone.
  "stretches-gop15.mp4": ["-filter_complex", BAD_GRAPH, ...X264, "-g", "15", "-keyint_min", "15", "-sc_threshold", "0"],
  // Starts at 1.4 s on the container's clock (MPEG-TS style offsets).
  "late-start.mp4": ["-f", "lavfi", "-i", `testsrc2=${S}`, "-t", "6", ...X264, "-g", "30", "-output_ts_offset", "1.4"],
};

export async function previewFixture(name: string): Promise<string> {
  mkdirSync(CACHE, { recursive: true });
  const recipe = RECIPES[name];
  if (!recipe) throw new Error(`no fixture ${name}`);
  const key = createHash("sha1").update(JSON.stringify(recipe)).digest("hex").slice(0, 8);
  const out = path.join(CACHE, `${key}-${name}`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp${path.extname(name)}`;
  await exec("ffmpeg", ["-v", "error", "-y", ...recipe, tmp]);
  renameSync(tmp, out);
  return out;
}

/** Width and height of an image, from ffprobe. */
export async function imageSize(file: string): Promise<{ width: number; height: number }> {
  const { stdout } = await exec("ffprobe", [
    "-v",
    "error",
    "-show_entries",
    "stream=width,height",
    "-of",
    "json",
    file,
  ]);
  const s = (JSON.parse(stdout) as { streams: { width: number; height: number }[] }).streams[0];
  if (!s) throw new Error(`${file}: no image`);
  return s;
}

/** The grey levels of a region of an image (raw 8-bit), decoded by ffmpeg. */
export async function greyRegion(file: string, x: number, y: number, w: number, h: number): Promise<Buffer> {
  const { stdout } = await exec(
    "ffmpeg",
    ["-v", "error", "-i", file, "-vf", `crop=${w}:${h}:${x}:${y},format=gray`, "-f", "rawvideo", "pipe:1"],
    { encoding: "buffer", maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

export interface WebpInfo {
  readonly riffSizeOk: boolean;
  readonly animated: boolean;
  readonly canvasWidth: number;
  readonly canvasHeight: number;
  readonly frames: number;
}

/** Walks an animated WebP's RIFF chunks (ffprobe cannot decode animated WebP in 5.1). */
export function webpInfo(b: Buffer): WebpInfo {
  if (b.toString("latin1", 0, 4) !== "RIFF" || b.toString("latin1", 8, 12) !== "WEBP") throw new Error("not a WebP");
  let pos = 12;
  let animated = false;
  let canvasWidth = 0;
  let canvasHeight = 0;
  let frames = 0;
  while (pos + 8 <= b.length) {
    const id = b.toString("latin1", pos, pos + 4);
    const size = b.readUInt32LE(pos + 4);
    if (id === "VP8X") {
      animated = ((b[pos + 8] as number) & 0x02) !== 0;
      canvasWidth = 1 + b.readUIntLE(pos + 12, 3);
      canvasHeight = 1 + b.readUIntLE(pos + 15, 3);
    }
    if (id === "ANMF") frames++;
    pos += 8 + size + (size % 2);
  }
  return {
    riffSizeOk: b.readUInt32LE(4) === b.length - 8 && pos === b.length,
    animated,
    canvasWidth,
    canvasHeight,
    frames,
  };
}
