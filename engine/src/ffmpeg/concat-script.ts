/**
 * Pieces of the ffconcat scripts the engine writes for itself (seek-batch.ts, decode-runs.ts): every
 * entry names the one input and only its probed container format; times are exact microseconds.
 */

export const MICROS = 1_000_000n;
/** ffmpeg drops timestamps that jump by more than 30 hours (-dts_error_threshold); stay well below. */
export const MAX_SPACING_SECONDS = 50_000;

export interface ConcatEntry {
  /** Where reading starts (ffmpeg seeks to the keyframe before it), µs on the input's timeline. */
  readonly inpoint: bigint;
  /** Reading stops at the first packet decoded at or after it, µs. */
  readonly outpoint: bigint;
  /** Where the entry starts on the script's own timeline, µs: its packets are shifted by entryStart − inpoint. */
  readonly entryStart: bigint;
}

/**
 * The whole script: a lead-in, then the entries. concat starts its first entry at 0, leaving no room
 * for the shift an entry needs; the lead-in (the first entry's keyframe alone, at 0) takes that place.
 * The decoder is not reset between entries: fine for codecs whose keyframes start afresh (H.264
 * IDR, VP9, AV1, MPEG-2, ...), not for HEVC's open-GOP CRA keyframes (see engine-context.ts `CONCAT_UNSAFE_CODECS`).
 */
export function concatScript(url: string, formatName: string, entries: readonly ConcatEntry[]): string {
  const first = entries[0];
  if (!first) throw new Error("a concat script needs an entry");
  const lines = [
    "ffconcat version 1.0",
    concatEntry(url, formatName, first.inpoint, first.inpoint + 1n, first.entryStart),
  ];
  entries.forEach((e, i) => {
    const next = entries[i + 1];
    lines.push(concatEntry(url, formatName, e.inpoint, e.outpoint, next ? next.entryStart - e.entryStart : null));
  });
  return lines.join("\n") + "\n";
}

/** One entry: the input read from `inpoint` (the keyframe before it) to `outpoint`; `duration` places the next entry. */
const concatEntry = (
  url: string,
  formatName: string,
  inpoint: bigint,
  outpoint: bigint,
  duration: bigint | null,
): string =>
  `file ${quote(url)}\noption format_whitelist ${quote(formatName)}\ninpoint ${us(inpoint)}\noutpoint ${us(outpoint)}` +
  (duration === null ? "" : `\nduration ${us(duration)}`);

/** ffconcat quoting: inside single quotes nothing is special, so a quote is closed, escaped and reopened. */
export const quote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;

/** Microseconds as the seconds ffmpeg's time parser reads exactly. */
export const us = (m: bigint): string => {
  const neg = m < 0n;
  const a = neg ? -m : m;
  return `${neg ? "-" : ""}${a / MICROS}.${String(a % MICROS).padStart(6, "0")}`;
};

export const ceilDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return q * b < a ? q + 1n : q;
};

export const floorDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return q * b > a ? q - 1n : q;
};

/** Nearest, halves away from zero: av_rescale_q's rounding. */
export const roundDiv = (a: bigint, b: bigint): bigint =>
  a < 0n ? -floorDiv(-a * 2n + b, 2n * b) : floorDiv(a * 2n + b, 2n * b);
