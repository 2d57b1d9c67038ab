import { outputFilters } from "./ffmpeg/args.js";
import { DEFAULT_KEYFRAME_INTERVAL } from "./sampling/strategy.js";
import type { DecodedFrame } from "./ffmpeg/frame-source.js";
import { firstTickAt, planSeekBatch } from "./sampling/seek-batch.js";
import { atOrAfterSelect } from "./sampling/select.js";
import { TIME_EPSILON } from "./sampling/targets.js";
import {
  batchable,
  INDEXED_FORMATS,
  onTimeline,
  outpointMargin,
  source,
  timed,
  type EngineContext,
} from "./engine-context.js";

/** Where to seek so that ffmpeg keeps exactly the frames at or after t (see firstTickAt). */
function exactSeek(ctx: EngineContext, t: number): number {
  const tb = ctx.probe.timeBase;
  // trim rounds the seek to the nearest tick: exact only while a tick is at least 2 µs.
  if (!tb || tb.den > tb.num * 500_000) return t;
  const originMicros = Math.round(ctx.origin * 1e6);
  return Number(firstTickAt(t, originMicros, tb).micros - BigInt(originMicros)) / 1e6;
}

/**
 * The first frame at or after each of `times` (ascending), from one ffmpeg process (seek-batch.ts).
 * A target the batch leaves unanswered (no frame within its outpoint margin, e.g. a pause in a
 * screen recording) or a batch that fails is sought on its own, so the result is always the
 * single-seek one; a real fault then fails there, classified.
 */
export async function* seekMany(
  ctx: EngineContext,
  times: readonly number[],
  threads: number,
): AsyncGenerator<DecodedFrame> {
  const p = ctx.probe;
  const batch =
    times.length > 1 && p.timeBase && batchable(ctx) && (times[0] as number) < ctx.end.noFrameFrom
      ? planSeekBatch({
          url: ctx.url,
          formatName: p.formatName,
          targets: times,
          originMicros: Math.round(ctx.origin * 1e6),
          timeBase: p.timeBase,
          durationSeconds: p.durationSeconds,
          marginSeconds: outpointMargin(p),
        })
      : null;
  let next = 0;
  if (batch) {
    try {
      const frames = source(ctx, {
        concatScript: batch.script,
        threads,
        maxFrames: times.length,
        filters: [batch.select, ...outputFilters(p.width, p.height, ctx.size, ctx.bins.outdated)],
      });
      for await (const f of frames) {
        const at = batch.locate(f.micros);
        if (!at || at.target < next) continue;
        for (; next < at.target; next++) yield* seekOne(ctx, times[next] as number, threads);
        yield { data: f.data, seconds: onTimeline(ctx, at.micros) };
        next = at.target + 1;
      }
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      ctx.fallbacks.count++;
    }
  }
  for (; next < times.length; next++) yield* seekOne(ctx, times[next] as number, threads);
}

/**
 * Seconds to start decoding before a target in containers without a seek index (MPEG-TS, MPEG-PS,
 * raw streams): their seek lands on any frame, and the decoder drops frames until the next
 * keyframe, which may lie past the target. Starting two keyframe intervals early puts one before it.
 */
function preroll(ctx: EngineContext): number {
  if (INDEXED_FORMATS.test(ctx.probe.formatName)) return 0;
  return 2 * (ctx.probe.keyframeIntervalSeconds ?? DEFAULT_KEYFRAME_INTERVAL * 2) + 1;
}

/**
 * Where a decode answering t starts. With a seek index: at the keyframe before t by presentation
 * time, from the keyframe index (a seek to t itself lands on the keyframe whose decode time is
 * before t, which for an open GOP can be the next keyframe, whose leading frames at or after t the
 * decoder then drops). Otherwise the preroll earlier, or no seek at all near the start (a seek
 * there can skip the first keyframe).
 */
export function earlySeek(ctx: EngineContext, t: number): { seek?: number } {
  const early = preroll(ctx);
  if (early === 0) return { seek: exactSeek(ctx, Math.min(t, ctx.index.at(ctx.index.before(t)))) };
  return t - early > 0 ? { seek: t - early } : {};
}

/**
 * The first frame at or after t: a decode from the keyframe before t (an accurate input seek to it)
 * or, without a seek index, from the preroll earlier; a select keeps the first frame at t or later.
 */
export async function* seekOne(ctx: EngineContext, t: number, threads: number): AsyncGenerator<DecodedFrame> {
  // A seek before this one found the real end of the stream: nothing at or after t either.
  if (t >= ctx.end.noFrameFrom) return;
  const filters = outputFilters(ctx.probe.width, ctx.probe.height, ctx.size, ctx.bins.outdated);
  let found = false;
  for await (const f of timed(
    ctx,
    source(ctx, {
      ...earlySeek(ctx, t),
      threads,
      maxFrames: 1,
      // Raw times (-copyts), with the same microsecond of slack as every other select (targets.ts TIME_EPSILON).
      filters: [atOrAfterSelect(ctx.origin + t - TIME_EPSILON), ...filters],
    }),
  )) {
    found = true;
    yield f;
  }
  // ffmpeg read to the end cleanly and nothing was at or after t: the stream ends before t.
  if (!found && !ctx.signal.aborted) ctx.end.noFrameFrom = Math.min(ctx.end.noFrameFrom, t);
}
