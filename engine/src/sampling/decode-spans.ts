import { concatScript, MAX_SPACING_SECONDS, MICROS, roundDiv } from "../ffmpeg/concat-script.js";
import { firstTickAt, type TimeBase } from "./seek-batch.js";
import { decodeSpansSelect } from "./select.js";

/**
 * Dense sampling without decoding what no target needs.
 *
 * A single pass decodes every frame; but the frame answering a target only needs the frames from
 * the keyframe before it. With targets every second and a keyframe every 8 s, the pass can stop
 * just after each keyframe interval's last target and resume at the next keyframe: a span per
 * keyframe interval, read as one entry of our own concat script (seek-batch.ts explains the
 * mechanism). The frames between a span's last target and the next keyframe are never decoded.
 *
 * Span k is shifted by k·D, D a whole number of ticks that is also a whole number of target
 * steps: the targets stay one arithmetic progression, so the stateless select of a single pass
 * still keeps the first frame at or after each target, and a frame's true time comes back by
 * integer arithmetic on the time base.
 */

export interface DecodeSpansInput {
  readonly url: string;
  readonly formatName: string;
  readonly originMicros: number;
  readonly timeBase: TimeBase;
  readonly durationSeconds: number;
  /** Read this far past a span's last target: its frame lies at most this far after it. */
  readonly marginSeconds: number;
  /** The targets' progression: start + i·step, seconds on the video's timeline. */
  readonly start: number;
  readonly step: number;
  /** First and last target time of each span, ascending and disjoint. */
  readonly spans: readonly { readonly first: number; readonly last: number }[];
}

export interface DecodeSpans {
  readonly script: string;
  readonly select: string;
  /** A kept frame's span and true time (microseconds on the input's own timeline); null for the lead-in. */
  locate(rawMicros: number): { readonly span: number; readonly micros: number } | null;
}

/** Null when the spans cannot be shifted exactly (no whole number of ticks is a whole number of steps, or the video is too long). */
export function planDecodeSpans(x: DecodeSpansInput): DecodeSpans | null {
  const { num: n, den: d } = x.timeBase;
  if (!(n > 0 && d > 0) || d > n * 1e6 || x.spans.length === 0 || !(x.step > 0)) return null;
  if (/[\r\n]/.test(x.url + x.formatName)) return null;
  const unit = wholeTicksAndSteps(x.step, x.timeBase);
  if (unit === null) return null;
  const tbNum = BigInt(n);
  const tbDen = BigInt(d);
  const minSpacingTicks = BigInt(Math.ceil((2 * (x.durationSeconds + x.marginSeconds + 1) * d) / n));
  const spacingTicks = ((minSpacingTicks + unit - 1n) / unit) * unit;
  const spacing = (Number(spacingTicks) * n) / d;
  if (spacing > MAX_SPACING_SECONDS) return null;

  const margin = BigInt(Math.ceil(x.marginSeconds * 1e6));
  const entries = x.spans.map((s, i) => {
    const shiftTicks = BigInt(i + 1) * spacingTicks;
    const inpoint = firstTickAt(s.first, x.originMicros, x.timeBase).micros;
    const outpoint = firstTickAt(s.last, x.originMicros, x.timeBase).micros + margin;
    return { inpoint, outpoint, shiftTicks, entryStart: inpoint + roundDiv(shiftTicks * tbNum * MICROS, tbDen) };
  });

  return {
    script: concatScript(x.url, x.formatName, entries),
    select: decodeSpansSelect(spacing, x.start + x.originMicros / 1e6, x.step),
    locate(rawMicros) {
      if (!Number.isSafeInteger(rawMicros)) return null;
      const rawTicks = roundDiv(BigInt(rawMicros) * tbDen, tbNum * MICROS);
      const j = roundDiv(rawTicks, spacingTicks);
      if (j < 1n || j > BigInt(entries.length)) return null;
      return { span: Number(j) - 1, micros: Number(roundDiv((rawTicks - j * spacingTicks) * tbNum * MICROS, tbDen)) };
    },
  };
}

/** The smallest whole number of ticks that is also a whole number of steps (within float noise), if a small one exists. */
function wholeTicksAndSteps(step: number, tb: TimeBase): bigint | null {
  const stepTicks = (step * tb.den) / tb.num;
  for (let m = 1; m <= 1000; m++) {
    const v = m * stepTicks;
    const r = Math.round(v);
    if (r >= 1 && Math.abs(v - r) < 1e-6) return BigInt(r);
  }
  return null;
}
