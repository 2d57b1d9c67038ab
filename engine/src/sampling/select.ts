import { num } from "../ffmpeg/args.js";
import { TIME_EPSILON } from "./targets.js";

/**
 * Every ffmpeg `select` expression the engine uses: which decoded frames are kept. Times are the
 * input's own (-copyts), so a target t on the video's timeline is t + the container's start.
 * All are stateless (they look at this frame and the previous one only), so any number of
 * processes can evaluate them independently.
 */

/** Index of the arithmetic target (start + k·step) at or before the time `v` names, as an expression. */
const targetIndex = (v: string, rawStart: number, step: number): string =>
  `floor((${v}-${num(rawStart)}+${num(TIME_EPSILON)})/${num(step)})`;

/**
 * Arithmetic targets A + k*I (firstTarget <= k < count): a frame is kept when a target falls in
 * (previous frame's time, this frame's time], i.e. it is the first frame at or after that target.
 * Each segment of a single pass evaluates it on its own.
 */
export function arithmeticSelect(rawStart: number, step: number, firstTarget: number, count: number): string {
  const k = (v: string): string => targetIndex(v, rawStart, step);
  return `select='if(isnan(prev_t),gte(${k("t")},${firstTarget}),gt(${k("t")},${k("prev_t")})*gte(${k("t")},${firstTarget})*lt(${k("prev_t")},${count - 1}))'`;
}

/** First frame of the range (the first scene), then a frame whenever the scene score passes the threshold, at least minGap apart. */
export const sceneSelect = (threshold: number, minGap: number): string =>
  `select='if(isnan(prev_selected_t),1,gt(scene,${num(threshold)})*gte(t-prev_selected_t,${num(minGap)}))'`;

/** Every frame at or after a raw time: a seek without a seek index lands early (seek-frames.ts). */
export const atOrAfterSelect = (rawSeconds: number): string => `select='gte(t,${num(rawSeconds)})'`;

/**
 * Seek batches (seek-batch.ts): entry k's target sits exactly on k·spacing; per entry, keep the
 * first frame at or after it (half a tick of slack for the time base's rounding), never the lead-in.
 */
export function seekBatchSelect(spacingSeconds: number, halfTickSeconds: number): string {
  const d = num(spacingSeconds);
  const eps = num(halfTickSeconds);
  const boundary = `${d}*floor(t/${d}+0.5)`;
  return `select='gte(t,${d}/2)*gte(t+${eps},${boundary})*if(isnan(prev_t),1,lt(prev_t+${eps},${boundary}))'`;
}

/**
 * Decode spans (decode-spans.ts): the shifted spans keep the targets one progression from
 * `rawStart` by `step`, so the arithmetic rule applies as is, after the lead-in (before half a spacing).
 */
export function decodeSpansSelect(spacingSeconds: number, rawStart: number, step: number): string {
  const k = (v: string): string => targetIndex(v, rawStart, step);
  return `select='gte(t,${num(spacingSeconds / 2)})*if(isnan(prev_t),1,gt(${k("t")},${k("prev_t")}))'`;
}
