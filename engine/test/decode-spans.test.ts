import { createWriteStream } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractionOptionsSchema, type ExtractionOptionsInput } from "@vp/domain";
import { extract } from "../src/index.js";
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
    limits: { maxFrames: 100, timeoutSeconds: 60, concurrency: 2 },
  });
  const images = (await readZip(out)).filter((e) => e.name !== "manifest.json").map((e) => e.data);
  return { result, images };
}

describe("dense sampling by keyframe spans: the tail of each keyframe interval is never decoded", () => {
  it.each([
    [{ mode: "INTERVAL", intervalSeconds: 1 }],
    [{ mode: "INTERVAL", intervalSeconds: 1.5, startSeconds: 0.7 }],
    [{ mode: "COUNT", count: 12 }],
  ] as const)("%j: every frame is the first at or after its time, as a seek to it gives", async (opts) => {
    const file = await fixture("gop4.mp4");
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
  });
});
