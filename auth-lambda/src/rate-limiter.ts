export interface RateLimitDecision {
  readonly allowed: boolean;
  /** When refused: whole seconds until one request is allowed again (>= 1). 0 when allowed. */
  readonly retryAfterSeconds: number;
}

export interface RateLimiter {
  take(key: string): RateLimitDecision;
}

export interface TokenBucketOptions {
  /** Requests allowed in a burst. */
  readonly capacity: number;
  /** Tokens added back per second (capacity / 60 for "capacity per minute"). */
  readonly refillPerSecond: number;
  /** Milliseconds since the epoch. @default Date.now */
  readonly clock?: () => number;
  /** Buckets kept at most; full (idle) buckets are dropped first so memory stays bounded. @default 10_000 */
  readonly maxKeys?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * In-memory token buckets: right for one process. Several replicas (issue 5) each count on their
 * own, so the effective limit is per replica; API Gateway throttling covers the AWS side.
 */
export class TokenBucketRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly clock: () => number;
  private readonly maxKeys: number;

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.capacity >= 1) || !(options.refillPerSecond > 0))
      throw new RangeError("capacity >= 1 and refillPerSecond > 0 required");
    this.clock = options.clock ?? Date.now;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  /** `perMinute` requests a minute, all of them available as a burst. */
  static perMinute(perMinute: number, clock?: () => number): TokenBucketRateLimiter {
    return new TokenBucketRateLimiter({
      capacity: perMinute,
      refillPerSecond: perMinute / 60,
      ...(clock ? { clock } : {}),
    });
  }

  take(key: string): RateLimitDecision {
    const now = this.clock();
    const { capacity, refillPerSecond } = this.options;
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(
        capacity,
        bucket.tokens + (Math.max(0, now - bucket.updatedAt) / 1000) * refillPerSecond,
      );
      bucket.updatedAt = now;
      this.buckets.delete(key); // re-insert: Map order becomes least-recently-used first
    } else {
      bucket = { tokens: capacity, updatedAt: now };
      if (this.buckets.size >= this.maxKeys) this.evict(now);
    }
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerSecond)),
    };
  }

  private evict(now: number): void {
    for (const [key, b] of this.buckets) {
      const refilled = b.tokens + ((now - b.updatedAt) / 1000) * this.options.refillPerSecond;
      if (refilled >= this.options.capacity) this.buckets.delete(key);
    }
    // Still full of active clients: drop the least recently seen. They get a fresh bucket: a
    // bounded leniency, preferable to unbounded memory.
    while (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) break;
      this.buckets.delete(oldest);
    }
  }
}
