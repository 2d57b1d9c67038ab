import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import yauzl from "yauzl";

const exec = promisify(execFile);

/**
 * Test videos, generated with ffmpeg once per machine into a temp cache shared by the test files
 * (named by the recipe's hash, written atomically, so parallel workers never see half a file).
 */
const CACHE = path.join(tmpdir(), "vp-engine-fixtures-v1");

const TESTSRC = ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30"];
const SMALL = ["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=30"];
const X264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"];

/** name -> ffmpeg arguments after the input(s), output path appended. Depends on others via {name}. */
const RECIPES: Record<string, string[]> = {
  // 5 s, 30 fps, keyframe every 2 s, moov first (so a cut file still probes).
  "cfr.mp4": [...TESTSRC, "-t", "5", ...X264, "-g", "60", "-bf", "2", "-movflags", "+faststart"],
  // Starts at 30 fps for 2 s, then 10 fps: variable frame rate.
  "vfr.mp4": [
    "-f",
    "lavfi",
    "-t",
    "3",
    "-i",
    "testsrc2=size=320x240:rate=30",
    "-vf",
    "setpts='if(lt(N,60),N/30,2+(N-60)/10)/TB'",
    "-fps_mode",
    "vfr",
    ...X264,
    "-g",
    "30",
  ],
  // Three shots of 2 s each: hard cuts at 2 s and 4 s.
  "scenes.mp4": [
    "-f",
    "lavfi",
    "-i",
    "testsrc2=size=320x240:rate=30:d=2[a];smptebars=size=320x240:rate=30:d=2[b];color=c=red:size=320x240:rate=30:d=2[c];[a][b][c]concat=n=3:v=1:a=0",
    ...X264,
  ],
  // Odd dimensions (4:4:4 so the encoder accepts them).
  "odd.mp4": [
    ...TESTSRC,
    "-t",
    "1",
    "-vf",
    "scale=321:241",
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-pix_fmt",
    "yuv444p",
  ],
  // A recording that pauses: 30 fps for 1 s, nothing for 2 s, then 30 fps again (screen recorders do this).
  "gappy.mp4": [
    "-f",
    "lavfi",
    "-t",
    "2",
    "-i",
    "testsrc2=size=320x240:rate=30",
    "-vf",
    "setpts='if(lt(N,30),N/30,3+(N-30)/30)/TB'",
    "-fps_mode",
    "vfr",
    ...X264,
    "-g",
    "30",
  ],
  // 12 s with a keyframe every 4 s: dense sampling leaves the tail of each keyframe interval undecoded.
  "gop4.mp4": [...TESTSRC, "-t", "12", ...X264, "-g", "120", "-bf", "2"],
  // Irregular keyframes (as scene cuts place them), 1.3 s to 4.1 s apart, in a grainy picture.
  "irregular.mp4": [
    "-f",
    "lavfi",
    "-i",
    "testsrc2=size=320x180:rate=30,noise=alls=12:allf=t",
    "-t",
    "14",
    ...X264,
    "-g",
    "600",
    "-sc_threshold",
    "0",
    "-force_key_frames",
    "0,1.3,5.4,7.1,8.9,13",
    "-bf",
    "2",
  ],
  "audio.m4a": ["-f", "lavfi", "-i", "sine=d=2", "-c:a", "aac"],
  // The codec matrix (codec-matrix.test.ts): tiny pictures, a few seconds each.
  // HEVC as x265 writes it by default: B-frames, open GOPs (CRA keyframes), long enough for several segments.
  "hevc.mp4": [
    ...SMALL,
    "-t",
    "24",
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
  ],
  "vp9.webm": [
    ...SMALL,
    "-t",
    "6",
    "-c:v",
    "libvpx-vp9",
    "-deadline",
    "realtime",
    "-cpu-used",
    "8",
    "-g",
    "45",
    "-pix_fmt",
    "yuv420p",
  ],
  "av1.mp4": [...SMALL, "-t", "6", "-c:v", "libsvtav1", "-preset", "12", "-g", "45", "-pix_fmt", "yuv420p"],
  "mpeg4.mp4": [...SMALL, "-t", "6", "-c:v", "mpeg4", "-bf", "2", "-g", "45"],
  "mpeg2.ts": [...SMALL, "-t", "6", "-c:v", "mpeg2video", "-bf", "2", "-g", "45"],
  // Intra-only codecs: every frame is a keyframe.
  "mjpeg.avi": ["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10", "-t", "3", "-c:v", "mjpeg", "-q:v", "5"],
  "prores.mov": [
    "-f",
    "lavfi",
    "-i",
    "testsrc2=size=160x90:rate=10",
    "-t",
    "3",
    "-c:v",
    "prores_ks",
    "-profile:v",
    "0",
  ],
  // Short (1 s) with an audio track.
  "short.mp4": [...TESTSRC, "-f", "lavfi", "-i", "sine=d=1", "-t", "1", ...X264, "-c:a", "aac", "-shortest"],
};

const DERIVED: Record<string, { from: string; args: string[] }> = {
  // Display matrix asking for a quarter turn (ffmpeg 5.1 reads the rotate tag into it).
  "rotated.mp4": { from: "cfr.mp4", args: ["-c", "copy", "-metadata:s:v", "rotate=90"] },
  // The same stream in Matroska (1/1000 s time base: frame times rounded to the millisecond).
  "cfr.mkv": { from: "cfr.mp4", args: ["-c", "copy"] },
  // MPEG-TS: no seek index (a seek lands on any frame), timestamps starting at 1.47 s.
  "cfr.ts": { from: "cfr.mp4", args: ["-c", "copy"] },
};

export async function fixture(name: string): Promise<string> {
  mkdirSync(CACHE, { recursive: true });
  const recipe = RECIPES[name];
  const derived = DERIVED[name];
  const key = createHash("sha1")
    .update(JSON.stringify(recipe ?? derived))
    .digest("hex")
    .slice(0, 8);
  const out = path.join(CACHE, `${key}-${name}`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp${path.extname(name)}`;
  if (recipe) await exec("ffmpeg", ["-v", "error", "-y", ...recipe, tmp]);
  else if (derived)
    await exec("ffmpeg", ["-v", "error", "-y", "-i", await fixture(derived.from), ...derived.args, tmp]);
  else throw new Error(`no fixture ${name}`);
  renameSync(tmp, out);
  return out;
}

/** A file of our own making in a fresh temp dir (removed by the returned function). */
export function scratch(): { dir: string; file(name: string, content: string | Buffer): string; dispose(): void } {
  const dir = path.join(tmpdir(), `vp-engine-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir, { recursive: true });
  return {
    dir,
    file: (name, content) => {
      const p = path.join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Every frame's presentation time, from ffprobe (decode order sorted). */
export async function framePts(file: string): Promise<number[]> {
  const { stdout } = await exec("ffprobe", [
    "-v",
    "error",
    "-select_streams",
    "v:0",
    "-show_entries",
    "packet=pts_time",
    "-of",
    "csv=p=0",
    file,
  ]);
  return stdout
    .split("\n")
    .map((l) => Number.parseFloat(l))
    .filter((x) => Number.isFinite(x))
    .sort((a, b) => a - b);
}

/** The frame answering t: the first whose time is >= t (else the last one). */
export const expectedFrame = (pts: readonly number[], t: number): number =>
  pts.find((p) => p >= t - 1e-6) ?? (pts.at(-1) as number);

export interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
  readonly compressionMethod: number;
}

export async function readZip(file: string): Promise<ZipEntry[]> {
  const buf = await readFile(file);
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error(`${file}: no zip file`));
      const entries: ZipEntry[] = [];
      zip.on("entry", (e: yauzl.Entry) => {
        zip.openReadStream(e, (err2, stream) => {
          if (err2 || !stream) return reject(err2 ?? new Error(`${file}: no stream for ${e.fileName}`));
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            entries.push({ name: e.fileName, data: Buffer.concat(chunks), compressionMethod: e.compressionMethod });
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(entries));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

/** Width, height and codec of an image, by ffprobe (also proves it decodes). */
export async function imageInfo(
  data: Buffer,
  dir: string,
  name = `img-${Math.random().toString(36).slice(2)}`,
): Promise<{ width: number; height: number; codec: string }> {
  const p = path.join(dir, name);
  writeFileSync(p, data);
  const { stdout } = await exec("ffprobe", [
    "-v",
    "error",
    "-show_entries",
    "stream=width,height,codec_name",
    "-of",
    "json",
    p,
  ]);
  const s = (JSON.parse(stdout) as { streams: { width: number; height: number; codec_name: string }[] }).streams[0];
  if (!s) throw new Error("not an image");
  return { width: s.width, height: s.height, codec: s.codec_name };
}

/** ffmpeg processes whose parent is this process (to prove none is left behind). */
export async function childFfmpegs(): Promise<number[]> {
  const { readdir } = await import("node:fs/promises");
  const pids: number[] = [];
  for (const d of await readdir("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = await readFile(`/proc/${d}/stat`, "utf8");
      const m = /^\d+ \(([^)]*)\) \S+ (\d+)/.exec(stat);
      if (m && m[1] === "ffmpeg" && Number(m[2]) === process.pid) pids.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}
