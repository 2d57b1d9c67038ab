/**
 * When a failed delivery is tried again: Standard Webhooks' schedule (immediately, then 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts over about 27.6 hours, then failed), each wait
 * jittered so endpoints coming back from an outage are not hit by every sender at once.
 */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

export interface RetryScheduleOptions {
  /** Multiplies every wait: 1 in production, e.g. 0.001 in tests (5 s becomes 5 ms). @default 1 */
  readonly scale?: number;
  /** Fraction of each wait added or removed at random. @default 0.2 */
  readonly jitter?: number;
  /** [0, 1). @default Math.random */
  readonly random?: () => number;
}

/** The wait after `failedAttempts` failures of the current round, or null when the round is over. */
export function nextWebhookRetryDelayMs(failedAttempts: number, options: RetryScheduleOptions = {}): number | null {
  const base = WEBHOOK_RETRY_DELAYS_MS[failedAttempts - 1];
  if (failedAttempts < 1 || base === undefined) return null;
  const jitter = options.jitter ?? 0.2;
  const random = options.random ?? Math.random;
  const scaled = base * (options.scale ?? 1);
  return Math.max(0, Math.round(scaled * (1 + jitter * (2 * random() - 1))));
}

/** Attempts per round: the first plus one per scheduled retry. */
export const WEBHOOK_ATTEMPTS_PER_ROUND = WEBHOOK_RETRY_DELAYS_MS.length + 1;
