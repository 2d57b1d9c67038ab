import { describe, expect, it } from "vitest";
import { extractionOptionsSchema, type ExtractionOptionsInput } from "@vp/domain";
import { targetsOf, validatePlan } from "./plan.js";
import { choosePlan, periodicKeyframes, planSeekBatches, planSegments } from "./strategy.js";
import type { ProbeResult } from "../types.js";

const probe = (over: Partial<ProbeResult> = {}): ProbeResult => ({
  durationSeconds: 600,
  width: 1280,
  height: 720,
  frameRate: 30,
  videoCodec: "h264",
  rotation: 0,
  hasAudio: false,
  formatName: "mov,mp4",
  startTime: 0,
  keyframeIntervalSeconds: 8,
  variableFrameRate: false,
  frameCount: 18000,
  ...over,
});
const opts = (o: ExtractionOptionsInput) => extractionOptionsSchema.parse(o);
const limits = { maxFrames: 1000 };

describe("validatePlan", () => {
  it("accepts a plan within the video and the budget", () => {
    expect(validatePlan(opts({ mode: "INTERVAL", intervalSeconds: 1 }), probe(), limits)).toEqual({ ok: true });
  });
  it("names each problem precisely", () => {
    const r = validatePlan(
      opts({ mode: "TIMESTAMPS", timestamps: [10, 700, 5], startSeconds: 8, endSeconds: 100 }),
      probe(),
      limits,
    );
    expect(r).toEqual({
      ok: false,
      problems: [
        { field: ["timestamps", "1"], message: "700 s is beyond the end of the video (600 s)" },
        { field: ["timestamps", "2"], message: "5 s is before startSeconds (8 s)" },
      ],
    });
  });
  it("range beyond the duration, empty range", () => {
    expect(validatePlan(opts({ mode: "INTERVAL", intervalSeconds: 1, startSeconds: 600 }), probe(), limits)).toEqual({
      ok: false,
      problems: [{ field: ["startSeconds"], message: "600 s is at or beyond the end of the video (600 s)" }],
    });
    expect(validatePlan(opts({ mode: "INTERVAL", intervalSeconds: 1, endSeconds: 900 }), probe(), limits)).toEqual({
      ok: false,
      problems: [{ field: ["endSeconds"], message: "900 s is beyond the end of the video (600 s)" }],
    });
  });
  it("a frame budget over maxFrames (the request's or the server's)", () => {
    const r = validatePlan(opts({ mode: "INTERVAL", intervalSeconds: 0.5 }), probe(), limits);
    expect(r.ok ? [] : r.problems.map((p) => p.field)).toEqual([["intervalSeconds"]]);
    expect(r.ok ? "" : r.problems[0]?.message).toContain("makes 1200 frames, more than the limit of 1000");
    expect(validatePlan(opts({ mode: "COUNT", count: 50, maxFrames: 20 }), probe(), limits)).toEqual({
      ok: false,
      problems: [{ field: ["count"], message: "50 frames is more than the limit of 20" }],
    });
    expect(validatePlan(opts({ mode: "KEYFRAMES", maxFrames: 5000 }), probe(), limits)).toEqual({
      ok: false,
      problems: [{ field: ["maxFrames"], message: "must be at most 1000 (the server's limit)" }],
    });
  });
});

describe("targets", () => {
  it("INTERVAL covers [start, end) and always has one frame", () => {
    expect(targetsOf(opts({ mode: "INTERVAL", intervalSeconds: 10 }), probe())).toEqual({
      kind: "arithmetic",
      start: 0,
      step: 10,
      count: 60,
    });
    expect(targetsOf(opts({ mode: "INTERVAL", intervalSeconds: 10 }), probe({ durationSeconds: 3 }))).toMatchObject({
      count: 1,
    });
  });
  it("TIMESTAMPS in percent, sorted, duplicates merged", () => {
    expect(
      targetsOf(opts({ mode: "TIMESTAMPS", timestamps: [50, 10, 50], timestampUnit: "PERCENT" }), probe()),
    ).toEqual({ kind: "list", times: [60, 300] });
  });
});

describe("strategy", () => {
  it("sparse sampling seeks, dense sampling decodes in segments", () => {
    expect(choosePlan(opts({ mode: "COUNT", count: 20 }), probe(), 2).strategy).toBe("seek-parallel");
    expect(choosePlan(opts({ mode: "INTERVAL", intervalSeconds: 10 }), probe(), 2).strategy).toBe("seek-parallel");
    expect(choosePlan(opts({ mode: "INTERVAL", intervalSeconds: 1 }), probe(), 2).strategy).toBe("segmented-decode");
    expect(choosePlan(opts({ mode: "TIMESTAMPS", timestamps: [1] }), probe(), 2).strategy).toBe("seek-parallel");
    expect(choosePlan(opts({ mode: "SCENES" }), probe(), 2).strategy).toBe("scenes");
    expect(choosePlan(opts({ mode: "KEYFRAMES" }), probe(), 2).strategy).toBe("keyframes");
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
