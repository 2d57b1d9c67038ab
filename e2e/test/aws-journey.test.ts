import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  extractionRequestedSchema,
  jobEventSchema,
  messageSchema,
  notifiesOwner,
  type JobEvent,
  type Message,
} from "@vp/domain";
import { createAwsPlatform, createLogger, type AwsPlatform } from "@vp/platform";
import { openDatabase, SqliteJobQueue } from "@vp/platform";
import type { JobEventPublisher } from "@vp/platform";
import { startCognitoLocal } from "@vp/platform/testing";
import {
  provisionResources,
  randomName,
  redisServerAvailable,
  startDynalite,
  startRedis,
  startS3rver,
  testClients,
  type RunningServer,
} from "@vp/platform/testing";
import {
  loadStandaloneConfig as loadConfig,
  rolesFor,
  startProduct,
  type Role,
  type RunningProduct,
  type StandaloneConfig as Config,
} from "@vp/standalone";
import { JobOptionsDocument } from "@vp/client";
import { ApiClient, JOB_UPDATED, waitForTerminal } from "./support/api-client.js";
import { removeDir } from "./support/product.js";
import { makeTestVideo } from "./support/videos.js";
import { checkFramesAgainstArchive } from "./support/frames.js";
import { readZip } from "./support/zip.js";

/**
 * The journey on the AWS adapters: DynamoDB (dynalite), S3 (s3rver), Cognito (cognito-local) and
 * Redis (redis-server) are real servers. SNS/SQS has no server that speaks SDK v3, so that one
 * hop is replaced at its ports by durable SQLite queues routed the way the SNS filter policies do.
 * A second job asks for BEST frames and every preview: its options round-trip through DynamoDB.
 */
describe.skipIf(!redisServerAvailable())("user journey on the AWS adapters", () => {
  const servers: RunningServer[] = [];
  const products: RunningProduct[] = [];
  const platforms: AwsPlatform[] = [];
  let dir: string;
  let api: RunningProduct;
  let config: Config;
  let makeBackend: (role: Role) => Promise<AwsPlatform>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-aws-e2e-"));
    const [dynamo, s3, redis] = await Promise.all([startDynalite(), startS3rver(), startRedis()]);
    const cognito = await startCognitoLocal();
    servers.push(dynamo, s3, redis, cognito);
    const clients = testClients({ dynamodb: dynamo.endpoint, s3: s3.endpoint, cognito: cognito.endpoint });
    const {
      table,
      videosBucket: videos,
      archivesBucket: archives,
      userPoolId: poolId,
      userPoolClientId,
    } = await provisionResources(clients);
    config = loadConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "silent",
      VP_WORKER_CONCURRENCY: "1",
      VP_BACKEND: "aws",
      AWS_REGION: "us-east-1",
      VP_PUBLIC_URL: "http://localhost:4000",
      VP_S3_VIDEOS_BUCKET: videos,
      VP_S3_ARCHIVES_BUCKET: archives,
      VP_DYNAMODB_TABLE: table,
      VP_SNS_API_TOPIC_ARN: "arn:aws:sns:us-east-1:000000000000:video-processor-api",
      VP_SNS_WORKER_TOPIC_ARN: "arn:aws:sns:us-east-1:000000000000:video-processor-worker",
      VP_SQS_WORKER_QUEUE_URL: "http://sqs.invalid/000000000000/worker",
      VP_SQS_API_QUEUE_URL: "http://sqs.invalid/000000000000/api",
      VP_SQS_NOTIFY_QUEUE_URL: "http://sqs.invalid/000000000000/notify",
      VP_REDIS_URL: redis.endpoint.startsWith("redis") ? redis.endpoint : `redis://${redis.endpoint}`,
      VP_COGNITO_USER_POOL_ID: poolId,
      VP_COGNITO_CLIENT_ID: userPoolClientId,
      VP_COGNITO_ISSUER: `${cognito.endpoint}/${poolId}`,
      // Every API pod shares the frame URLs' key (Secrets Manager on AWS).
      VP_URL_SIGNING_SECRET: "test-frame-url-signing-secret-of-32+chars",
    });

    // The SNS/SQS stand-in: one SQLite file, the worker queue, the API pods' queue, the notify queue.
    const db = openDatabase(join(dir, "queues.db"));
    const extractions = new SqliteJobQueue({ db, name: "worker", schema: extractionRequestedSchema, maxAttempts: 4 });
    const apiEvents = new SqliteJobQueue<Message>({ db, name: "api", schema: messageSchema, maxAttempts: 4 });
    const notifications = new SqliteJobQueue<JobEvent>({ db, name: "notify", schema: jobEventSchema, maxAttempts: 4 });
    const workerTopic = (sender: Message["sender"]): JobEventPublisher => ({
      async publish(event) {
        const finished = notifiesOwner(event.job);
        const type = finished ? "JOB_FINISHED" : "JOB_UPDATED";
        await apiEvents.enqueue({ sender, target: "MSG_SERVICE_API", type, payload: event });
        if (finished) await notifications.enqueue(event);
      },
    });
    makeBackend = async (role) => {
      const aws = await createAwsPlatform(config, {
        logger: { info() {}, warn() {}, error() {} },
        clients,
        service: role === "api" ? "MSG_SERVICE_API" : "MSG_SERVICE_WORKER",
      });
      platforms.push(aws);
      const sender = role === "api" ? "MSG_SERVICE_API" : "MSG_SERVICE_WORKER";
      return {
        ...aws,
        extractionQueue: extractions,
        apiEventQueue: apiEvents,
        notificationQueue: notifications,
        jobEvents: workerTopic(sender),
      };
    };
    api = await start("api");
  });

  // Started once, by whichever test needs it first: each test's job waits in the queue until then.
  let worker: Promise<RunningProduct> | undefined;
  const workerRunning = () => (worker ??= start("worker"));

  async function start(role: Role): Promise<RunningProduct> {
    const product = await startProduct({
      config,
      roles: rolesFor(role),
      logger: createLogger(config.LOG_LEVEL),
      backend: { kind: "aws", messaging: "aws", platform: await makeBackend(role) },
      statusPollMs: 200,
    });
    products.push(product);
    return product;
  }

  afterAll(async () => {
    for (const p of products.reverse()) await p.close();
    for (const s of servers.reverse()) await s.close();
    await removeDir(dir);
  });

  it("signs up on Cognito, uploads to S3, follows the job through Redis and downloads the archive", async () => {
    const client = new ApiClient(api.url!);
    await client.signUpAndLogIn(`${randomName("grace")}@example.com`);
    const video = await makeTestVideo(join(dir, "talk.mp4"), { seconds: 6, size: "320x240" });
    const completed = await client.upload(video, { mode: "INTERVAL", intervalSeconds: 2 }, "talk.mp4");
    expect(completed.userErrors).toEqual([]);
    expect(completed.video.status).toBe("PROCESSING");
    const jobId = completed.job.id;

    const updates = client.subscribe(JOB_UPDATED, { jobId });
    expect((await updates.next()).value?.data?.jobUpdated.status).toBe("QUEUED");
    await workerRunning();

    const statuses: string[] = [];
    for await (const message of updates) {
      const job = message.data!.jobUpdated;
      statuses.push(job.status);
      if (job.status === "SUCCEEDED" || job.status === "FAILED") break;
    }
    expect(statuses.at(-1)).toBe("SUCCEEDED");
    expect(statuses).toContain("RUNNING");

    const done = await waitForTerminal(client, jobId);
    expect(done.result.frameCount).toBe(3);
    const download = await fetch(done.result.downloadUrl);
    expect(download.status).toBe(200);
    const entries = await readZip(Buffer.from(await download.arrayBuffer()));
    expect(entries.filter((e) => e.name.endsWith(".jpg"))).toHaveLength(3);
    // Frames one by one, read from the archive in S3 by byte range (VP_PUBLIC_URL names the front door).
    const frames = await checkFramesAgainstArchive(client, jobId, entries, {
      origin: api.url!,
      contentType: "image/jpeg",
    });
    expect(frames).toHaveLength(3);
    await client.close();
  }, 120_000);

  it("a job asking for BEST frames and every preview stores its options in DynamoDB and its archive in S3", async () => {
    const client = new ApiClient(api.url!);
    await client.signUpAndLogIn(`${randomName("ada")}@example.com`);
    const video = await makeTestVideo(join(dir, "trip.mp4"), { seconds: 6, size: "320x240" });
    const completed = await client.upload(
      video,
      { mode: "BEST", count: 2, storyboard: {}, contactSheet: { count: 4 }, animated: { clips: 2 } },
      "trip.mp4",
    );
    expect(completed.userErrors).toEqual([]);
    const jobId = completed.job.id;
    await workerRunning();
    const done = await waitForTerminal(client, jobId);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.result.frameCount).toBe(2);
    expect(done.result.strategy).toBe("best");
    const download = await fetch(done.result.downloadUrl);
    expect(download.status).toBe(200);
    const entries = await readZip(Buffer.from(await download.arrayBuffer()));
    expect(entries.map((e) => e.name).sort()).toEqual([
      "contact-sheet.jpg",
      "frame_000001.jpg",
      "frame_000002.jpg",
      "manifest.json",
      "preview.webp",
      "storyboard.jpg",
      "storyboard.json",
      "storyboard.vtt",
    ]);
    const manifest = JSON.parse(entries.find((e) => e.name === "manifest.json")!.data.toString()) as {
      options: { contactSheet: { title: string } };
      previews: { best: { rejected: unknown[] }; storyboard: { tiles: number } };
    };
    expect(manifest.options.contactSheet.title).toBe("trip.mp4");
    expect(manifest.previews.storyboard.tiles).toBe(50);
    // The options read back from DynamoDB, as the API shows them.
    const read = await client.data(JobOptionsDocument, { id: jobId });
    expect(read.job?.options).toMatchObject({
      mode: "BEST",
      count: 2,
      includeFrames: true,
      contactSheet: { count: 4, columns: 4, title: null },
      animated: { clips: 2, gif: false, width: 320 },
      storyboard: { tileWidth: 160, format: "JPEG" },
    });
    await client.close();
  }, 120_000);
});
