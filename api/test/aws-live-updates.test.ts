import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  jobChannel,
  messageSchema,
  ownerChannel,
  toJobSnapshot,
  type Job,
  type JobEvent,
  type Message,
} from "@vp/domain";
import { until } from "@vp/platform/testing";
import { openDatabase, SqliteJobQueue, type Database } from "@vp/platform";
import { createSnsJobEventPublisher, RedisEventBus } from "@vp/platform";
import { startApiEventRelay } from "../src/messaging/api-event-relay.js";
import type { Publisher } from "@vp/platform";
import { redisServerAvailable, startRedis } from "@vp/platform/testing";

const available = redisServerAvailable();
if (!available) console.warn("SKIPPED: redis-server is not installed; the live-update fan-out test did not run.");

const silent = { info() {}, warn() {}, error() {} };

/**
 * Two API pods behind a load balancer. The SNS -> SQS hop is replaced at the port: the worker's
 * job events go through the real SNS envelope code into one shared durable queue (SQLite,
 * at-least-once, visibility), which both pods' relays consume; the Redis fan-out is real.
 */
describe.skipIf(!available)("live updates across API pods (real redis-server)", () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let dir: string;
  const dbs: Database[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    dir = await mkdtemp(join(tmpdir(), "vp-relay-"));
  });
  afterAll(async () => {
    for (const db of dbs) db.close();
    await redis?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const apiQueue = () => {
    const db = openDatabase(join(dir, "queue.db"));
    dbs.push(db);
    return new SqliteJobQueue<Message>({ db, name: "api-events", schema: messageSchema, maxAttempts: 5 });
  };

  it("gives a subscriber on any pod every update of their jobs, whichever pod's relay received it", async () => {
    const pods = await Promise.all(
      ["a", "b"].map(async () => {
        const events = new RedisEventBus({ url: redis.url });
        await events.connect();
        const queue = apiQueue();
        return {
          events,
          queue,
          relay: startApiEventRelay({ queue, events, logger: silent, concurrency: 2, waitSeconds: 1 }),
        };
      }),
    );
    const workerTopic: Publisher = {
      publish: async (message) => {
        await pods[0]!.queue.enqueue(message);
      },
    };
    const jobEvents = createSnsJobEventPublisher({ publisher: workerTopic });
    const owner = `owner-${randomUUID()}`;
    const base: Job = {
      id: randomUUID(),
      ownerId: owner,
      videoId: randomUUID(),
      status: "RUNNING",
      progress: 0,
      framesExtracted: 0,
      options: {
        mode: "INTERVAL",
        intervalSeconds: 1,
        format: "JPEG",
        quality: 85,
        fit: "CONTAIN",
        allowUpscale: false,
      },
      attempts: 1,
      error: null,
      result: null,
      createdAt: new Date(),
      startedAt: new Date(),
      finishedAt: null,
      updatedAt: new Date(),
      version: 1,
    };
    const onA: JobEvent[] = [];
    const onB: JobEvent[] = [];
    const otherOwner: unknown[] = [];
    try {
      await pods[0]!.events.subscribe(jobChannel(base.id), (p) => onA.push(p as JobEvent));
      await pods[1]!.events.subscribe(ownerChannel(owner), (p) => onB.push(p as JobEvent));
      await pods[1]!.events.subscribe(ownerChannel("someone-else"), (p) => otherOwner.push(p));
      for (let v = 1; v <= 20; v++) {
        const status = v === 20 ? "SUCCEEDED" : "RUNNING";
        await jobEvents.publish({
          job: toJobSnapshot({ ...base, status, progress: v / 20, version: v }),
          videoFilename: "clip.mp4",
        });
      }
      const versions = (got: JobEvent[]) => [...new Set(got.map((e) => e.job.version))].sort((x, y) => x - y);
      const all = Array.from({ length: 20 }, (_, i) => i + 1);
      await until(
        () => versions(onA).length === 20 && versions(onB).length === 20,
        "every version on both pods",
        10_000,
      );
      expect(versions(onA)).toEqual(all);
      expect(versions(onB)).toEqual(all);
      // Delivery is at least once and may reorder; the newest version is what a view keeps.
      const latest = (got: JobEvent[]) => got.reduce((m, e) => (e.job.version > m.job.version ? e : m));
      expect(latest(onA).job.status).toBe("SUCCEEDED");
      expect(latest(onB).job).toEqual(toJobSnapshot({ ...base, status: "SUCCEEDED", progress: 1, version: 20 }));
      expect(otherOwner).toEqual([]);
      await until(
        async () => (await pods[0]!.queue.depth()).visible + (await pods[0]!.queue.depth()).inFlight === 0,
        "every event acked",
      );
    } finally {
      for (const pod of pods) {
        await pod.relay.close({ graceMs: 1000 });
        await pod.events.close();
      }
    }
  });

  it("leaves an event on the queue when Redis cannot take it, and relays it once Redis can", async () => {
    const events = new RedisEventBus({ url: redis.url });
    await events.connect();
    const queue = apiQueue();
    let failing = true;
    const flaky = {
      publish: async (channel: string, payload: unknown) => {
        if (failing) throw new Error("redis unavailable");
        await events.publish(channel, payload);
      },
      subscribe: events.subscribe.bind(events),
      close: events.close.bind(events),
    };
    const got: unknown[] = [];
    const jobId = randomUUID();
    await events.subscribe(jobChannel(jobId), (p) => got.push(p));
    const snapshot = toJobSnapshot({
      id: jobId,
      ownerId: "o",
      videoId: "v",
      status: "QUEUED",
      progress: 0,
      framesExtracted: 0,
      options: {
        mode: "INTERVAL",
        intervalSeconds: 1,
        format: "JPEG",
        quality: 85,
        fit: "CONTAIN",
        allowUpscale: false,
      },
      attempts: 0,
      error: null,
      result: null,
      createdAt: new Date(),
      startedAt: null,
      finishedAt: null,
      updatedAt: new Date(),
      version: 1,
    });
    await queue.enqueue({
      sender: "MSG_SERVICE_WORKER",
      target: "MSG_SERVICE_ANY",
      type: "JOB_UPDATED",
      payload: { job: snapshot, videoFilename: "f" },
    });
    const relay = startApiEventRelay({ queue, events: flaky, logger: silent, concurrency: 1, waitSeconds: 1 });
    try {
      await until(
        async () =>
          (await queue.depth()).delayed + (await queue.depth()).visible === 1 && (await queue.depth()).inFlight === 0,
        "the failed relay to give the message back",
      );
      expect(got).toEqual([]);
      failing = false;
      await until(() => got.length === 1, "the relayed event after Redis came back", 10_000);
    } finally {
      await relay.close({ graceMs: 1000 });
      await events.close();
    }
  });
});
