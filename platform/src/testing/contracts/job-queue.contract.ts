import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { JobQueue, QueueMessage } from "../../ports/job-queue.js";
import { expectDomainError } from "./helpers.js";

export const testMessageSchema = z.object({
  n: z.number().int(),
  text: z.string(),
});
export type TestMessage = z.infer<typeof testMessageSchema>;

/** What the suite asks of an adapter's queue. The suite owns the clock. */
export interface JobQueueSettings {
  /** Unique per test. */
  readonly name: string;
  readonly schema: z.ZodType<TestMessage>;
  readonly maxAttempts: number;
  readonly backoff: {
    readonly baseSeconds: number;
    readonly maxSeconds: number;
  };
  /** Unix milliseconds, moved by the suite; visibility, delays and backoff must follow it. */
  readonly clock: () => number;
}

export interface JobQueueFixture {
  readonly queue: JobQueue<TestMessage>;
  /** A second handle on the same queue, as another process would open it. */
  readonly openAnother: () => Promise<JobQueue<TestMessage>>;
  /** Puts a raw (possibly non-JSON) body on the queue; when absent that one test is skipped. */
  readonly sendRaw?: (raw: string) => Promise<void>;
  cleanup(): Promise<void>;
}

const VT = 30;

/** The JobQueue port's behaviour; run it for every adapter. */
export function jobQueueContract(name: string, make: (settings: JobQueueSettings) => Promise<JobQueueFixture>): void {
  describe(`JobQueue contract: ${name}`, () => {
    let fx: JobQueueFixture;
    let queue: JobQueue<TestMessage>;
    let now: number;
    let counter = 0;
    const advance = (seconds: number) => {
      now += Math.round(seconds * 1000);
    };
    const receiveAll = async (q: JobQueue<TestMessage> = queue, vt = VT) =>
      q.receive({ maxMessages: 10, visibilityTimeoutSeconds: vt });
    const receiveOne = async (q: JobQueue<TestMessage> = queue): Promise<QueueMessage<TestMessage>> => {
      const got = await q.receive({
        maxMessages: 1,
        visibilityTimeoutSeconds: VT,
      });
      expect(got).toHaveLength(1);
      return got[0]!;
    };

    beforeEach(async () => {
      now = Date.UTC(2030, 5, 1, 12, 0, 0);
      counter++;
      fx = await make({
        name: `contract-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`,
        schema: testMessageSchema,
        maxAttempts: 3,
        backoff: { baseSeconds: 2, maxSeconds: 10 },
        clock: () => now,
      });
      queue = fx.queue;
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    it("delivers an enqueued message once, then forgets it on ack", async () => {
      const { id, deduplicated } = await queue.enqueue({ n: 1, text: "héllo" });
      expect(deduplicated).toBe(false);
      expect(await queue.depth()).toEqual({
        visible: 1,
        inFlight: 0,
        delayed: 0,
        deadLettered: 0,
      });
      const m = await receiveOne();
      expect(m).toMatchObject({
        id,
        body: { n: 1, text: "héllo" },
        attempts: 1,
      });
      expect(m.enqueuedAt).toBeInstanceOf(Date);
      expect(typeof m.receipt).toBe("string");
      expect(await queue.depth()).toEqual({
        visible: 0,
        inFlight: 1,
        delayed: 0,
        deadLettered: 0,
      });
      await queue.ack(m.receipt);
      expect(await queue.depth()).toEqual({
        visible: 0,
        inFlight: 0,
        delayed: 0,
        deadLettered: 0,
      });
      advance(VT + 1);
      expect(await receiveAll()).toEqual([]);
      await expectDomainError(queue.ack(m.receipt), "STALE_UPDATE");
    });

    it("honours maxMessages and delivers every message exactly once", async () => {
      for (let n = 0; n < 7; n++) await queue.enqueue({ n, text: "x" });
      const first = await queue.receive({
        maxMessages: 3,
        visibilityTimeoutSeconds: VT,
      });
      expect(first).toHaveLength(3);
      const rest = await receiveAll();
      expect(rest).toHaveLength(4);
      expect(new Set([...first, ...rest].map((m) => m.body.n))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
      expect(await receiveAll()).toEqual([]);
    });

    it("hides a received message for its visibility timeout, then redelivers it with a new receipt", async () => {
      await queue.enqueue({ n: 1, text: "a" });
      const first = await receiveOne();
      const other = await fx.openAnother();
      expect(await receiveAll(other)).toEqual([]);
      advance(VT - 1);
      expect(await receiveAll()).toEqual([]);
      advance(2);
      expect((await queue.depth()).visible).toBe(1);
      const second = await receiveOne(other);
      expect(second.id).toBe(first.id);
      expect(second.attempts).toBe(2);
      expect(second.receipt).not.toBe(first.receipt);
      await expectDomainError(queue.ack(first.receipt), "STALE_UPDATE");
      await expectDomainError(queue.extend(first.receipt, 60), "STALE_UPDATE");
      await expectDomainError(queue.retry(first.receipt), "STALE_UPDATE");
      await queue.ack(second.receipt);
      expect(await queue.depth()).toMatchObject({ visible: 0, inFlight: 0 });
    });

    it("treats a receipt as stale once its visibility timeout has passed", async () => {
      await queue.enqueue({ n: 1, text: "a" });
      const m = await receiveOne();
      advance(VT + 1);
      await expectDomainError(queue.ack(m.receipt), "STALE_UPDATE");
      await expectDomainError(queue.extend(m.receipt, 60), "STALE_UPDATE");
    });

    it("extends visibility for long work (heartbeat)", async () => {
      await queue.enqueue({ n: 1, text: "a" });
      const m = await receiveOne();
      advance(20);
      await queue.extend(m.receipt, 60);
      advance(40); // past the original timeout, inside the extension
      expect(await receiveAll()).toEqual([]);
      expect((await queue.depth()).inFlight).toBe(1);
      advance(21);
      const again = await receiveOne();
      expect(again.attempts).toBe(2);
    });

    it("gives a message back on retry after an explicit delay", async () => {
      await queue.enqueue({ n: 1, text: "a" });
      const m = await receiveOne();
      expect(await queue.retry(m.receipt, { delaySeconds: 5, reason: "busy" })).toBe("RETRYING");
      expect(await queue.depth()).toEqual({
        visible: 0,
        inFlight: 0,
        delayed: 1,
        deadLettered: 0,
      });
      await expectDomainError(queue.ack(m.receipt), "STALE_UPDATE");
      advance(4);
      expect(await receiveAll()).toEqual([]);
      advance(1.5);
      const again = await receiveOne();
      expect(again).toMatchObject({ id: m.id, attempts: 2 });
    });

    it("backs off exponentially by default (base * 2^(attempts-1), capped)", async () => {
      await queue.enqueue({ n: 1, text: "a" });
      const m1 = await receiveOne();
      expect(await queue.retry(m1.receipt)).toBe("RETRYING");
      advance(1.9);
      expect(await receiveAll()).toEqual([]);
      advance(0.2);
      const m2 = await receiveOne();
      expect(m2.attempts).toBe(2);
      expect(await queue.retry(m2.receipt)).toBe("RETRYING");
      advance(3.9);
      expect(await receiveAll()).toEqual([]);
      advance(0.2);
      expect((await receiveOne()).attempts).toBe(3);
    });

    it("dead-letters on retry once attempts reach maxAttempts, keeping the reason", async () => {
      await queue.enqueue({ n: 42, text: "doomed" });
      for (let attempt = 1; attempt <= 3; attempt++) {
        const m = await receiveOne();
        expect(m.attempts).toBe(attempt);
        const outcome = await queue.retry(m.receipt, {
          delaySeconds: 0,
          reason: `failure ${attempt}`,
        });
        expect(outcome).toBe(attempt < 3 ? "RETRYING" : "DEAD_LETTERED");
      }
      advance(100);
      expect(await receiveAll()).toEqual([]);
      expect(await queue.depth()).toEqual({
        visible: 0,
        inFlight: 0,
        delayed: 0,
        deadLettered: 1,
      });
      const dead = await queue.deadLetters();
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({
        body: { n: 42, text: "doomed" },
        attempts: 3,
        reason: "failure 3",
      });
      expect(JSON.parse(dead[0]!.raw)).toEqual({ n: 42, text: "doomed" });
    });

    it("dead-letters a message whose visibility timed out maxAttempts times (a consumer that keeps crashing)", async () => {
      const { id } = await queue.enqueue({ n: 7, text: "crashy" });
      for (let attempt = 1; attempt <= 3; attempt++) {
        expect((await receiveOne()).attempts).toBe(attempt);
        advance(VT + 1);
      }
      expect(await receiveAll()).toEqual([]);
      const dead = await queue.deadLetters();
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({
        id,
        body: { n: 7, text: "crashy" },
        attempts: 3,
      });
      expect(dead[0]!.reason).toMatch(/max attempts/i);
      expect((await queue.depth()).deadLettered).toBe(1);
    });

    it("dead-letters bodies that fail validation and never delivers them", async () => {
      await queue.enqueue({
        n: "not a number",
        text: 1,
      } as unknown as TestMessage);
      await queue.enqueue({ n: 2, text: "fine" });
      const got = await receiveAll();
      expect(got.map((m) => m.body)).toEqual([{ n: 2, text: "fine" }]);
      const dead = await queue.deadLetters();
      expect(dead).toHaveLength(1);
      expect(dead[0]!.body).toBeNull();
      expect(JSON.parse(dead[0]!.raw)).toEqual({ n: "not a number", text: 1 });
      expect(dead[0]!.reason).toMatch(/^malformed/);
    });

    it("dead-letters bodies that are not JSON", async (ctx) => {
      if (fx.sendRaw === undefined) return ctx.skip();
      await fx.sendRaw("{not json");
      expect(await receiveAll()).toEqual([]);
      const dead = await queue.deadLetters();
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ body: null, raw: "{not json" });
      expect(dead[0]!.reason).toMatch(/^malformed/);
    });

    it("deduplicates by key while the message waits or is in flight", async () => {
      const a = await queue.enqueue({ n: 1, text: "a" }, { dedupeKey: "job-1" });
      const b = await queue.enqueue({ n: 2, text: "b" }, { dedupeKey: "job-1" });
      expect(b).toEqual({ id: a.id, deduplicated: true });
      const other = await queue.enqueue({ n: 3, text: "c" }, { dedupeKey: "job-2" });
      expect(other.deduplicated).toBe(false);
      expect((await queue.depth()).visible).toBe(2);
      const got = await receiveAll();
      expect(got.map((m) => m.body.n).sort()).toEqual([1, 3]);
      const inFlight = await queue.enqueue({ n: 4, text: "d" }, { dedupeKey: "job-1" });
      expect(inFlight).toEqual({ id: a.id, deduplicated: true });
      for (const m of got) await queue.ack(m.receipt);
      const fresh = await queue.enqueue({ n: 5, text: "e" }, { dedupeKey: "job-1" });
      expect(fresh.deduplicated).toBe(false);
      expect(fresh.id).not.toBe(a.id);
    });

    it("holds a delayed message back until its delay passes", async () => {
      await queue.enqueue({ n: 1, text: "later" }, { delaySeconds: 10 });
      expect(await queue.depth()).toMatchObject({ visible: 0, delayed: 1 });
      expect(await receiveAll()).toEqual([]);
      advance(10.5);
      expect((await receiveOne()).body.text).toBe("later");
    });

    it("long-polls: a waiting receive returns as soon as a message arrives, from this or another handle", async () => {
      const waiting = queue.receive({
        maxMessages: 1,
        visibilityTimeoutSeconds: VT,
        waitSeconds: 10,
      });
      setTimeout(() => void queue.enqueue({ n: 1, text: "same" }), 30);
      expect((await waiting).map((m) => m.body.text)).toEqual(["same"]);

      const other = await fx.openAnother();
      const waitingElsewhere = other.receive({
        maxMessages: 1,
        visibilityTimeoutSeconds: VT,
        waitSeconds: 10,
      });
      setTimeout(() => void queue.enqueue({ n: 2, text: "other" }), 30);
      expect((await waitingElsewhere).map((m) => m.body.text)).toEqual(["other"]);
    });

    it("stops long-polling when its signal aborts", async () => {
      const controller = new AbortController();
      const waiting = queue.receive({
        maxMessages: 1,
        visibilityTimeoutSeconds: VT,
        waitSeconds: 20,
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(), 30);
      const outcome = await waiting.then(
        (v) => ({ resolved: v }),
        (e: unknown) => ({ rejected: e }),
      );
      if ("resolved" in outcome) expect(outcome.resolved).toEqual([]);
      else expect((outcome.rejected as Error).name).toMatch(/Abort/);
    }, 10_000);

    it("never hands one message to two competing consumers", async () => {
      for (let n = 0; n < 30; n++) await queue.enqueue({ n, text: "x" });
      const other = await fx.openAnother();
      const consume = async (q: JobQueue<TestMessage>) => {
        const ns: number[] = [];
        for (;;) {
          const got = await q.receive({
            maxMessages: 4,
            visibilityTimeoutSeconds: VT,
          });
          if (got.length === 0) return ns;
          for (const m of got) {
            ns.push(m.body.n);
            await q.ack(m.receipt);
          }
        }
      };
      const [a, b] = await Promise.all([consume(queue), consume(other)]);
      const all = [...a, ...b].sort((x, y) => x - y);
      expect(all).toEqual(Array.from({ length: 30 }, (_, i) => i));
    });
  });
}
