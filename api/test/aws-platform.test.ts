import { ReceiveMessageCommand, DeleteMessageCommand } from "@aws-sdk/client-sqs";
import { PublishCommand } from "@aws-sdk/client-sns";
import { SendEmailCommand } from "@aws-sdk/client-sesv2";
import { mockClient } from "aws-sdk-client-mock";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobChannel, toJobSnapshot, type JobEvent } from "@vp/domain";
import { bytes, readAll, until } from "@vp/platform/testing";
import { loadPlatformSettings } from "@vp/platform";
import { createAwsPlatform, type AwsPlatform } from "@vp/platform";
import { startApiEventRelay } from "../src/messaging/api-event-relay.js";
import { startCognitoLocal, type CognitoLocal } from "@vp/platform/testing";
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

const available = redisServerAvailable();
const silent = { info() {}, warn() {}, error() {} };

/**
 * createAwsPlatform from a validated configuration, against dynalite, s3rver, cognito-local and
 * a real redis-server; SNS, SQS and SES (no local servers) mocked on the same client instances.
 */
describe.skipIf(!available)("createAwsPlatform", () => {
  const servers: RunningServer[] = [];
  let cognito: CognitoLocal;
  let platform: AwsPlatform;
  let clients: ReturnType<typeof testClients>;
  beforeAll(async () => {
    const [dynamo, s3, redis] = await Promise.all([startDynalite(), startS3rver(), startRedis()]);
    cognito = await startCognitoLocal();
    servers.push(dynamo, s3, redis, cognito);
    clients = testClients({ dynamodb: dynamo.endpoint, s3: s3.endpoint, cognito: cognito.endpoint });
    const {
      table,
      videosBucket: videos,
      archivesBucket: archives,
      userPoolId: poolId,
      userPoolClientId,
    } = await provisionResources(clients);
    const config = loadPlatformSettings({
      VP_BACKEND: "aws",
      AWS_REGION: "us-east-1",
      VP_PUBLIC_URL: "http://localhost:4000",
      VP_S3_VIDEOS_BUCKET: videos,
      VP_S3_ARCHIVES_BUCKET: archives,
      VP_DYNAMODB_TABLE: table,
      VP_SNS_API_TOPIC_ARN: "arn:aws:sns:us-east-1:000000000000:video-processor-api",
      VP_SNS_WORKER_TOPIC_ARN: "arn:aws:sns:us-east-1:000000000000:video-processor-worker",
      VP_SQS_WORKER_QUEUE_URL: "http://sqs.local/000000000000/worker",
      VP_SQS_API_QUEUE_URL: "http://sqs.local/000000000000/api",
      VP_SQS_NOTIFY_QUEUE_URL: "http://sqs.local/000000000000/notify",
      VP_REDIS_URL: redis.endpoint.startsWith("redis") ? redis.endpoint : `redis://${redis.endpoint}`,
      VP_COGNITO_USER_POOL_ID: poolId,
      VP_COGNITO_CLIENT_ID: userPoolClientId,
      VP_COGNITO_ISSUER: `${cognito.endpoint}/${poolId}`,
    });
    platform = await createAwsPlatform(config, { logger: silent, clients });
  });
  afterAll(async () => {
    await platform?.close();
    clients?.destroy();
    for (const s of servers.reverse()) await s.close();
  });

  it("carries a user from sign-up to a downloaded archive, with the job's news relayed to a live subscriber", async () => {
    const sns = mockClient(clients.sns());
    const sqs = mockClient(clients.sqs());
    const ses = mockClient(clients.ses());
    try {
      // Accounts: Cognito, tokens verified through the pool's JWKS.
      const email = `${randomName("u")}@example.com`;
      const { userId, confirmed } = await platform.identity.signUp({ email, password: "correct horse 42" });
      expect(confirmed).toBe(true);
      const { accessToken } = await platform.identity.signIn({ email, password: "correct horse 42" });
      expect((await platform.tokens.verify(accessToken)).userId).toBe(userId);

      // Upload straight to S3 through the presigned PUT.
      const videoId = randomUUID();
      const video = await platform.videos.create({
        id: videoId,
        ownerId: userId,
        filename: "clip.mp4",
        contentType: "video/mp4",
        sizeBytes: 2048,
        blobKey: `${userId}/${videoId}/original`,
        extraction: {
          mode: "INTERVAL",
          intervalSeconds: 1,
          format: "JPEG",
          quality: 85,
          fit: "CONTAIN",
          allowUpscale: false,
        },
      });
      const target = await platform.blobs.videos.createUploadTarget(video.blobKey, {
        contentType: "video/mp4",
        sizeBytes: 2048,
        expiresInSeconds: 60,
      });
      const put = await fetch(target.url, {
        method: target.method,
        headers: Object.fromEntries(target.headers.map((h) => [h.name, h.value])),
        body: new Uint8Array(bytes(2048)),
      });
      expect(put.status).toBe(200);
      expect(await platform.blobs.videos.head(video.blobKey)).toMatchObject({
        sizeBytes: 2048,
        contentType: "video/mp4",
      });

      // API -> worker through the API topic; the worker receives what SNS delivered to its queue.
      const job = await platform.jobs.create({ id: randomUUID(), ownerId: userId, videoId, options: video.extraction });
      sns.on(PublishCommand).resolves({ MessageId: "sns-1" });
      await platform.extractionQueue.enqueue({ jobId: job.id, videoId, ownerId: userId });
      const published = sns.commandCalls(PublishCommand)[0]!.args[0].input;
      const notification = (message: string) =>
        JSON.stringify({ Type: "Notification", MessageId: randomUUID(), Message: message });
      sqs.on(ReceiveMessageCommand).resolvesOnce({
        Messages: [
          {
            MessageId: "m1",
            ReceiptHandle: "rh-1",
            Body: notification(published.Message!),
            Attributes: { ApproximateReceiveCount: "1", SentTimestamp: String(Date.now()) },
          },
        ],
      });
      const [delivery] = await platform.extractionQueue.receive({ maxMessages: 1, visibilityTimeoutSeconds: 30 });
      expect(delivery!.body).toEqual({ jobId: job.id, videoId, ownerId: userId });

      // The worker claims and finishes the job with conditional updates, writes the archive, publishes.
      const running = await platform.jobs.update(
        job.id,
        { status: ["QUEUED"], version: 1 },
        { status: "RUNNING", attempts: 1, startedAt: new Date() },
      );
      const archive = bytes(300_000, 5);
      const info = await platform.blobs.archives.put(`${userId}/${job.id}/frames.zip`, archive, {
        contentType: "application/zip",
      });
      const done = await platform.jobs.update(
        job.id,
        { status: ["RUNNING"], attempts: running.attempts },
        {
          status: "SUCCEEDED",
          progress: 1,
          finishedAt: new Date(),
          result: {
            frameCount: 5,
            archiveKey: `${userId}/${job.id}/frames.zip`,
            archiveSizeBytes: info.sizeBytes,
            strategy: "test",
          },
        },
      );
      sns.reset();
      sns.on(PublishCommand).resolves({ MessageId: "sns-2" });
      await platform.jobEvents.publish({ job: toJobSnapshot(done), videoFilename: video.filename });
      const event = sns.commandCalls(PublishCommand)[0]!.args[0].input;
      expect(event.MessageAttributes?.type?.StringValue).toBe("JOB_FINISHED");

      // An API pod relays the worker topic's message from its queue into Redis.
      const got: JobEvent[] = [];
      await platform.events.subscribe(jobChannel(job.id), (p) => got.push(p as JobEvent));
      sqs.reset();
      sqs
        .on(ReceiveMessageCommand)
        .resolvesOnce({
          Messages: [
            {
              MessageId: "m2",
              ReceiptHandle: "rh-2",
              Body: notification(event.Message!),
              Attributes: { ApproximateReceiveCount: "1" },
            },
          ],
        })
        // Then an empty queue, answering after a moment as a long poll does.
        .callsFake(() => new Promise((r) => setTimeout(() => r({ Messages: [] }), 50)));
      sqs.on(DeleteMessageCommand).resolves({});
      const relay = startApiEventRelay({
        queue: platform.apiEventQueue!,
        events: platform.events,
        logger: silent,
        waitSeconds: 0,
      });
      try {
        await until(() => got.length === 1, "the relayed event");
        await until(() => sqs.commandCalls(DeleteMessageCommand).length === 1, "the relayed message to be deleted");
      } finally {
        await relay.close({ graceMs: 500 });
      }
      expect(got[0]!.job).toMatchObject({ id: job.id, status: "SUCCEEDED", version: 3 });

      // Download through a presigned GET; mail through SES.
      const link = await platform.blobs.archives.createDownloadUrl(`${userId}/${job.id}/frames.zip`, {
        filename: "clip frames.zip",
        expiresInSeconds: 60,
        contentType: "application/zip",
      });
      const res = await fetch(link.url);
      expect(res.headers.get("content-disposition")).toContain("attachment");
      expect(Buffer.from(await res.arrayBuffer()).equals(archive)).toBe(true);
      expect((await readAll(await platform.blobs.archives.get(`${userId}/${job.id}/frames.zip`))).length).toBe(
        archive.length,
      );
      ses.on(SendEmailCommand).resolves({ MessageId: "ses-1" });
      expect(await platform.mailer.send({ to: email, subject: "done", text: "t", html: "<p>h</p>" })).toEqual({
        messageId: "ses-1",
      });
    } finally {
      sns.restore();
      sqs.restore();
      ses.restore();
    }
  });
});
