import { describe, expect, it } from "vitest";
import { choosePlan, periodicKeyframes, planSeekBatches, planSegments } from "./strategy.js";
import { opts, probe } from "./test-probe.js";

describe("strategy", () => {
  it("sparse sampling seeks, dense sampling decodes in segments", () => {
    expect(choosePlan(opts({ mode: "COUNT", count: 20 }), probe(), 2).strategy).toBe("seek-parallel");
    expect(choosePlan(opts({ mode: "INTERVAL", intervalSeconds: 10 }), probe(), 2).strategy).toBe("seek-parallel");
    expect(choosePlan(opts({ mode: "INTERVAL", intervalSeconds: 1 }), probe(), 2).strategy).toBe("segmented-decode");
    expect(choosePlan(opts({ mode: "TIMESTAMPS", timestamps: [1] }), probe(), 2).strategy).toBe("seek-parallel");
    expect(choosePlan(opts({ mode: "SCENES" }), probe(), 2).strategy).toBe("scenes");
    expect(choosePlan(opts({ mode: "KEYFRAMES" }), probe(), 2).strategy).toBe("keyframes");
  });
  it("scenes carry the request's threshold and gap, or the defaults", () => {
    expect(choosePlan(opts({ mode: "SCENES" }), probe(), 2)).toMatchObject({ threshold: 0.3, minGapSeconds: 0.5 });
    expect(choosePlan(opts({ mode: "SCENES", sceneThreshold: 0.4, sceneMinGapSeconds: 2 }), probe(), 2)).toMatchObject({
      threshold: 0.4,
      minGapSeconds: 2,
    });
  });
  it("segments start on targets, cover the range, and hold a bounded number of frames", () => {
    const segs = planSegments({ kind: "arithmetic", start: 0, step: 1, count: 600 }, { start: 0, end: 600 }, 8, 2, 60);
    expect(segs).toHaveLength(10);
    expect(segs[0]).toEqual({ firstTarget: 0, start: 0, end: 60 });
    expect(segs[9]).toEqual({ firstTarget: 540, start: 540, end: 600 });
    // Keyframes every 8 s: cuts move to targets on keyframes (75 -> 72, 150 -> 144, ...).
    const aligned = planSegments(
      { kind: "arithmetic", start: 0, step: 1, count: 600 },
      { start: 0, end: 600 },
      8,
      2,
      86,
      periodicKeyframes([0, 8, 16, 24, 32]),
    );
    expect(aligned.map((s) => s.start)).toEqual([0, 72, 144, 224, 296, 368, 448, 520]);
    expect(aligned.every((s, i) => s.end === (aligned[i + 1]?.start ?? 600))).toBe(true);
    expect(periodicKeyframes([0, 2, 5, 8])).toBeNull();
    expect(
      planSegments({ kind: "arithmetic", start: 0, step: 0.5, count: 10 }, { start: 0, end: 5 }, 2, 2, 60),
    ).toEqual([{ firstTarget: 0, start: 0, end: 5 }]);
  });
});

describe("seek batches", () => {
  const every30 = Array.from({ length: 20 }, (_, i) => i * 30);
  const keyframesEvery8 = periodicKeyframes([0, 8, 16, 24]);

  it("predictable keyframes: one contiguous batch per process, of equal decoding work", () => {
    // Distances back to the keyframe repeat 0, 6, 4, 2 s: the halves cost the same.
    expect(planSeekBatches(every30, 2, 8, keyframesEvery8)).toEqual([
      [0, 10],
      [10, 20],
    ]);
  });

  it("cuts where the work is, not where the count is", () => {
    // The first target is a long way from its keyframe, the others sit on theirs.
    const costly = planSeekBatches([7.9, 16, 24, 32, 40, 48], 2, 8, keyframesEvery8);
    expect(costly).toEqual([
      [0, 1],
      [1, 6],
    ]);
  });

  it("unpredictable keyframes: twice as many batches, so the first process free takes the next", () => {
    expect(planSeekBatches(every30, 2, 8, null)).toHaveLength(4);
  });

  it("never more than the per-process cap in a batch, nor more batches than targets", () => {
    const many = Array.from({ length: 100 }, (_, i) => i * 5);
    const batches = planSeekBatches(many, 2, 8, keyframesEvery8, 16);
    expect(batches.every(([a, b]) => b - a <= 16 && b > a)).toBe(true);
    expect(batches.flatMap(([a, b]) => Array.from({ length: b - a }, (_, i) => a + i))).toEqual(many.map((_, i) => i));
    expect(planSeekBatches([1, 2], 4, 8, null)).toEqual([
      [0, 1],
      [1, 2],
    ]);
  });
});
