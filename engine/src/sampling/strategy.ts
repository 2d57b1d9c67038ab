import { DEFAULT_SCENE_THRESHOLD, type ExtractionOptions } from "@vp/domain";
import { rangeOf, targetAt, targetCount, targetsOf, type Range, type Targets } from "./targets.js";
import type { ProbeResult } from "../types.js";
import type { KeyframeIndex } from "./keyframe-index.js";

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
  /** The keyframe spans the segment reads as one concat script, when spans are used; else it decodes straight through. */
  readonly spans?: readonly Span[];
}

/** Targets of one keyframe interval: decoded from its keyframe to a few frames past its last target. */
export interface Span {
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly first: number;
  readonly last: number;
  /** The keyframe interval (index into the keyframe index). */
  readonly keyframe: number;
}

export type Plan =
  | {
      readonly strategy: "seek-parallel";
      readonly targets: Targets;
      readonly range: Range;
      /** Target indices (each list ascending), one process each, of about equal predicted decoding (seekBatchLists). */
      readonly batches: readonly (readonly number[])[];
    }
  | {
      readonly strategy: "segmented-decode";
      readonly targets: Targets & { kind: "arithmetic" };
      readonly range: Range;
      readonly segments: readonly Segment[];
    }
  | {
      readonly strategy: "keyframes";
      /** The keyframes' times, from the index, when seek batches can read them; null: one pass skipping non-keyframes. */
      readonly targets: (Targets & { kind: "list" }) | null;
      readonly range: Range;
      readonly batches: readonly (readonly number[])[];
    }
  | {
      readonly strategy: "scenes";
      readonly targets: null;
      readonly range: Range;
      /** The request's, or the defaults. */
      readonly threshold: number;
      readonly minGapSeconds: number;
    };

/** What planning needs besides the request and the probe. */
export interface PlanContext {
  readonly index: KeyframeIndex;
  readonly concurrency: number;
  /** Frames a waiting process may buffer: a segment holds at most this many targets. */
  readonly maxFramesPerSegment?: number;
  /** Our own concat scripts (seek batches, keyframe spans) can read this input exactly. */
  readonly fastPaths: boolean;
  /** Targets one seek batch answers at most. */
  readonly seeksPerProcess?: number;
  /** Frames an entry reads past its target (the outpoint margin). */
  readonly marginFrames?: number;
  /** The result's frame cap (KEYFRAMES). */
  readonly cap?: number;
  /** Seconds an entry or a plain run reads past its last target (the outpoint margin). */
  readonly marginSeconds?: number;
  /** What starting one more ffmpeg costs, in frames of this video's decoding. @default PROCESS_COST_FRAMES */
  readonly processCostFrames?: number;
}

/** Seconds of CPU an ffmpeg process start costs (dynamic linking, opening the input, decoder set-up). */
export const PROCESS_START_SECONDS = 0.1;

/**
 * A process start in frames of this video's decoding: decoding one frame costs about 3 ns a pixel
 * single-threaded (H.264 720p: ~3 ms), plus a fixed part; a start is cheap against a 1080p frame,
 * costly against a thumbnail-sized one.
 */
export const processCostFrames = (width: number, height: number, codec = ""): number =>
  Math.min(
    2000,
    Math.max(
      10,
      Math.round((PROCESS_START_SECONDS * (SLOW_START_CODECS.has(codec) ? 2 : 1)) / (width * height * 3e-9 + 1e-4)),
    ),
  );

/** Decoders whose set-up costs about twice H.264's (HEVC at 1080p: ~0.2 s CPU a process, measured on the bench's 1080p video). */
const SLOW_START_CODECS: ReadonlySet<string> = new Set(["hevc", "vvc", "av1"]);

/** An ffmpeg process start, in frames of decoding it is worth (about 0.1 s of CPU, as much as ~30 frames of 720p). */
export const PROCESS_COST_FRAMES = 30;
/** Opening the input again and seeking (a concat entry), in frames of decoding. */
export const ENTRY_COST_FRAMES = 2;
/** A process does at least this many process starts' worth of predicted decoding, so its start-up stays a small part of it. */
export const MIN_PROCESS_STARTS = 4;

export function choosePlan(o: ExtractionOptions, p: ProbeResult, c: PlanContext): Plan {
  const range = rangeOf(o, p);
  const { index, concurrency } = c;
  const perProcess = c.seeksPerProcess ?? MAX_SEEKS_PER_PROCESS;
  const start = c.processCostFrames ?? PROCESS_COST_FRAMES;
  const margin = c.marginFrames ?? 3;
  if (o.mode === "KEYFRAMES") {
    if (!c.fastPaths) return { strategy: "keyframes", targets: null, range, batches: [] };
    const times = index.within(range.start, range.end).slice(0, c.cap ?? Infinity);
    // A range starting between keyframes: its first frame is what a decode from there shows first.
    const costs = times.map(() => ENTRY_COST_FRAMES + 1 + margin);
    return {
      strategy: "keyframes",
      targets: { kind: "list", times },
      range,
      batches: seekBatchLists(costs, concurrency, perProcess, maxProcesses(costs, concurrency, start)),
    };
  }
  if (o.mode === "SCENES")
    return {
      strategy: "scenes",
      targets: null,
      range,
      threshold: o.sceneThreshold ?? DEFAULT_SCENE_THRESHOLD,
      minGapSeconds: o.sceneMinGapSeconds ?? DEFAULT_SCENE_MIN_GAP_SECONDS,
    };
  const targets = targetsOf(o, p) as Targets;
  const n = targetCount(targets);
  const times = Array.from({ length: n }, (_, i) => targetAt(targets, i));
  const seekCosts = times.map((t) => ENTRY_COST_FRAMES + index.framesTo(index.before(t), t) + margin);
  const seek = (): Plan => ({
    strategy: "seek-parallel",
    targets,
    range,
    batches: c.fastPaths
      ? seekBatchLists(seekCosts, concurrency, perProcess, maxProcesses(seekCosts, concurrency, start))
      : times.map((_, i) => [i]),
  });
  if (targets.kind === "list") return seek();
  const spans = spansOf(targets, index);
  const bufferFrames = c.maxFramesPerSegment ?? MAX_FRAMES_PER_SEGMENT;
  if (c.fastPaths) {
    // Seeks and spans decode the same frames when no keyframe interval holds two targets.
    if (spans.length === n) return seek();
    const costs = spans.map((s) => ENTRY_COST_FRAMES + index.framesTo(s.keyframe, s.last) + margin);
    const groups = spanGroups(spans, costs, concurrency, bufferFrames, start);
    return {
      strategy: "segmented-decode",
      targets,
      range,
      segments: groups.map(([from, to], i) => {
        const first = spans[from] as Span;
        const next = spans[to];
        return {
          firstTarget: first.firstIndex,
          start: i === 0 ? range.start : first.first,
          end: next ? next.first : range.end,
          spans: spans.slice(from, to),
        };
      }),
    };
  }
  // No concat scripts here (HEVC, no seek index, an old ffmpeg): a process per seek, or plain runs.
  const single = seekCosts.reduce((a, b) => a + b + start, 0);
  if (c.marginSeconds !== undefined && index.count > 1) {
    // Runs as long as merging pays, then cut to about equal work across the cores (a run held back
    // only by the buffer cap left one core decoding 39 s of 1080p HEVC while the other idled after 21 s).
    const whole = plainRuns(spans, index, margin, start, Infinity);
    const rounds = Math.max(1, Math.ceil(n / (concurrency * bufferFrames)));
    const share = whole.reduce((a, r) => a + r.work, 0) / (concurrency * rounds);
    // Unless a process start would be a large part of each share (thumbnail-sized videos).
    const runs = plainRuns(
      spans,
      index,
      margin,
      start,
      bufferFrames,
      share >= MIN_PROCESS_STARTS * start ? share : Infinity,
    );
    const cost = runs.reduce((a, r) => a + r.work + start, 0);
    if (single < cost) return seek();
    return {
      strategy: "segmented-decode",
      targets,
      range,
      segments: runs.map((r, i) => ({
        firstTarget: r.firstIndex,
        start: i === 0 ? range.start : r.first,
        // The run's last target and its margin; the frame answering it, if further, is sought alone.
        end: i === runs.length - 1 ? range.end : Math.min(range.end, r.last + (c.marginSeconds as number)),
      })),
    };
  }
  const straight = index.framesBetween(range.start, range.end);
  if (single < straight) return seek();
  const gop = Math.min(
    index.meanInterval() ?? p.keyframeIntervalSeconds ?? DEFAULT_KEYFRAME_INTERVAL,
    range.end - range.start,
  );
  return {
    strategy: "segmented-decode",
    targets,
    range,
    segments: planSegments(targets, range, gop, concurrency, bufferFrames, (t) => index.at(index.before(t))),
  };
}

/** Consecutive spans decoded by one plain process (a seek to the first one's keyframe, straight through to the last one's target). */
export interface PlainRun {
  readonly firstIndex: number;
  readonly first: number;
  readonly last: number;
  readonly targets: number;
  /** Predicted frames decoded. */
  readonly work: number;
}

/**
 * Spans merged into plain runs: a run goes on through the next keyframe interval when the frames it
 * would skip there cost less than starting another process, holds at most `maxTargets` targets, and
 * stops before a span that would take its work more than half that span past `maxWork`.
 */
export function plainRuns(
  spans: readonly Span[],
  index: KeyframeIndex,
  marginFrames: number,
  start: number,
  maxTargets: number,
  maxWork = Infinity,
): PlainRun[] {
  const runs: PlainRun[] = [];
  let open: (PlainRun & { readonly lastSpan: Span }) | null = null;
  for (const s of spans) {
    const size = s.lastIndex - s.firstIndex + 1;
    const own = index.framesTo(s.keyframe, s.last) + marginFrames;
    if (open) {
      const prev: Span = open.lastSpan;
      // Going on: the rest of the previous span's interval and the intervals up to this one are decoded too.
      const through: number = index.framesBetween(prev.last, s.last) - index.framesTo(prev.keyframe, prev.last);
      const skipped = through - own;
      const more = Math.max(own, through);
      if (skipped < start && open.targets + size <= maxTargets && open.work + more / 2 <= maxWork) {
        const merged: PlainRun & { readonly lastSpan: Span } = {
          firstIndex: open.firstIndex,
          first: open.first,
          last: s.last,
          targets: open.targets + size,
          work: open.work + more,
          lastSpan: s,
        };
        open = merged;
        continue;
      }
      runs.push(open);
    }
    open = { firstIndex: s.firstIndex, first: s.first, last: s.last, targets: size, work: own, lastSpan: s };
  }
  if (open) runs.push(open);
  return runs.map(({ firstIndex, first, last, targets, work }) => ({ firstIndex, first, last, targets, work }));
}

/** Processes worth starting for this much predicted work: each does at least MIN_PROCESS_FRAMES, yet every core gets one. */
const maxProcesses = (costs: readonly number[], concurrency: number, start = PROCESS_COST_FRAMES): number =>
  Math.max(concurrency, Math.floor(costs.reduce((a, b) => a + b, 0) / (MIN_PROCESS_STARTS * start)));

/** Arithmetic targets grouped by the keyframe interval they fall in (the index's keyframe before each). */
export function spansOf(t: Targets & { kind: "arithmetic" }, index: KeyframeIndex): Span[] {
  const spans: Span[] = [];
  for (let j = 0; j < t.count; j++) {
    const time = targetAt(t, j);
    const k = index.before(time);
    const open = spans.at(-1);
    if (open && open.keyframe === k) spans[spans.length - 1] = { ...open, lastIndex: j, last: time };
    else spans.push({ firstIndex: j, lastIndex: j, first: time, last: time, keyframe: k });
  }
  return spans;
}

/**
 * Spans cut into segments (one ffmpeg each) of about equal predicted decoding, each holding at most
 * `maxTargets` targets (what a waiting process may buffer), as many as the work is worth.
 */
export function spanGroups(
  spans: readonly Span[],
  costs: readonly number[],
  concurrency: number,
  maxTargets: number,
  start = PROCESS_COST_FRAMES,
): [number, number][] {
  const targets = spans.reduce((a, s) => a + s.lastIndex - s.firstIndex + 1, 0);
  const total = costs.reduce((a, b) => a + b, 0);
  // Enough rounds that a segment's targets fit the buffer; a multiple of the process count.
  const rounds = Math.max(1, Math.ceil(targets / (concurrency * maxTargets)));
  const byWork = Math.max(1, Math.floor(total / (MIN_PROCESS_STARTS * start)));
  const count = Math.max(1, Math.min(spans.length, Math.max(concurrency, Math.min(concurrency * rounds, byWork))));
  const groups: [number, number][] = [];
  let from = 0;
  let acc = 0;
  let held = 0;
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i] as Span;
    const size = s.lastIndex - s.firstIndex + 1;
    const left = count - groups.length - 1;
    const goal = (total * (groups.length + 1)) / count - 1e-9;
    const c = costs[i] as number;
    if (i > from && (held + size > maxTargets || (left > 0 && acc + c / 2 > goal && spans.length - i >= left))) {
      groups.push([from, i]);
      from = i;
      held = 0;
    }
    acc += c;
    held += size;
  }
  groups.push([from, spans.length]);
  return groups;
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
  const costs = times.map(
    (t) => SEEK_ENTRY_COST_SECONDS + (keyframeBefore ? Math.max(0, t - keyframeBefore(t)) : gop / 2),
  );
  return balancedCuts(costs, concurrency, maxPerBatch, keyframeBefore !== null);
}

/**
 * Seek batches as lists of target indices, each ascending. When they all run at once (one round),
 * the targets are dealt out by predicted cost, largest first, each to the least loaded batch:
 * contiguous cuts of a few unequal costs leave one process finishing long after the other (the
 * regular video, 12 timestamps: 510 against 636 predicted frames; dealt out, 576 and 576). Over
 * several rounds the contiguous cuts stay, so the rounds follow the file and the merge buffers little.
 */
export function seekBatchLists(
  costs: readonly number[],
  concurrency: number,
  perProcess: number,
  maxGroups = Infinity,
): number[][] {
  const cuts = balancedCuts(costs, concurrency, perProcess, true, maxGroups);
  const ranges = cuts.map(([from, to]) => Array.from({ length: to - from }, (_, i) => from + i));
  if (cuts.length <= 1 || cuts.length > concurrency) return ranges;
  const bins = cuts.map(() => ({ load: 0, items: [] as number[] }));
  const order = costs.map((_, i) => i).sort((a, b) => (costs[b] as number) - (costs[a] as number) || a - b);
  for (const i of order) {
    // Room is certain: the cuts hold every item at perProcess or fewer each.
    const open = bins.filter((b) => b.items.length < perProcess);
    const bin = open.reduce((least, b) => (b.load < least.load ? b : least));
    bin.load += costs[i] as number;
    bin.items.push(i);
  }
  return bins.map((b) => b.items.sort((x, y) => x - y));
}

/**
 * Cuts items of known cost into contiguous groups [from, to) of about equal total cost: one group
 * per process and round when the costs are predicted from the keyframe index, twice as many when
 * they are guesses (whichever process finishes first takes the next). At most `maxPerGroup` items
 * a group, and never more groups than `maxGroups`.
 */
export function balancedCuts(
  costs: readonly number[],
  concurrency: number,
  maxPerGroup: number,
  predictable: boolean,
  maxGroups = Infinity,
): [number, number][] {
  const n = costs.length;
  if (n === 0) return [];
  const rounds = Math.ceil(n / (concurrency * maxPerGroup));
  const wanted = concurrency * rounds * (predictable ? 1 : 2);
  const count = Math.min(n, Math.max(Math.ceil(n / maxPerGroup), Math.min(wanted, Math.max(1, Math.floor(maxGroups)))));
  const total = costs.reduce((a, b) => a + b, 0);
  const groups: [number, number][] = [];
  const goal = (): number => (total * (groups.length + 1)) / count - 1e-9;
  let from = 0;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const c = costs[i] as number;
    // Close the group before this item when taking it would overshoot the group's share by more than half of it.
    if (count - groups.length - 1 > 0 && i > from && n - i >= count - groups.length - 1 && acc + c / 2 > goal()) {
      groups.push([from, i]);
      from = i;
    }
    acc += c;
    const left = count - groups.length - 1; // groups still to open after this one
    if (i + 1 < n && (i + 1 - from >= maxPerGroup || (left > 0 && (n - (i + 1) === left || acc >= goal())))) {
      groups.push([from, i + 1]);
      from = i + 1;
    }
  }
  groups.push([from, n]);
  return groups;
}
