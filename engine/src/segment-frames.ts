import { outputFilters } from "./ffmpeg/args.js";
import { planDecodeSpans, type DecodeSpans } from "./sampling/decode-spans.js";
import type { DecodedFrame } from "./ffmpeg/frame-source.js";
import { arithmeticSelect } from "./sampling/select.js";
import { targetAt, TIME_EPSILON, type Targets } from "./sampling/targets.js";
import { earlySeek, seekOne } from "./seek-frames.js";
import { periodicKeyframes, type Segment } from "./sampling/strategy.js";
import type { ProbeResult } from "./types.js";
import { batchable, onTimeline, outpointMargin, source, timed, type EngineContext } from "./engine-context.js";

/** Extra seconds the last decoding segment reads past the range end. */
const END_SLACK_SECONDS = 1;

/** One segment decoded straight through, from the keyframe before its start (or the preroll earlier). */
export function segmentFrames(
  ctx: EngineContext,
  t: Targets & { kind: "arithmetic" },
  seg: Segment,
  last: boolean,
  threads: number,
): AsyncGenerator<DecodedFrame> {
  const from = earlySeek(ctx, seg.start);
  return timed(
    ctx,
    source(ctx, {
      ...from,
      // The last segment reads a little past the range: the frame answering its last target may lie beyond.
      duration: seg.end - (from.seek ?? 0) + (last ? END_SLACK_SECONDS : 0),
      threads,
      filters: [
        arithmeticSelect(t.start + ctx.origin, t.step, seg.firstTarget, t.count),
        ...outputFilters(ctx.probe.width, ctx.probe.height, ctx.size, ctx.bins.outdated),
      ],
    }),
  );
}

interface Span {
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly first: number;
  readonly last: number;
}

/** Decoding a span costs a file open and a seek, worth this many seconds of decoding. */
const SPAN_COST_SECONDS = 0.25;

export interface SegmentSpans {
  readonly spans: readonly Span[];
  readonly plan: DecodeSpans;
}

/**
 * Each segment's targets grouped by the keyframe interval they fall in (decode-spans.ts), when
 * keyframes are predictable and skipping each interval's tail saves real work; otherwise null and
 * segments decode straight through.
 */
export function keyframeSpans(
  ctx: EngineContext,
  t: Targets & { kind: "arithmetic" },
  segments: readonly Segment[],
): SegmentSpans[] | null {
  const p = ctx.probe;
  const keyframeBefore = periodicKeyframes(p.keyframeSample);
  const period = p.keyframeIntervalSeconds;
  if (!keyframeBefore || !period || p.variableFrameRate || !batchable(ctx)) return null;
  const margin = outpointMargin(p);
  let saved = 0;
  const all = segments.map((seg, i): SegmentSpans | null => {
    const end = segments[i + 1]?.firstTarget ?? t.count;
    const spans: Span[] = [];
    for (let j = seg.firstTarget; j < end; j++) {
      const time = targetAt(t, j);
      const open = spans.at(-1);
      if (open && keyframeBefore(time) === keyframeBefore(open.first))
        spans[spans.length - 1] = { ...open, lastIndex: j, last: time };
      else spans.push({ firstIndex: j, lastIndex: j, first: time, last: time });
    }
    for (const s of spans) saved += keyframeBefore(s.last) + period - (s.last + margin) - SPAN_COST_SECONDS;
    const plan = planDecodeSpans({
      url: ctx.url,
      formatName: p.formatName,
      originMicros: Math.round(ctx.origin * 1e6),
      timeBase: p.timeBase as NonNullable<ProbeResult["timeBase"]>,
      durationSeconds: p.durationSeconds,
      marginSeconds: margin,
      start: t.start,
      step: t.step,
      spans,
    });
    return plan ? { spans, plan } : null;
  });
  const ready = all.filter((s): s is SegmentSpans => s !== null);
  return ready.length === all.length && saved > 0.05 * (t.count * t.step) ? ready : null;
}

/**
 * One segment's frames from its keyframe spans, in one ffmpeg process. A span whose last target got
 * no frame within the margin (the stream changed after the probed minute) has its remaining
 * targets sought one by one, so the answer is always the single-pass one.
 */
export async function* spanFrames(
  ctx: EngineContext,
  t: Targets & { kind: "arithmetic" },
  { spans, plan }: SegmentSpans,
  threads: number,
): AsyncGenerator<DecodedFrame> {
  const p = ctx.probe;
  let current = 0;
  let reached = -Infinity;
  async function* finish(span: Span): AsyncGenerator<DecodedFrame> {
    if (reached >= span.last - TIME_EPSILON) return;
    for (let j = span.firstIndex; j <= span.lastIndex; j++) {
      const time = targetAt(t, j);
      if (time > reached + TIME_EPSILON) yield* seekOne(ctx, time, threads);
    }
  }
  const frames = source(ctx, {
    concatScript: plan.script,
    threads,
    filters: [plan.select, ...outputFilters(p.width, p.height, ctx.size, ctx.bins.outdated)],
  });
  for await (const f of frames) {
    const at = plan.locate(f.micros);
    if (!at || at.span < current) continue;
    for (; current < at.span; current++, reached = -Infinity) yield* finish(spans[current] as Span);
    const seconds = onTimeline(ctx, at.micros);
    reached = Math.max(reached, seconds);
    yield { data: f.data, seconds };
  }
  for (; current < spans.length; current++, reached = -Infinity) yield* finish(spans[current] as Span);
}
