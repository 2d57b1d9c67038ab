/**
 * Pieces of the ffconcat scripts the engine writes for itself (seek-batch.ts, decode-runs.ts): every
 * entry names the one input and only its probed container format; times are exact microseconds.
 */

export const MICROS = 1_000_000n;
/** ffmpeg drops timestamps that jump by more than 30 hours (-dts_error_threshold); stay well below. */
export const MAX_SPACING_SECONDS = 50_000;

/** One entry: the input read from `inpoint` (the keyframe before it) to `outpoint`; `duration` places the next entry. */
export const concatEntry = (
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
