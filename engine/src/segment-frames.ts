import { outputFilters } from "./ffmpeg/args.js";
import { planDecodeSpans, type DecodeSpans } from "./sampling/decode-spans.js";
import type { DecodedFrame } from "./ffmpeg/frame-source.js";
import { arithmeticSelect } from "./sampling/select.js";
import { targetAt, TIME_EPSILON, type Targets } from "./sampling/targets.js";
import { earlySeek, seekOne } from "./seek-frames.js";
import type { Segment, Span } from "./sampling/strategy.js";
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

/**
 * The segment's keyframe spans as one concat script of our own (decode-spans.ts), or null when
 * they cannot be shifted exactly (a step no small whole number of ticks carries): the segment then
 * decodes straight through.
 */
export function spanPlan(ctx: EngineContext, t: Targets & { kind: "arithmetic" }, seg: Segment): DecodeSpans | null {
  const p = ctx.probe;
  if (!seg.spans || seg.spans.length === 0 || !p.timeBase || !batchable(ctx)) return null;
  return planDecodeSpans({
    url: ctx.url,
    formatName: p.formatName,
    originMicros: Math.round(ctx.origin * 1e6),
    timeBase: p.timeBase,
    durationSeconds: p.durationSeconds,
    marginSeconds: outpointMargin(p),
    start: t.start,
    step: t.step,
    spans: seg.spans,
  });
}

/**
 * One segment's frames, by the fastest path that works: its keyframe spans in one ffmpeg, else
 * (or when that ffmpeg fails: the concat demuxer's jumps break some decoders, e.g. HEVC with open
 * GOPs reporting "Duplicate POC") a plain decode straight through from the first target not yet
 * answered, else one accurate seek per target left. Only a failure of that last, plain path fails
 * the job; the answer is the same whichever path ran.
 */
export async function* segmentWithFallback(
  ctx: EngineContext,
  t: Targets & { kind: "arithmetic" },
  seg: Segment,
  endTarget: number,
  last: boolean,
  threads: number,
): AsyncGenerator<DecodedFrame> {
  let reached = -Infinity;
  const firstLeft = (): number => {
    let j = seg.firstTarget;
    while (j < endTarget && targetAt(t, j) <= reached + TIME_EPSILON) j++;
    return j;
  };
  async function* tracked(frames: AsyncGenerator<DecodedFrame>): AsyncGenerator<DecodedFrame> {
    for await (const f of frames) {
      if (f.seconds > reached) reached = f.seconds;
      yield f;
    }
  }
  const spans = spanPlan(ctx, t, seg);
  if (spans && seg.spans) {
    try {
      yield* tracked(spanFrames(ctx, t, seg.spans, spans, threads));
      return;
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      ctx.fallbacks.count++;
    }
  }
  let j = firstLeft();
  if (j >= endTarget) return;
  try {
    yield* tracked(
      segmentFrames(
        ctx,
        t,
        { firstTarget: j, start: j === seg.firstTarget ? seg.start : targetAt(t, j), end: seg.end },
        last,
        threads,
      ),
    );
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    ctx.fallbacks.count++;
  }
  // Targets the decode did not reach (a plain run ends a margin past its last target): one seek each.
  for (j = firstLeft(); j < endTarget; j = firstLeft()) {
    const before = reached;
    yield* tracked(seekOne(ctx, targetAt(t, j), threads));
    // Nothing at or after it: the stream ends before it (placement handles what is left).
    if (reached === before) return;
  }
}

/**
 * One segment's frames from its keyframe spans, in one ffmpeg process. A span whose last target got
 * no frame within the margin (a pause in a screen recording) has its remaining targets sought one
 * by one, so the answer is always the single-pass one.
 */
export async function* spanFrames(
  ctx: EngineContext,
  t: Targets & { kind: "arithmetic" },
  spans: readonly Span[],
  plan: DecodeSpans,
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
