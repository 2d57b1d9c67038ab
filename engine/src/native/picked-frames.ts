import type { DecodedFrame } from "../ffmpeg/frame-source.js";
import { outputFilters } from "../ffmpeg/args.js";
import { run } from "../ffmpeg/runner.js";
import { TIME_EPSILON } from "../sampling/targets.js";
import { INDEXED_FORMATS, source, timed, type EngineContext } from "../engine-context.js";

/**
 * Whether the frame picker can read this input exactly: a container whose seeks land on indexed
 * keyframes, and pictures stored upright (the picker's raw output carries no display matrix, so
 * ffmpeg could not turn them).
 */
export const pickable = (ctx: EngineContext): boolean =>
  ctx.picker !== null &&
  !ctx.bins.outdated &&
  ctx.probe.timeBase !== undefined &&
  ctx.probe.rotation === 0 &&
  INDEXED_FORMATS.test(ctx.probe.formatName);

/** The picker's arguments for ascending target times: each target's keyframe (from the index) and the target, in µs on ffmpeg's timeline. */
export function pickerPairs(ctx: EngineContext, times: readonly number[]): string[] {
  const us = (s: number): number => Math.round((ctx.origin + s) * 1e6);
  return times.map((t) => {
    const keyframe = Math.min(t, ctx.index.at(ctx.index.before(t)));
    // A microsecond of slack each way: the index and the select filter both round to the microsecond.
    return `${us(keyframe) + 1}:${us(t) - Math.round(TIME_EPSILON * 1e6)}`;
  });
}

/**
 * The first frame at or after each of `times` (ascending): the picker (engine/native/pick-frames.c)
 * decodes only what those frames need and hands their raw pictures to one ffmpeg that scales and
 * encodes them exactly as every other path does, so the images are byte for byte the same. When
 * the picker or its encoder fails, the frames it gave stand (each is exact) and `fallback`
 * answers the targets after them.
 */
export async function* pickedFrames(
  ctx: EngineContext,
  times: readonly number[],
  fallback: (rest: readonly number[]) => AsyncGenerator<DecodedFrame>,
): AsyncGenerator<DecodedFrame> {
  let reached = -Infinity;
  const left = (): number[] => times.filter((t) => t > reached + TIME_EPSILON);
  const picker = run({
    command: ctx.picker as string,
    args: [ctx.url, ctx.probe.formatName, ...pickerPairs(ctx, times)],
    signal: ctx.signal,
  });
  ctx.runs.count++;
  ctx.picks.count++;
  try {
    const frames = source(ctx, {
      stdin: picker.stdout,
      filters: outputFilters(ctx.probe.width, ctx.probe.height, ctx.size, ctx.bins.outdated),
    });
    for await (const f of timed(ctx, frames)) {
      if (f.seconds <= reached + TIME_EPSILON) continue;
      reached = f.seconds;
      yield f;
    }
    await picker.done;
    // The picker read to the end: nothing is at or after the targets it left.
    const rest = left();
    if (rest.length > 0) ctx.end.noFrameFrom = Math.min(ctx.end.noFrameFrom, rest[0] as number);
    return;
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    ctx.fallbacks.count++;
  } finally {
    picker.kill();
  }
  yield* fallback(left());
}
