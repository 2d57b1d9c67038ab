import { describe, expect, it } from "vitest";
import { KeyframeIndex } from "./keyframe-index.js";
import {
  balancedCuts,
  choosePlan,
  periodicKeyframes,
  planSeekBatches,
  planSegments,
  seekBatchLists,
  spansOf,
  type Span,
} from "./strategy.js";
import { opts, probe } from "./test-probe.js";

/** Keyframes at the given times of a 30 fps video lasting `duration` s. */
const indexAt = (times: number[], duration = 600): KeyframeIndex =>
  new KeyframeIndex(
    times,
    times.map((t) => Math.round(t * 30)),
    duration * 30,
    duration - 1 / 30,
  );
const every8 = indexAt(Array.from({ length: 75 }, (_, i) => i * 8));
const ctx = { index: every8, concurrency: 2, fastPaths: true, processCostFrames: 30 };

describe("strategy", () => {
  it("sparse sampling seeks, dense sampling decodes in segments", () => {
    expect(choosePlan(opts({ mode: "COUNT", count: 20 }), probe(), ctx).strategy).toBe("seek-parallel");
    expect(choosePlan(opts({ mode: "INTERVAL", intervalSeconds: 10 }), probe(), ctx).strategy).toBe("seek-parallel");
    expect(choosePlan(opts({ mode: "INTERVAL", intervalSeconds: 1 }), probe(), ctx).strategy).toBe("segmented-decode");
    expect(choosePlan(opts({ mode: "TIMESTAMPS", timestamps: [1] }), probe(), ctx).strategy).toBe("seek-parallel");
    expect(choosePlan(opts({ mode: "SCENES" }), probe(), ctx).strategy).toBe("scenes");
    expect(choosePlan(opts({ mode: "KEYFRAMES" }), probe(), ctx).strategy).toBe("keyframes");
  });
  it("scenes carry the request's threshold and gap, or the defaults", () => {
    expect(choosePlan(opts({ mode: "SCENES" }), probe(), ctx)).toMatchObject({ threshold: 0.3, minGapSeconds: 0.5 });
    expect(
      choosePlan(opts({ mode: "SCENES", sceneThreshold: 0.4, sceneMinGapSeconds: 2 }), probe(), ctx),
    ).toMatchObject({
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

  it("in one round, targets are dealt out by cost so the processes finish together", () => {
    // The regular bench video's 12 timestamps: contiguous cuts were 510 against 636 frames.
    const costs = [66, 66, 126, 126, 126, 186, 126, 126, 66, 66, 66, 6];
    const lists = seekBatchLists(costs, 2, 16);
    const load = (l: number[]): number => l.reduce((a, i) => a + (costs[i] as number), 0);
    expect(lists).toHaveLength(2);
    expect(lists.map(load)).toEqual([576, 576]);
    for (const l of lists) expect(l).toEqual([...l].sort((a, b) => a - b));
    expect(lists.flat().sort((a, b) => a - b)).toEqual(costs.map((_, i) => i));
    // Several rounds keep the contiguous cuts, in file order.
    const many = Array.from({ length: 40 }, () => 10);
    const rounds = seekBatchLists(many, 2, 8);
    expect(rounds.length).toBeGreaterThan(2);
    expect(rounds.flat()).toEqual(many.map((_, i) => i));
    expect(rounds.every((l) => l.length <= 8)).toBe(true);
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

describe("plans from the keyframe index", () => {
  // Scene-cut keyframes: irregular gaps from 1.6 s to 8.3 s.
  const gaps = [1.6, 8.3, 3.1, 5.5, 2.2, 7.9, 4.4, 6.0, 1.9, 8.1];
  const times = [0];
  while ((times.at(-1) as number) < 590)
    times.push(Math.round(((times.at(-1) as number) + (gaps[times.length % gaps.length] as number)) * 1e6) / 1e6);
  const irregular = indexAt(times.filter((t) => t < 600));

  it("KEYFRAMES reads the index's keyframes (not -skip_frame), capped", () => {
    const plan = choosePlan(opts({ mode: "KEYFRAMES" }), probe(), { ...ctx, index: irregular, cap: 10 });
    expect(plan.strategy).toBe("keyframes");
    expect(plan.targets?.kind === "list" && plan.targets.times).toEqual(irregular.times.slice(0, 10));
    // Without concat scripts (MPEG-TS, HEVC): one pass skipping non-keyframes.
    expect(choosePlan(opts({ mode: "KEYFRAMES" }), probe(), { ...ctx, fastPaths: false }).targets).toBeNull();
  });

  it("dense sampling over irregular keyframes: one span per interval, ending at its last target", () => {
    const plan = choosePlan(opts({ mode: "INTERVAL", intervalSeconds: 1 }), probe(), { ...ctx, index: irregular });
    expect(plan.strategy).toBe("segmented-decode");
    if (plan.strategy !== "segmented-decode") return;
    const spans = plan.segments.flatMap((s) => s.spans ?? []);
    expect(spans.length).toBeGreaterThan(50);
    for (const s of spans) {
      // Every target of the span lies in its keyframe interval; the span ends at the last one.
      expect(irregular.before(s.first)).toBe(s.keyframe);
      expect(irregular.before(s.last)).toBe(s.keyframe);
      expect(s.last).toBe(s.lastIndex);
    }
    // Segments cover every target once, in order, each within the read-ahead bound.
    expect(spans.map((s) => s.firstIndex)).toEqual(
      spans.map((_, i) => (i === 0 ? 0 : (spans[i - 1] as Span).lastIndex + 1)),
    );
    expect(
      plan.segments.every((s) => (s.spans ?? []).reduce((a, x) => a + x.lastIndex - x.firstIndex + 1, 0) <= 60),
    ).toBe(true);
  });

  it("segments are balanced by predicted decoding, not by target count", () => {
    const plan = choosePlan(opts({ mode: "INTERVAL", intervalSeconds: 1 }), probe(), {
      ...ctx,
      index: irregular,
      maxFramesPerSegment: 1000,
    });
    if (plan.strategy !== "segmented-decode") throw new Error(plan.strategy);
    expect(plan.segments).toHaveLength(2);
    const work = plan.segments.map((seg) =>
      (seg.spans ?? []).reduce((a, s) => a + irregular.framesTo(s.keyframe, s.last), 0),
    );
    expect(
      Math.abs((work[0] as number) - (work[1] as number)) / ((work[0] as number) + (work[1] as number)),
    ).toBeLessThan(0.05);
  });

  it("sparse sampling over irregular keyframes: batches of equal predicted work", () => {
    const plan = choosePlan(opts({ mode: "COUNT", count: 20 }), probe(), { ...ctx, index: irregular });
    expect(plan.strategy).toBe("seek-parallel");
    if (plan.strategy !== "seek-parallel") return;
    expect(plan.batches).toHaveLength(2);
  });

  it("spansOf groups targets by the keyframe before each", () => {
    const index = indexAt([0, 1.6, 9.9, 13]);
    expect(
      spansOf({ kind: "arithmetic", start: 0, step: 1, count: 15 }, index).map((s) => [
        s.firstIndex,
        s.lastIndex,
        s.keyframe,
      ]),
    ).toEqual([
      [0, 1, 0],
      [2, 9, 1],
      [10, 12, 2],
      [13, 14, 3],
    ]);
  });

  it("balancedCuts: contiguous, complete, cut nearest each share", () => {
    expect(balancedCuts([10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 2, 100, true)).toEqual([
      [0, 1],
      [1, 11],
    ]);
    expect(balancedCuts([1, 1, 1, 1], 2, 100, true)).toEqual([
      [0, 2],
      [2, 4],
    ]);
  });
});

describe("KeyframeIndex", () => {
  it("finds the keyframe before a time and predicts the frames decoded to reach it", () => {
    const index = indexAt([0, 2, 7], 10);
    expect([index.before(-1), index.before(0), index.before(1.99), index.before(2), index.before(9)]).toEqual([
      0, 0, 0, 1, 2,
    ]);
    expect(index.framesTo(0, 0)).toBe(1);
    expect(index.framesTo(0, 1)).toBe(31);
    expect(index.framesTo(1, 7)).toBe(151); // the whole interval, never past the next keyframe
    expect(index.framesBetween(1, 8)).toBe(210 + 32); // from the keyframe at 0, 1 + 31 frames into the last interval
  });

  it("round-trips through its stored form; too long a one is omitted", () => {
    const index = indexAt([0, 1.6, 9.9, 13.033367], 20);
    const record = index.toRecord();
    expect(record.encoding).toBe("d36");
    expect(KeyframeIndex.fromRecord(record)).toEqual(index);
    expect(index.toRecord(10)).toEqual({ encoding: "omitted", keyframeCount: 4 });
    expect(KeyframeIndex.fromRecord({ encoding: "omitted", keyframeCount: 4 })).toBeNull();
    // A 5-hour video with a keyframe every 2 s still fits the cap (about 9 characters a keyframe).
    const long = indexAt(
      Array.from({ length: 9000 }, (_, i) => (i * 2002000) / 1e6),
      18018,
    );
    const stored = long.toRecord();
    expect(stored.encoding).toBe("d36");
    expect(stored.encoding === "d36" && stored.data.length).toBeLessThan(96 * 1024);
    expect(KeyframeIndex.fromRecord(stored)?.times).toEqual(long.times);
  });
});

describe("plain runs (no concat scripts: HEVC, MPEG-TS)", () => {
  const every2 = indexAt(
    Array.from({ length: 30 }, (_, i) => i * 2),
    60,
  );
  const plain = { index: every2, concurrency: 2, fastPaths: false, marginSeconds: 0.1, marginFrames: 3 };

  it("a process per keyframe interval when skipping its tail is worth a start (1080p)", () => {
    const plan = choosePlan(opts({ mode: "INTERVAL", intervalSeconds: 1 }), probe({ durationSeconds: 60 }), {
      ...plain,
      processCostFrames: 16,
    });
    if (plan.strategy !== "segmented-decode") throw new Error(plan.strategy);
    expect(plan.segments).toHaveLength(30);
    // Each run ends a margin past its last target (k + 1 s), not at the next keyframe.
    expect(plan.segments[1]).toMatchObject({ firstTarget: 2, start: 2, end: 3.1 });
  });

  it("one run through the intervals when a start costs more than the tail (a thumbnail-sized video)", () => {
    const plan = choosePlan(opts({ mode: "INTERVAL", intervalSeconds: 1 }), probe({ durationSeconds: 60 }), {
      ...plain,
      processCostFrames: 700,
    });
    if (plan.strategy !== "segmented-decode") throw new Error(plan.strategy);
    expect(plan.segments).toHaveLength(1);
    expect(plan.segments[0]).toMatchObject({ firstTarget: 0, start: 0, end: 60 });
  });
});

describe("plain runs balanced across the cores", () => {
  const every2 = indexAt(
    Array.from({ length: 30 }, (_, i) => i * 2),
    60,
  );

  it("cuts one long run into equal halves for two cores, not at the buffer cap", () => {
    const plan = choosePlan(opts({ mode: "INTERVAL", intervalSeconds: 1 }), probe({ durationSeconds: 60 }), {
      index: every2,
      concurrency: 2,
      fastPaths: false,
      marginSeconds: 0.1,
      marginFrames: 3,
      processCostFrames: 37,
      maxFramesPerSegment: 40,
    });
    if (plan.strategy !== "segmented-decode") throw new Error(plan.strategy);
    expect(plan.segments.map((s) => s.firstTarget)).toEqual([0, 30]);
    expect(plan.segments[0]).toMatchObject({ start: 0, end: 29.1 });
  });
});
