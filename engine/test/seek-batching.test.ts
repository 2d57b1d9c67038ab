import { createWriteStream } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractionOptionsSchema } from "@vp/domain";
import { extract, probe, type ManifestFrame } from "../src/index.js";
import { expectedFrame, fixture, framePts, readZip, scratch } from "./fixtures.js";

let tmp: ReturnType<typeof scratch>;
beforeAll(() => {
  tmp = scratch();
});
afterAll(() => tmp.dispose());

async function seekTimestamps(
  file: string,
  timestamps: number[],
  seeksPerProcess: number,
): Promise<{ strategy: string; runs: number; frames: ManifestFrame[]; images: Buffer[] }> {
  const out = path.join(tmp.dir, `out-${Math.random().toString(36).slice(2)}.zip`);
  const result = await extract({
    inputPath: file,
    options: extractionOptionsSchema.parse({ mode: "TIMESTAMPS", timestamps }),
    output: createWriteStream(out),
    // The command line's own seek batches (the frame picker has its tests in frame-picker.test.ts).
    limits: { maxFrames: 100, timeoutSeconds: 60, concurrency: 2, seeksPerProcess, nativeDecode: false },
  });
  const entries = await readZip(out);
  return {
    strategy: result.strategy,
    runs: result.ffmpegRuns,
    frames: [...result.frames],
    images: entries.filter((e) => e.name !== "manifest.json").map((e) => e.data),
  };
}

describe("seek batches: one ffmpeg answers many targets, exactly as one seek per target would", () => {
  it.each([
    ["cfr.mp4", "B-frames, 1/15360 time base", 2, 0],
    ["cfr.mkv", "Matroska, frame times rounded to the millisecond", 2, 0],
    ["vfr.mp4", "variable frame rate", 2, 0],
    ["gappy.mp4", "a 2 s pause: times inside it are past the outpoint margin and sought alone", 2, 3],
    ["rotated.mp4", "rotation", 2, 0],
  ])("%s (%s)", async (name, _, batches, soughtAlone) => {
    const file = await fixture(name);
    const { durationSeconds } = await probe(file);
    const timestamps = [0, 0.0333, 0.5, 0.714286, 1, 1.5, 1.9, 2.0001, 2.25, 3.01, 3.5, 3.9].filter(
      (t) => t < durationSeconds - 0.05,
    );
    const batched = await seekTimestamps(file, timestamps, 16);
    const single = await seekTimestamps(file, timestamps, 1);
    expect(batched.strategy).toBe("seek-parallel");
    // A batch per process at concurrency 2 (costs come from the keyframe index), plus a process
    // for each time sought alone.
    expect([batched.runs, single.runs]).toEqual([batches + soughtAlone, timestamps.length]);
    expect(batched.frames).toEqual(single.frames);
    expect(batched.images).toHaveLength(single.images.length);
    batched.images.forEach((img, i) => expect(img.equals(single.images[i] as Buffer)).toBe(true));
    // And both are the first frame at or after each time, per ffprobe's own frame list.
    const pts = await framePts(file);
    for (const f of batched.frames)
      expect(f.timestampSeconds).toBeCloseTo(expectedFrame(pts, f.requestedSeconds as number), 5);
  });

  it("a pause longer than the margin: the frame after it answers every time inside it", async () => {
    const { frames } = await seekTimestamps(await fixture("gappy.mp4"), [0.5, 1, 2.5, 3.5], 16);
    expect(frames.map((f) => [f.requestedSeconds, f.timestampSeconds])).toEqual([
      [0.5, 0.5],
      [1, 3],
      [3.5, 3.5],
    ]);
  });
});
