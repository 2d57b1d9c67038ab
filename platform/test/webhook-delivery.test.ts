import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  generateWebhookSecret,
  WEBHOOK_RETRY_DELAYS_MS,
  webhookTaskSchema,
  type JobEvent,
  type WebhookEndpoint,
  type WebhookEventType,
  type WebhookTask,
} from "@vp/domain";
import { openDatabase, OutboxMailer, readOutbox, SqliteJobQueue, type Database } from "../src/local/index.js";
import { createTable } from "../src/aws/dynamo-table.js";
import { createDynamoWebhookStore } from "../src/aws/dynamo-webhook-store.js";
import type { AwsClients } from "../src/aws/clients.js";
import { randomName, startDynalite, testClients, type RunningServer } from "../src/testing/aws/servers.js";
import { createSqliteWebhookStore } from "../src/local/sqlite-webhook-store.js";
import type { WebhookStore } from "../src/ports/webhook-store.js";
import type { QueueConsumer } from "../src/messaging/queue-consumer.js";
import { startWebhookConsumer } from "../src/webhooks/start-webhook-consumer.js";
import type { WebhookSettings } from "../src/webhooks/webhook-settings.js";
import { until } from "../src/testing/contracts/helpers.js";

interface Received {
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

/** A receiver on loopback (allowed by the development setting) answering from a script. */
async function receiver(answer: (n: number, req: IncomingMessage, res: ServerResponse) => void) {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      answer(got.length, req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    got,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Compresses the day-and-a-half schedule to about two seconds. */
const RETRY_SCALE = 0.00002;

const verify = (secret: string, r: Received) =>
  new Webhook(secret).verify(r.body, {
    "webhook-id": String(r.headers["webhook-id"]),
    "webhook-timestamp": String(r.headers["webhook-timestamp"]),
    "webhook-signature": String(r.headers["webhook-signature"]),
  });

function jobEvent(ownerId: string, over: Partial<JobEvent["job"]> = {}): JobEvent {
  const now = new Date().toISOString();
  return {
    videoFilename: "clip.mp4",
    job: {
      id: randomUUID(),
      ownerId,
      videoId: randomUUID(),
      status: "SUCCEEDED",
      progress: 1,
      framesExtracted: 4,
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
      result: { frameCount: 4, archiveKey: "a/b.zip", archiveSizeBytes: 1000, strategy: "SEGMENTS" },
      createdAt: now,
      startedAt: now,
      finishedAt: now,
      updatedAt: now,
      version: 4,
      ...over,
    },
  };
}

let dynalite: RunningServer;
let clients: AwsClients;
beforeAll(async () => {
  dynalite = await startDynalite();
  clients = testClients({ dynamodb: dynalite.endpoint });
});
afterAll(async () => {
  clients?.destroy();
  await dynalite?.close();
});

/** The same behaviour on both record stores; the queue is the SQLite one (SQS has no local server). */
const STORES: ReadonlyArray<readonly [string, (db: Database) => Promise<WebhookStore>]> = [
  ["SQLite", async (db) => createSqliteWebhookStore(db)],
  [
    "DynamoDB (dynalite)",
    async () => {
      const tableName = randomName("vp-webhooks");
      await createTable(clients.dynamodb(), tableName);
      return createDynamoWebhookStore({ doc: clients.documents, tableName });
    },
  ],
];

describe.each(STORES)("webhook deliveries from the queue, records in %s", (_name, makeStore) => {
  let dir: string;
  let store: WebhookStore;
  let queue: SqliteJobQueue<WebhookTask>;
  let consumer: QueueConsumer | null;
  let outbox: string;
  let closeDb: () => void;
  const servers: Array<{ close(): Promise<void> }> = [];

  const settings = (over: Partial<WebhookSettings> = {}): WebhookSettings => ({
    allowLocalTargets: true,
    // 5 s ... 10 h becomes 0.1 ms ... 720 ms: all eight attempts in about two seconds.
    retryScale: RETRY_SCALE,
    timeoutMs: 400,
    disableAfterMs: 3_600_000,
    rotationOverlapMs: 60_000,
    maxEndpointsPerUser: 20,
    ...over,
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-webhook-delivery-"));
    const db = openDatabase(join(dir, "video-processor.db"));
    closeDb = () => db.close();
    store = await makeStore(db);
    queue = new SqliteJobQueue({
      db,
      name: "webhooks",
      schema: webhookTaskSchema,
      maxAttempts: 10,
      pollIntervalMs: 10,
    });
    outbox = join(dir, "outbox");
    consumer = null;
  });
  afterEach(async () => {
    await consumer?.close({ graceMs: 100 });
    for (const s of servers.splice(0)) await s.close();
    closeDb();
    await rm(dir, { recursive: true, force: true });
  });

  function start(over: Partial<WebhookSettings> = {}) {
    consumer = startWebhookConsumer({
      webhooks: { store, queue, settings: settings(over) },
      identity: { getUser: async (userId) => ({ userId, email: `${userId}@example.com`, confirmed: true }) },
      mailer: new OutboxMailer({ dir: outbox, from: "vp <no-reply@localhost>" }),
      publicUrl: () => "http://localhost:4000",
      logger: {
        info: () => undefined,
        warn: (o, m) => process.env.WH_DEBUG && console.warn(m, o),
        error: (o, m) => console.error(m, o),
      },
    });
  }

  async function endpoint(
    url: string,
    events: WebhookEventType[] = ["job.succeeded", "job.failed", "job.cancelled", "video.rejected"],
    owner = "owner-1",
  ) {
    const secret = generateWebhookSecret();
    const e = await store.endpoints.create({ id: randomUUID(), ownerId: owner, url, description: "", events, secret });
    return { endpoint: e, secret };
  }

  /** The endpoint's delivery's status, or null while there is none (for polling). */
  const statusOf = async (e: WebhookEndpoint) =>
    (await store.deliveries.listForEndpoint(e.ownerId, e.id, { first: 1 })).items[0]?.status ?? null;

  const onlyDelivery = async (e: WebhookEndpoint) => {
    const page = await store.deliveries.listForEndpoint(e.ownerId, e.id, { first: 10 });
    expect(page.items).toHaveLength(1);
    return page.items[0]!;
  };

  it("delivers a job's end once, signed so standardwebhooks verifies it, with the thin body", async () => {
    const r = await receiver((_n, _req, res) => res.writeHead(204).end());
    servers.push(r);
    const { endpoint: e, secret } = await endpoint(r.url);
    const failedOnly = await endpoint(r.url, ["job.failed"]);
    start();
    const event = jobEvent("owner-1");
    // The same news twice (at-least-once publishing) still makes one delivery.
    await queue.enqueue({ kind: "EVENT", event });
    await queue.enqueue({ kind: "EVENT", event });
    await until(async () => (await statusOf(e)) === "SUCCEEDED", "delivery");
    await new Promise((res) => setTimeout(res, 150));
    expect(r.got).toHaveLength(1);
    const body = verify(secret, r.got[0]!) as { type: string; timestamp: string; data: Record<string, unknown> };
    expect(body.type).toBe("job.succeeded");
    expect(body.timestamp).toBe(event.job.finishedAt);
    expect(body.data).toMatchObject({ status: "SUCCEEDED", frameCount: 4, error: null, videoFilename: "clip.mp4" });
    expect(Buffer.from(String(body.data.jobId), "base64url").toString()).toBe(`ExtractionJob:${event.job.id}`);
    expect(body.data.graphqlUrl).toBe("http://localhost:4000/graphql");
    expect(JSON.stringify(body)).not.toMatch(/archiveKey|download/i);
    expect(r.got[0]!.headers["webhook-id"]).toMatch(/^msg_/);
    expect(r.got[0]!.headers["content-type"]).toBe("application/json");
    const d = await onlyDelivery(e);
    expect(d).toMatchObject({ attempts: 1, status: "SUCCEEDED", nextAttemptAt: null });
    expect(d.attemptLog[0]).toMatchObject({ responseStatus: 204, error: null });
    expect((await store.deliveries.listForEndpoint("owner-1", failedOnly.endpoint.id, { first: 10 })).items).toEqual(
      [],
    );
  });

  it("a failed job whose video was refused is job.failed and video.rejected", async () => {
    const r = await receiver((_n, _req, res) => res.writeHead(200).end());
    servers.push(r);
    const { endpoint: e, secret } = await endpoint(r.url);
    start();
    await queue.enqueue({
      kind: "EVENT",
      event: jobEvent("owner-1", {
        status: "FAILED",
        result: null,
        error: { code: "INPUT_CORRUPT", message: "not a video", retryable: false },
      }),
    });
    await until(() => r.got.length === 2, "two deliveries");
    const types = r.got.map((g) => (verify(secret, g) as { type: string }).type).sort();
    expect(types).toEqual(["job.failed", "video.rejected"]);
    const page = await store.deliveries.listForEndpoint("owner-1", e.id, { first: 10 });
    expect(new Set(page.items.map((d) => d.id)).size).toBe(2);
  });

  it("retries on 500 with the same webhook-id until a 2xx, recording every attempt", async () => {
    const r = await receiver((n, _req, res) => res.writeHead(n <= 2 ? 500 : 200).end("ok"));
    servers.push(r);
    const { endpoint: e, secret } = await endpoint(r.url);
    start();
    await queue.enqueue({ kind: "EVENT", event: jobEvent("owner-1") });
    await until(async () => (await statusOf(e)) === "SUCCEEDED", "delivery after retries");
    expect(r.got).toHaveLength(3);
    expect(new Set(r.got.map((g) => g.headers["webhook-id"])).size).toBe(1);
    for (const g of r.got) expect(() => verify(secret, g)).not.toThrow();
    const d = await onlyDelivery(e);
    expect(d.attempts).toBe(3);
    expect(d.attemptLog.map((a) => a.responseStatus)).toEqual([500, 500, 200]);
    expect(d.attemptLog[0]!.error).toBe("HTTP 500");
    expect((await store.endpoints.findById(e.id))?.failingSince).toBeNull();
  });

  it("retries after a timeout", async () => {
    const r = await receiver((n, _req, res) => {
      if (n > 1) res.writeHead(204).end();
      // The first answer never comes.
    });
    servers.push(r);
    const { endpoint: e } = await endpoint(r.url);
    start({ timeoutMs: 300 });
    await queue.enqueue({ kind: "EVENT", event: jobEvent("owner-1") });
    await until(async () => (await statusOf(e)) === "SUCCEEDED", "delivery after a timeout");
    const d = await onlyDelivery(e);
    expect(d.attempts).toBe(2);
    expect(d.attemptLog[0]).toMatchObject({ responseStatus: null });
    expect(d.attemptLog[0]!.error).toMatch(/timed out/);
    expect(d.attemptLog[0]!.durationMs).toBeGreaterThanOrEqual(250);
  });

  it("gives up after the schedule's eight attempts and marks the delivery failed", async () => {
    const r = await receiver((_n, _req, res) => res.writeHead(503).end());
    servers.push(r);
    const { endpoint: e } = await endpoint(r.url);
    start();
    await queue.enqueue({ kind: "EVENT", event: jobEvent("owner-1") });
    await until(async () => (await statusOf(e)) === "FAILED", "the delivery to fail", 15_000);
    const d = await onlyDelivery(e);
    expect(d.attempts).toBe(8);
    expect(r.got).toHaveLength(8);
    const gaps = d.attemptLog.slice(1).map((a, i) => a.at.getTime() - d.attemptLog[i]!.at.getTime());
    // Each wait is at least the schedule's (scaled, less the 20 % jitter); a busy machine only adds.
    gaps.forEach((gap, i) =>
      expect(gap).toBeGreaterThanOrEqual(Math.floor(WEBHOOK_RETRY_DELAYS_MS[i]! * RETRY_SCALE * 0.8)),
    );
    const after = await store.endpoints.findById(e.id);
    expect(after?.enabled).toBe(true);
    expect(after?.failingSince).toBeInstanceOf(Date);
  });

  it("410 Gone disables the endpoint at once and mails its owner", async () => {
    const r = await receiver((_n, _req, res) => res.writeHead(410).end());
    servers.push(r);
    const { endpoint: e } = await endpoint(r.url);
    start();
    await queue.enqueue({ kind: "EVENT", event: jobEvent("owner-1") });
    await until(async () => (await statusOf(e)) === "FAILED", "the delivery to fail");
    expect(r.got).toHaveLength(1);
    expect(await store.endpoints.findById(e.id)).toMatchObject({ enabled: false, disabledReason: "GONE" });
    await until(async () => (await readOutbox(outbox).catch(() => [])).length === 1, "the owner's email");
    const [mail] = await readOutbox(outbox);
    expect(mail).toMatchObject({ to: "owner-1@example.com", subject: "Your webhook endpoint was disabled" });
    // A disabled endpoint gets nothing more.
    await queue.enqueue({ kind: "EVENT", event: jobEvent("owner-1") });
    await new Promise((res) => setTimeout(res, 200));
    expect(r.got).toHaveLength(1);
  });

  it("an endpoint failing for longer than the setting is disabled and its owner mailed", async () => {
    const r = await receiver((_n, _req, res) => res.writeHead(500).end());
    servers.push(r);
    const { endpoint: e } = await endpoint(r.url);
    start({ disableAfterMs: 100 });
    await queue.enqueue({ kind: "EVENT", event: jobEvent("owner-1") });
    await until(async () => (await store.endpoints.findById(e.id))?.enabled === false, "the endpoint disabled", 15_000);
    expect((await store.endpoints.findById(e.id))?.disabledReason).toBe("FAILING");
    await until(async () => (await readOutbox(outbox).catch(() => [])).length === 1, "the owner's email");
    await until(async () => (await statusOf(e)) === "FAILED", "the delivery to stop");
  });

  it("signs with both secrets while a rotated-out one is valid, and only the current one after", async () => {
    const r = await receiver((_n, _req, res) => res.writeHead(200).end());
    servers.push(r);
    const { endpoint: e, secret: old } = await endpoint(r.url);
    const current = generateWebhookSecret();
    const expired = generateWebhookSecret();
    await store.endpoints.update(
      e.id,
      {},
      {
        secrets: [
          { secret: current, createdAt: new Date(), expiresAt: null },
          { secret: old, createdAt: e.createdAt, expiresAt: new Date(Date.now() + 60_000) },
          { secret: expired, createdAt: e.createdAt, expiresAt: new Date(Date.now() - 1000) },
        ],
      },
    );
    start();
    await queue.enqueue({ kind: "EVENT", event: jobEvent("owner-1") });
    await until(() => r.got.length === 1, "delivery");
    const got = r.got[0]!;
    expect(String(got.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(() => verify(current, got)).not.toThrow();
    expect(() => verify(old, got)).not.toThrow();
    expect(() => verify(expired, got)).toThrow();
  });
});
