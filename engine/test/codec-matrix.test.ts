import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExtractionOptionsInput } from "@vp/domain";
import { probe, type ExtractResult, type ProbeResult } from "../src/index.js";
import { extractImages, type ExtractedImages } from "./extract-images.js";
import { expectedFrame, fixture, framePts, scratch } from "./fixtures.js";

const exec = promisify(execFile);

let tmp: ReturnType<typeof scratch>;
beforeAll(() => {
  tmp = scratch();
});
afterAll(() => tmp.dispose());

/** The engine's answer; `seeksPerProcess: 1, nativeDecode: false` is the reference, one accurate seek per time. */
const run = (
  file: string,
  opts: ExtractionOptionsInput,
  extra: { seeksPerProcess?: number; probe?: ProbeResult; nativeDecode?: boolean } = {},
): Promise<ExtractedImages> =>
  extractImages(tmp.dir, file, opts, {
    ...(extra.probe ? { probe: extra.probe } : {}),
    limits: {
      ...(extra.seeksPerProcess ? { seeksPerProcess: extra.seeksPerProcess } : {}),
      ...(extra.nativeDecode === false ? { nativeDecode: false } : {}),
    },
  });

/** Keyframe times on the options' timeline, straight from ffprobe's packet flags. */
async function packetKeyframes(file: string, origin: number): Promise<number[]> {
  const { stdout } = await exec("ffprobe", [
    "-v",
    "error",
    "-select_streams",
    "v:0",
    "-show_entries",
    "packet=pts_time,flags",
    "-of",
    "csv=p=0",
    file,
  ]);
  return stdout
    .split("\n")
    .map((l) => l.split(","))
    .filter(([, flags]) => flags?.startsWith("K"))
    .map(([t]) => Math.round((Number(t) - origin) * 1e6) / 1e6)
    .sort((a, b) => a - b);
}

/** Exact: the first frame at or after each time (per ffprobe), and byte for byte what one accurate seek per time gives. */
async function expectExact(file: string, p: ProbeResult, got: { result: ExtractResult; images: Buffer[] }) {
  const origin = p.timeOrigin ?? p.startTime;
  const pts = (await framePts(file)).map((x) => Math.round((x - origin) * 1e6) / 1e6);
  for (const f of got.result.frames)
    expect(f.timestampSeconds).toBeCloseTo(expectedFrame(pts, f.requestedSeconds as number), 5);
  const single = await run(
    file,
    { mode: "TIMESTAMPS", timestamps: got.result.frames.map((f) => f.requestedSeconds as number) },
    // The reference: the ffmpeg command line alone, one accurate seek per time.
    { seeksPerProcess: 1, nativeDecode: false },
  );
  expect(single.result.frames.map((f) => f.timestampSeconds)).toEqual(got.result.frames.map((f) => f.timestampSeconds));
  got.images.forEach((img, i) => expect(img.equals(single.images[i] as Buffer), `frame ${i + 1}`).toBe(true));
}

const MATRIX = [
  ["cfr.mp4", "H.264 in MP4, B-frames", "h264"],
  ["cfr.mkv", "H.264 in Matroska", "h264"],
  ["cfr.ts", "H.264 in MPEG-TS (no seek index, starts at 1.47 s)", "h264"],
  ["hevc.mp4", "HEVC with B-frames and open GOPs", "hevc"],
  ["vp9.webm", "VP9 in WebM", "vp9"],
  ["av1.mp4", "AV1 (SVT-AV1) in MP4", "av1"],
  ["mpeg4.mp4", "MPEG-4 part 2 with B-frames", "mpeg4"],
  ["mpeg2.ts", "MPEG-2 in MPEG-TS, B-frames", "mpeg2video"],
  ["mjpeg.avi", "MJPEG in AVI (every frame a keyframe)", "mjpeg"],
  ["prores.mov", "ProRes in QuickTime (every frame a keyframe)", "prores"],
] as const;

describe.each(MATRIX)("codec matrix: %s (%s)", (name, _label, codec) => {
  let file: string;
  let p: ProbeResult;
  beforeAll(async () => {
    file = await fixture(name);
    p = await probe(file);
  }, 120_000);

  it("probes the codec and a keyframe index that matches the packets", async () => {
    expect(p.videoCodec).toBe(codec);
    const keys = await packetKeyframes(file, p.timeOrigin ?? p.startTime);
    expect(p.keyframeIndex?.encoding).toBe("d36");
    const stored = p.keyframeIndex?.encoding === "d36" ? p.keyframeIndex.data.split(",").length : 0;
    expect(stored).toBe(keys.length);
  });

  it("KEYFRAMES: exactly the keyframes the packets name", async () => {
    const keys = (await packetKeyframes(file, p.timeOrigin ?? p.startTime)).filter((k) => k >= 0);
    const { result } = await run(file, { mode: "KEYFRAMES" });
    expect(result.frames.map((f) => f.timestampSeconds)).toEqual(keys);
    expect(result.frames.every((f) => f.requestedSeconds === null)).toBe(true);
  });

  it("INTERVAL (dense): exact", async () => {
    const got = await run(file, { mode: "INTERVAL", intervalSeconds: p.durationSeconds / 12 });
    expect(got.result.frames.length).toBeGreaterThanOrEqual(11);
    // The frame picker reads every indexed container (MP4, Matroska, WebM, QuickTime); MPEG-TS and AVI take ffmpeg alone.
    expect(got.result.pickerRuns > 0, "picker used").toBe(/\.(mp4|mkv|webm|mov)$/.test(name));
    expect(got.result.fallbacks).toBe(0);
    await expectExact(file, p, got);
  });

  it("COUNT (sparse) and TIMESTAMPS: exact", async () => {
    await expectExact(file, p, await run(file, { mode: "COUNT", count: 3 }));
    const d = p.durationSeconds;
    await expectExact(
      file,
      p,
      await run(file, {
        mode: "TIMESTAMPS",
        timestamps: [0.1, d * 0.33, d * 0.34, d * 0.71, d - 0.2].map((t) => Math.round(t * 1000) / 1000),
      }),
    );
  });

  it("SCENES: runs, the first frame first", async () => {
    const { result } = await run(file, { mode: "SCENES" });
    expect(result.frames.length).toBeGreaterThanOrEqual(1);
    const times = result.frames.map((f) => f.timestampSeconds);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

describe("HEVC: our concat scripts break its decoder; the command-line paths never depend on them", () => {
  it("fed a probe that hides the codec, the fast paths fail (Duplicate POC) and fall back, exactly", async () => {
    const file = await fixture("hevc.mp4");
    const honest = await probe(file);
    // As if the engine did not know HEVC cannot take the jumps: spans and seek batches are tried.
    const lying = { ...honest, videoCodec: "h264" };
    const cases: ExtractionOptionsInput[] = [
      { mode: "INTERVAL", intervalSeconds: 1 },
      { mode: "TIMESTAMPS", timestamps: [1, 9.5, 13, 17.2, 22] },
    ];
    for (const opts of cases) {
      // The job still succeeds: each failed process is redone by the plain path.
      const fast = await run(file, opts, { probe: lying, nativeDecode: false });
      expect(fast.result.fallbacks).toBeGreaterThanOrEqual(1);
      const plain = await run(file, opts, { probe: honest, nativeDecode: false });
      expect(plain.result.fallbacks).toBe(0);
      expect(fast.result.frames.map((f) => f.timestampSeconds)).toEqual(
        plain.result.frames.map((f) => f.timestampSeconds),
      );
      // But a decoder fed those jumps may hand out a wrong picture before it fails (its picture
      // order counts wrapped): a fallback alone cannot make HEVC exact, hence the codec gate.
    }
  }, 120_000);
});
