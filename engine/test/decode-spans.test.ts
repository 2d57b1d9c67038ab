import { createWriteStream } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractionOptionsSchema, type ExtractionOptionsInput } from "@vp/domain";
import { extract, probe } from "../src/index.js";
import { KeyframeIndex } from "../src/sampling/keyframe-index.js";
import { expectedFrame, fixture, framePts, readZip, scratch } from "./fixtures.js";

let tmp: ReturnType<typeof scratch>;
beforeAll(() => {
  tmp = scratch();
});
afterAll(() => tmp.dispose());

async function run(file: string, opts: ExtractionOptionsInput) {
  const out = path.join(tmp.dir, `out-${Math.random().toString(36).slice(2)}.zip`);
  const result = await extract({
    inputPath: file,
    options: extractionOptionsSchema.parse(opts),
    output: createWriteStream(out),
    // The command line's own keyframe spans (the frame picker has its tests in frame-picker.test.ts).
    limits: { maxFrames: 100, timeoutSeconds: 60, concurrency: 2, nativeDecode: false },
  });
  const images = (await readZip(out)).filter((e) => e.name !== "manifest.json").map((e) => e.data);
  return { result, images };
}

describe("dense sampling by keyframe spans: the tail of each keyframe interval is never decoded", () => {
  it("irregular keyframes from the packet index: one span per interval holding targets, no fallback", async () => {
    const file = await fixture("irregular.mp4");
    const p = await probe(file);
    const index = KeyframeIndex.fromRecord(p.keyframeIndex);
    expect(index?.times).toEqual([0, 1.3, 5.4, 7.1, 8.9, 13]);
    const dense = await run(file, { mode: "INTERVAL", intervalSeconds: 0.5 });
    expect(dense.result.fallbacks).toBe(0);
    // One process per segment, no per-target seek: the spans answered every target.
    expect(dense.result.ffmpegRuns).toBeLessThanOrEqual(2);
  });

  it.each([
    [{ mode: "INTERVAL", intervalSeconds: 1 }, "gop4.mp4"],
    [{ mode: "INTERVAL", intervalSeconds: 1.5, startSeconds: 0.7 }, "gop4.mp4"],
    [{ mode: "COUNT", count: 12 }, "gop4.mp4"],
    [{ mode: "INTERVAL", intervalSeconds: 0.5 }, "irregular.mp4"],
    [{ mode: "INTERVAL", intervalSeconds: 1.1, startSeconds: 0.2 }, "irregular.mp4"],
  ] as const)(
    "%j %s: every frame is the first at or after its time, as a seek to it gives",
    async (opts, name = "gop4.mp4") => {
      const file = await fixture(name);
      const dense = await run(file, opts);
      expect(dense.result.strategy).toBe("segmented-decode");
      const pts = await framePts(file);
      for (const f of dense.result.frames)
        expect(f.timestampSeconds).toBeCloseTo(expectedFrame(pts, f.requestedSeconds as number), 5);
      // The same pictures, byte for byte, as accurate seeks to the same times.
      const sparse = await run(file, {
        mode: "TIMESTAMPS",
        timestamps: dense.result.frames.map((f) => f.requestedSeconds as number),
      });
      expect(sparse.result.strategy).toBe("seek-parallel");
      expect(sparse.result.frames.map((f) => f.timestampSeconds)).toEqual(
        dense.result.frames.map((f) => f.timestampSeconds),
      );
      dense.images.forEach((img, i) => expect(img.equals(sparse.images[i] as Buffer)).toBe(true));
    },
  );
});
