import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { openDatabase, SqliteJobQueue } from "../src/local/index.js";
import { startQueueConsumer, type Disposition } from "../src/messaging/queue-consumer.js";

const silent = { info() {}, warn() {}, error() {} };
const schema = z.object({ n: z.number() });

describe("startQueueConsumer", () => {
  let dir: string;
  let db: ReturnType<typeof openDatabase>;
  let queue: SqliteJobQueue<{ n: number }>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-consumer-"));
    db = openDatabase(join(dir, "q.db"));
    queue = new SqliteJobQueue({
      db,
      name: "work",
      schema,
      maxAttempts: 3,
      backoff: { baseSeconds: 0.01, maxSeconds: 0.01 },
    });
  });
  afterEach(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("handles every message once, never more than `concurrency` at a time", async () => {
    for (let n = 0; n < 12; n++) await queue.enqueue({ n });
    const handled: number[] = [];
    let running = 0;
    let peak = 0;
    const consumer = startQueueConsumer({
      name: "work",
      queue,
      concurrency: 3,
      visibilityTimeoutSeconds: 30,
      waitSeconds: 0.1,
      logger: silent,
      handle: async (m) => {
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        handled.push(m.body.n);
        return { kind: "ack" };
      },
    });
    while (handled.length < 12) await new Promise((r) => setTimeout(r, 10));
    await consumer.close();
    expect(handled.sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect(peak).toBe(3);
    expect(await queue.depth()).toMatchObject({ visible: 0, inFlight: 0 });
  });

  it("keeps a long handler's message invisible with heartbeats", async () => {
    await queue.enqueue({ n: 1 });
    let deliveries = 0;
    const consumer = startQueueConsumer({
      name: "work",
      queue,
      concurrency: 1,
      visibilityTimeoutSeconds: 2,
      waitSeconds: 0.1,
      logger: silent,
      handle: async () => {
        deliveries++;
        // Three visibility timeouts long: without heartbeats the message would be redelivered.
        // Heartbeats every 2/3 s leave slack for a loaded CI machine.
        await new Promise((r) => setTimeout(r, 6000));
        return { kind: "ack" };
      },
    });
    const other = await (async () => {
      await new Promise((r) => setTimeout(r, 4500));
      return queue.receive({ maxMessages: 1, visibilityTimeoutSeconds: 1 });
    })();
    expect(other).toEqual([]);
    await consumer.close();
    expect(deliveries).toBe(1);
  });

  it("retries a handler that throws, then dead-letters it", async () => {
    await queue.enqueue({ n: 7 });
    let calls = 0;
    const consumer = startQueueConsumer({
      name: "work",
      queue,
      concurrency: 1,
      visibilityTimeoutSeconds: 5,
      waitSeconds: 0.1,
      logger: silent,
      handle: async (): Promise<Disposition> => {
        calls++;
        throw new Error("boom");
      },
    });
    while ((await queue.depth()).deadLettered === 0) await new Promise((r) => setTimeout(r, 20));
    await consumer.close();
    expect(calls).toBe(3);
  });

  it("on close past the grace period, aborts handlers and hands their messages back at once", async () => {
    await queue.enqueue({ n: 1 });
    let started = false;
    const consumer = startQueueConsumer({
      name: "work",
      queue,
      concurrency: 1,
      visibilityTimeoutSeconds: 60,
      waitSeconds: 0.1,
      logger: silent,
      handle: (_m, ctx) =>
        new Promise<Disposition>((resolve) => {
          started = true;
          ctx.signal.addEventListener("abort", () => resolve({ kind: "handback" }));
        }),
    });
    while (!started) await new Promise((r) => setTimeout(r, 10));
    await consumer.close({ graceMs: 50 });
    const again = await queue.receive({ maxMessages: 1, visibilityTimeoutSeconds: 5 });
    expect(again.map((m) => m.body)).toEqual([{ n: 1 }]);
  });
});
