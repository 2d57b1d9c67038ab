import { describe, expect, it } from "vitest";
import { TokenBucketRateLimiter } from "../src/rate-limiter.js";

describe("TokenBucketRateLimiter", () => {
  it("allows a burst of capacity, then refills at the configured rate", () => {
    let now = 1_000;
    const rl = new TokenBucketRateLimiter({
      capacity: 3,
      refillPerSecond: 0.5,
      clock: () => now,
    });
    expect([1, 2, 3].map(() => rl.take("a").allowed)).toEqual([true, true, true]);
    expect(rl.take("a")).toEqual({ allowed: false, retryAfterSeconds: 2 });
    now += 1_000;
    expect(rl.take("a")).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 1_000;
    expect(rl.take("a").allowed).toBe(true);
    expect(rl.take("b").allowed).toBe(true);
  });

  it("never refills beyond capacity, and a clock going backwards grants nothing", () => {
    let now = 0;
    const rl = new TokenBucketRateLimiter({
      capacity: 2,
      refillPerSecond: 1,
      clock: () => now,
    });
    now = 3_600_000;
    expect([rl.take("k").allowed, rl.take("k").allowed, rl.take("k").allowed]).toEqual([true, true, false]);
    now -= 10_000;
    expect(rl.take("k").allowed).toBe(false);
  });

  it("keeps at most maxKeys buckets, dropping idle ones first", () => {
    let now = 0;
    const rl = new TokenBucketRateLimiter({
      capacity: 1,
      refillPerSecond: 0.001,
      clock: () => now,
      maxKeys: 2,
    });
    rl.take("hot");
    rl.take("idle");
    now += 10;
    rl.take("new"); // evicts the least recently used ("hot" was first), nothing is idle yet
    expect(rl.take("idle").allowed).toBe(false); // still remembered
    expect(rl.take("hot").allowed).toBe(true); // forgotten, so it starts fresh
  });
});
