import { DEFAULT_SCENE_THRESHOLD, type ExtractionOptions } from "@vp/domain";
import { rangeOf, targetCount, targetsOf, type Range, type Targets } from "./targets.js";
import type { ProbeResult } from "../types.js";

export type StrategyName = "seek-parallel" | "segmented-decode" | "keyframes" | "scenes";

/**
 * Cost model, in seconds of video decoded. An accurate seek decodes from the keyframe before t,
 * half a keyframe interval on average, plus a process start worth SEEK_OVERHEAD_SECONDS of
 * decoding. A single pass decodes the whole range once. Seeking wins when sampling is sparse.
 */
export const SEEK_OVERHEAD_SECONDS = 0.5;
/** Keyframe interval assumed when the probe could not measure one. */
export const DEFAULT_KEYFRAME_INTERVAL = 2;
/** A decoding segment stays long enough that its seek to a keyframe is a small fraction of its work. */
export const MIN_SEGMENT_SECONDS = 20;
export const MIN_SEGMENT_KEYFRAME_INTERVALS = 4;
/** Bounded memory: a segment holds at most this many frames, so a waiting segment buffers little. */
export const MAX_FRAMES_PER_SEGMENT = 60;
/** SCENES: minimum seconds between two scene frames when the request names none. */
export const DEFAULT_SCENE_MIN_GAP_SECONDS = 0.5;

export interface Segment {
  /** Index of the first target the segment answers. */
  readonly firstTarget: number;
  readonly start: number;
  readonly end: number;
}

export type Plan =
  | { readonly strategy: "seek-parallel"; readonly targets: Targets; readonly range: Range }
  | {
      readonly strategy: "segmented-decode";
      readonly targets: Targets & { kind: "arithmetic" };
      readonly range: Range;
      readonly segments: readonly Segment[];
    }
  | { readonly strategy: "keyframes"; readonly targets: null; readonly range: Range }
  | {
      readonly strategy: "scenes";
      readonly targets: null;
      readonly range: Range;
      /** The request's, or the defaults. */
      readonly threshold: number;
      readonly minGapSeconds: number;
    };

export function choosePlan(
  o: ExtractionOptions,
  p: ProbeResult,
  concurrency: number,
  maxFramesPerSegment = MAX_FRAMES_PER_SEGMENT,
): Plan {
  const range = rangeOf(o, p);
  if (o.mode === "KEYFRAMES") return { strategy: "keyframes", targets: null, range };
  if (o.mode === "SCENES")
    return {
      strategy: "scenes",
      targets: null,
      range,
      threshold: o.sceneThreshold ?? DEFAULT_SCENE_THRESHOLD,
      minGapSeconds: o.sceneMinGapSeconds ?? DEFAULT_SCENE_MIN_GAP_SECONDS,
    };
  const targets = targetsOf(o, p) as Targets;
  if (targets.kind === "list") return { strategy: "seek-parallel", targets, range };
  const span = range.end - range.start;
  const gop = Math.min(p.keyframeIntervalSeconds ?? DEFAULT_KEYFRAME_INTERVAL, span);
  const seekCost = targetCount(targets) * (gop / 2 + SEEK_OVERHEAD_SECONDS);
  if (seekCost < span) return { strategy: "seek-parallel", targets, range };
  return {
    strategy: "segmented-decode",
    targets,
    range,
    segments: planSegments(targets, range, gop, concurrency, maxFramesPerSegment, periodicKeyframes(p.keyframeSample)),
  };
}

/** Splits the range at target instants into segments decoded in parallel, each starting on a target. */
export function planSegments(
  t: Targets & { kind: "arithmetic" },
  range: Range,
  gop: number,
  concurrency: number,
  maxFramesPerSegment = MAX_FRAMES_PER_SEGMENT,
  keyframeBefore: ((t: number) => number) | null = null,
): Segment[] {
  const span = range.end - range.start;
  const minSeconds = Math.max(MIN_SEGMENT_SECONDS, MIN_SEGMENT_KEYFRAME_INTERVALS * gop);
  const bySize = Math.ceil(t.count / maxFramesPerSegment);
  const byLength = Math.max(1, Math.floor(span / minSeconds));
  // A multiple of the process count, so the last round keeps every core busy.
  const wanted = Math.ceil(Math.max(concurrency, bySize) / concurrency) * concurrency;
  const n = Math.max(1, Math.min(t.count, byLength, wanted));
  // Boundaries are target indices; with known keyframes, move each to the first target at or after
  // the keyframe before it, so a segment's seek decodes (almost) nothing it then throws away.
  const cuts: number[] = [0];
  for (let i = 1; i < n; i++) {
    const ideal = Math.round((i * t.count) / n);
    let j = ideal;
    if (keyframeBefore) {
      const k = keyframeBefore(t.start + ideal * t.step);
      j = Math.max(0, Math.ceil((k - t.start) / t.step - 1e-9));
    }
    if (j > (cuts.at(-1) as number) && j < t.count) cuts.push(j);
  }
  return cuts.map((firstTarget, i) => {
    const next = cuts[i + 1];
    return {
      firstTarget,
      start: i === 0 ? range.start : t.start + firstTarget * t.step,
      end: next === undefined ? range.end : t.start + next * t.step,
    };
  });
}

/**
 * Keyframes every P seconds like clockwork in the sample (fixed-GOP encoders, screen recorders)
 * are predicted for the whole video. Irregular ones (scene-cut keyframes) are not: null. A wrong
 * prediction costs only speed, never correctness.
 */
export function periodicKeyframes(sample: readonly number[] | undefined): ((t: number) => number) | null {
  if (!sample || sample.length < 3) return null;
  const first = sample[0] as number;
  const period = ((sample.at(-1) as number) - first) / (sample.length - 1);
  if (!(period > 0)) return null;
  const regular = sample.every((k, i) => Math.abs(k - (first + i * period)) < Math.min(0.02, period / 10));
  if (!regular) return null;
  return (t) => (t <= first ? first : first + Math.floor((t - first) / period + 1e-9) * period);
}

/** Seeks sharing one ffmpeg process at most: start-up is paid once per batch, and batches still balance across cores. */
export const MAX_SEEKS_PER_PROCESS = 16;
/** Opening the input again and seeking, in seconds of decoding it is worth (a concat entry). */
export const SEEK_ENTRY_COST_SECONDS = 0.1;

/**
 * Cuts ascending target times into contiguous batches (index ranges [from, to)) of about equal
 * decoding work: a target costs the distance back to its keyframe when keyframes are predictable,
 * half a keyframe interval otherwise. With predictable costs, one batch per process and round;
 * without, twice as many batches, so whichever process finishes first takes the next.
 */
export function planSeekBatches(
  times: readonly number[],
  concurrency: number,
  gop: number,
  keyframeBefore: ((t: number) => number) | null,
  maxPerBatch = MAX_SEEKS_PER_PROCESS,
): [number, number][] {
  const n = times.length;
  if (n === 0) return [];
  const rounds = Math.ceil(n / (concurrency * maxPerBatch));
  const wanted = concurrency * rounds * (keyframeBefore ? 1 : 2);
  const count = Math.max(1, Math.min(n, wanted));
  const costs = times.map(
    (t) => SEEK_ENTRY_COST_SECONDS + (keyframeBefore ? Math.max(0, t - keyframeBefore(t)) : gop / 2),
  );
  const total = costs.reduce((a, b) => a + b, 0);
  const batches: [number, number][] = [];
  let from = 0;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += costs[i] as number;
    const left = count - batches.length - 1; // batches still to open after this one
    const mustCut = n - (i + 1) === left; // exactly one target left for each
    const full = i + 1 - from >= maxPerBatch;
    if (left > 0 && i + 1 < n && (mustCut || full || acc >= (total * (batches.length + 1)) / count - 1e-9)) {
      batches.push([from, i + 1]);
      from = i + 1;
    }
  }
  batches.push([from, n]);
  return batches;
}
