import { ceilDiv, concatScript, MAX_SPACING_SECONDS, MICROS, roundDiv } from "../ffmpeg/concat-script.js";
import { seekBatchSelect } from "./select.js";

/**
 * Many accurate seeks in one ffmpeg process, with the memory of one.
 *
 * A process per seek pays ffmpeg's start-up (dynamic linking, opening the input) every time;
 * one process with many `-ss … -i` inputs keeps a decoder per input alive and its memory grows
 * with every target. Instead the concat demuxer reads the one input once per target: each entry
 * seeks to the keyframe before its target (`inpoint`) and stops just after it (`outpoint`), so a
 * single decoder walks keyframe → target, then jumps to the next target's keyframe.
 *
 * Entry k's packets are shifted so that its target lands exactly on k·D (D much longer than the
 * video): a stateless select keeps, per entry, the first frame at or after k·D, and the frame's
 * true time comes back from its shifted one by pure integer arithmetic on the stream's time base.
 * Entry 0 is a tiny lead-in: concat starts its first entry at 0, which leaves no room for the
 * shift, so real targets start at entry 1.
 */

export interface TimeBase {
  readonly num: number;
  readonly den: number;
}

export interface SeekBatchInput {
  /** The one input, as a `file:` URL. */
  readonly url: string;
  /** The probe's container format name (e.g. "mov,mp4,m4a,3gp,3g2,mj2"): entries may open nothing else. */
  readonly formatName: string;
  /** Requested times, seconds on the video's timeline (0 = the container's start), ascending. */
  readonly targets: readonly number[];
  /** The container's start time in microseconds (what ffmpeg adds to -ss). */
  readonly originMicros: number;
  readonly timeBase: TimeBase;
  readonly durationSeconds: number;
  /**
   * How far past a target an entry reads (its outpoint). A frame further away is found by a seek of
   * its own, so this trades decoding a few surplus frames against the rare extra seek.
   */
  readonly marginSeconds: number;
}

export interface LocatedFrame {
  /** Index into the batch's targets. */
  readonly target: number;
  /** The frame's true presentation time on the input's own timeline, microseconds (as `-copyts` reports it). */
  readonly micros: number;
}

export interface SeekBatch {
  /** ffconcat script: the lead-in, then one entry per target. */
  readonly script: string;
  /** select filter keeping the first frame at or after each target. */
  readonly select: string;
  /** Maps showinfo's pts (microseconds, after settb=AVTB) back to its target and true time; null for frames of no target. */
  locate(rawMicros: number): LocatedFrame | null;
}

/**
 * Null when the input cannot be batched exactly (no usable time base, a time base finer than a
 * microsecond, or a video too long for the spacing): the caller seeks target by target instead.
 */
export function planSeekBatch(b: SeekBatchInput): SeekBatch | null {
  const tbNum = BigInt(b.timeBase.num);
  const tbDen = BigInt(b.timeBase.den);
  if (!(b.timeBase.num > 0 && b.timeBase.den > 0) || tbDen > tbNum * MICROS) return null;
  if (!Number.isSafeInteger(b.originMicros) || b.targets.length === 0 || /[\r\n]/.test(b.url + b.formatName))
    return null;
  const marginMicros = BigInt(Math.ceil(b.marginSeconds * 1e6));
  // Entries never overlap: a keyframe lies at most the whole video before its target.
  let spacing = BigInt(Math.ceil(2 * (b.durationSeconds + 1) + 2 * (Number(marginMicros) / 1e6)));
  spacing += (tbNum - (spacing % tbNum)) % tbNum; // a whole number of ticks
  if (spacing > MAX_SPACING_SECONDS) return null;
  const spacingTicks = (spacing * tbDen) / tbNum;

  const entries = b.targets.map((t, i) => {
    const k = BigInt(i + 1);
    const { firstTick, micros: inpoint } = firstTickAt(t, b.originMicros, b.timeBase);
    const shiftTicks = k * spacingTicks - firstTick;
    // concat adds round((entryStart − inpoint) µs → ticks); this entryStart makes that exactly shiftTicks.
    const entryStart = inpoint + roundDiv(shiftTicks * tbNum * MICROS, tbDen);
    return { inpoint, outpoint: inpoint + marginMicros, entryStart, shiftTicks };
  });

  return {
    script: concatScript(b.url, b.formatName, entries),
    select: seekBatchSelect(Number(spacing), b.timeBase.num / b.timeBase.den / 2),
    locate(rawMicros: number): LocatedFrame | null {
      if (!Number.isSafeInteger(rawMicros)) return null;
      const rawTicks = roundDiv(BigInt(rawMicros) * tbDen, tbNum * MICROS);
      const k = roundDiv(rawTicks, spacingTicks);
      const e = entries[Number(k) - 1];
      if (!e || rawTicks < k * spacingTicks) return null;
      const ticks = rawTicks - e.shiftTicks;
      return { target: Number(k) - 1, micros: Number(roundDiv(ticks * tbNum * MICROS, tbDen)) };
    },
  };
}

/**
 * The first tick of the time base whose time, to the microsecond (as manifests report it), is at or
 * after t (seconds on the video's timeline, taken to the microsecond); and that tick's time in
 * microseconds rounded up. Seeking there (-ss or inpoint) keeps exactly the frames at or after t:
 * ffmpeg's trim rounds the seek time to the nearest tick, which from an arbitrary t can keep a
 * frame up to half a tick early.
 */
export function firstTickAt(t: number, originMicros: number, tb: TimeBase): { firstTick: bigint; micros: bigint } {
  const num = BigInt(tb.num);
  const den = BigInt(tb.den);
  const instant = BigInt(originMicros) + BigInt(Math.floor(t * 1e6 + 1e-3));
  const firstTick = ceilDiv((2n * instant - 1n) * den, 2n * num * MICROS);
  return { firstTick, micros: ceilDiv(firstTick * num * MICROS, den) };
}
