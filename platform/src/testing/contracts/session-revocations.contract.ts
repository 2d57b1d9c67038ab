import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionRevocations } from "../../ports/session-revocations.js";

export interface SessionRevocationsFixture {
  /** A store whose clock reads `clock()` (ms since the epoch). */
  readonly make: (clock: () => number) => SessionRevocations;
  /** Another store over the same data (another process). */
  readonly makeAnother: (clock: () => number) => SessionRevocations;
  close(): Promise<void>;
}

/** The suite every SessionRevocations adapter passes (SQLite on one machine, DynamoDB on AWS). */
export function sessionRevocationsContract(name: string, setup: () => Promise<SessionRevocationsFixture>): void {
  describe(`SessionRevocations contract: ${name}`, () => {
    let f: SessionRevocationsFixture;
    let now = Date.UTC(2030, 0, 1);
    const clock = () => now;
    beforeAll(async () => {
      f = await setup();
    });
    afterAll(async () => f?.close());

    it("knows nothing of a session never revoked", async () => {
      expect(await f.make(clock).isRevoked(randomUUID())).toBe(false);
    });

    it("refuses a revoked session until `until`, in every process, then forgets it", async () => {
      const sid = randomUUID();
      const store = f.make(clock);
      await store.revoke(sid, new Date(now + 60_000));
      expect(await store.isRevoked(sid)).toBe(true);
      expect(await f.makeAnother(clock).isRevoked(sid)).toBe(true);
      now += 59_000;
      expect(await store.isRevoked(sid)).toBe(true);
      now += 2_000;
      expect(await store.isRevoked(sid)).toBe(false);
    });

    it("is idempotent and keeps the later of two revocations", async () => {
      const sid = randomUUID();
      const store = f.make(clock);
      await store.revoke(sid, new Date(now + 120_000));
      await store.revoke(sid, new Date(now + 10_000));
      await store.revoke(sid, new Date(now + 120_000));
      now += 60_000;
      expect(await store.isRevoked(sid)).toBe(true);
      await store.revoke(sid, new Date(now + 600_000));
      now += 300_000;
      expect(await store.isRevoked(sid)).toBe(true);
    });

    it("keeps sessions apart, whatever characters their ids use", async () => {
      const store = f.make(clock);
      const a = `a-${randomUUID()}`;
      const b = `${a}#b:é/🙂`;
      await store.revoke(b, new Date(now + 60_000));
      expect(await store.isRevoked(a)).toBe(false);
      expect(await store.isRevoked(b)).toBe(true);
    });

    it("refuses to record an empty or huge id, and reads them as not revoked", async () => {
      const store = f.make(clock);
      await expect(store.revoke("", new Date(now + 1000))).rejects.toThrow();
      await expect(store.revoke("x".repeat(257), new Date(now + 1000))).rejects.toThrow();
      expect(await store.isRevoked("")).toBe(false);
      expect(await store.isRevoked("x".repeat(5000))).toBe(false);
    });
  });
}
