import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message as SqsMessage,
} from "@aws-sdk/client-sqs";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import {
  toJobSnapshot,
  type ExtractionRequested,
  type Job,
  type JobEvent,
  type JobStatus,
  type Message,
} from "@vp/domain";
import { expectDomainError, until } from "../src/testing/contracts/index.js";
import { startQueueConsumer } from "../src/messaging/queue-consumer.js";
import {
  createApiEventQueue,
  createExtractionQueue,
  createNotificationQueue,
  createSnsJobEventPublisher,
  createSnsPublisher,
} from "../src/aws/index.js";

// SQS and SNS have no usable local server (STACK.md): these tests check the adapters' calls
// against aws-sdk-client-mock. The queue's behaviour behind the port is covered by the
// JobQueue contract on the SQLite adapter.
const sqsMock = mockClient(SQSClient);
const snsMock = mockClient(SNSClient);
const sqs = () => new SQSClient({ region: "us-east-1" });
const sns = () => new SNSClient({ region: "us-east-1" });
const QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/vp-worker";
const DLQ = "https://sqs.us-east-1.amazonaws.com/123456789012/vp-worker-dlq";
const API_TOPIC = "arn:aws:sns:us-east-1:123456789012:video-processor-api";
const WORKER_TOPIC = "arn:aws:sns:us-east-1:123456789012:video-processor-worker";
const silent = { info() {}, warn() {}, error() {} };

beforeEach(() => {
  sqsMock.reset();
  snsMock.reset();
});

const request = (): ExtractionRequested => ({ jobId: randomUUID(), videoId: randomUUID(), ownerId: "owner-1" });
const envelope = (payload: ExtractionRequested): Message => ({
  sender: "MSG_SERVICE_API",
  target: "MSG_SERVICE_WORKER",
  type: "EXTRACTION_REQUESTED",
  payload,
});
/** What a queue subscribed to a topic receives with raw message delivery off. */
const snsNotification = (message: unknown): string =>
  JSON.stringify({
    Type: "Notification",
    MessageId: randomUUID(),
    TopicArn: API_TOPIC,
    Message: JSON.stringify(message),
    Timestamp: new Date().toISOString(),
    SignatureVersion: "1",
    MessageAttributes: { type: { Type: "String", Value: "EXTRACTION_REQUESTED" } },
  });
let seq = 0;
const sqsMessage = (body: string, receiveCount = 1): SqsMessage => ({
  MessageId: `m-${++seq}`,
  ReceiptHandle: `r-${seq}-${randomUUID()}`,
  Body: body,
  Attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: "1893456000000" },
});

const extractionQueue = (maxAttempts = 4) =>
  createExtractionQueue({
    sqs,
    sns,
    queueUrl: QUEUE,
    topicArn: API_TOPIC,
    maxAttempts,
    deadLetterQueueUrl: DLQ,
    logger: silent,
  });

describe("extraction queue on SQS (worker side)", () => {
  it("long-polls in batches of at most 10 and unwraps SNS notifications and raw envelopes", async () => {
    const a = request();
    const b = request();
    sqsMock
      .on(ReceiveMessageCommand)
      .resolves({ Messages: [sqsMessage(snsNotification(envelope(a)), 2), sqsMessage(JSON.stringify(envelope(b)))] });
    const got = await extractionQueue().receive({ maxMessages: 25, visibilityTimeoutSeconds: 90, waitSeconds: 60 });
    expect(sqsMock.commandCalls(ReceiveMessageCommand)[0]!.args[0].input).toEqual({
      QueueUrl: QUEUE,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 90,
      WaitTimeSeconds: 20,
      MessageSystemAttributeNames: ["ApproximateReceiveCount", "SentTimestamp"],
      MessageAttributeNames: ["All"],
    });
    expect(got.map((m) => m.body)).toEqual([a, b]);
    expect(got[0]).toMatchObject({ attempts: 2, enqueuedAt: new Date(1893456000000) });
    expect(got[1]!.attempts).toBe(1);
    expect(got[0]!.receipt).toMatch(/^r-/);
  });

  it("never hands a malformed message to the consumer: it goes back for the redrive policy, and the rest is delivered", async () => {
    const good = request();
    const bad = [
      sqsMessage("not json"),
      sqsMessage(JSON.stringify({ ...envelope(good), payload: { jobId: "" } })),
      sqsMessage(
        snsNotification({ sender: "MSG_SERVICE_WORKER", target: "MSG_SERVICE_ANY", type: "JOB_UPDATED", payload: {} }),
      ),
      sqsMessage(JSON.stringify({ Type: "Notification", Message: "{broken" })),
    ];
    sqsMock.on(ReceiveMessageCommand).resolves({ Messages: [...bad, sqsMessage(JSON.stringify(envelope(good)))] });
    sqsMock.on(ChangeMessageVisibilityCommand).resolves({});
    const got = await extractionQueue().receive({ maxMessages: 10, visibilityTimeoutSeconds: 30 });
    expect(got.map((m) => m.body)).toEqual([good]);
    const backs = sqsMock.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input);
    expect(backs).toEqual(bad.map((m) => ({ QueueUrl: QUEUE, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 30 })));
    expect(sqsMock.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });

  it("returns nothing, without a call, once the signal is aborted; and nothing when the poll is aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    expect(
      await extractionQueue().receive({ maxMessages: 1, visibilityTimeoutSeconds: 30, signal: controller.signal }),
    ).toEqual([]);
    expect(sqsMock.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
    sqsMock.on(ReceiveMessageCommand).rejects(Object.assign(new Error("aborted"), { name: "AbortError" }));
    expect(await extractionQueue().receive({ maxMessages: 1, visibilityTimeoutSeconds: 30, waitSeconds: 20 })).toEqual(
      [],
    );
  });

  it("extends with ChangeMessageVisibility, acks with DeleteMessage, and reports stale receipts as STALE_UPDATE", async () => {
    const queue = extractionQueue();
    sqsMock.on(ChangeMessageVisibilityCommand).resolves({});
    sqsMock.on(DeleteMessageCommand).resolves({});
    await queue.extend("r-1", 120);
    await queue.ack("r-1");
    expect(sqsMock.commandCalls(ChangeMessageVisibilityCommand)[0]!.args[0].input).toEqual({
      QueueUrl: QUEUE,
      ReceiptHandle: "r-1",
      VisibilityTimeout: 120,
    });
    expect(sqsMock.commandCalls(DeleteMessageCommand)[0]!.args[0].input).toEqual({
      QueueUrl: QUEUE,
      ReceiptHandle: "r-1",
    });

    sqsMock
      .on(ChangeMessageVisibilityCommand)
      .rejects(Object.assign(new Error("The receipt handle has expired"), { name: "InvalidParameterValue" }));
    sqsMock.on(DeleteMessageCommand).rejects(Object.assign(new Error("invalid"), { name: "ReceiptHandleIsInvalid" }));
    await expectDomainError(queue.extend("r-2", 60), "STALE_UPDATE");
    await expectDomainError(queue.ack("r-2"), "STALE_UPDATE");
    sqsMock.on(DeleteMessageCommand).rejects(Object.assign(new Error("throttled"), { name: "ThrottlingException" }));
    await expect(queue.ack("r-3")).rejects.toMatchObject({ name: "ThrottlingException" });
  });

  it("retries with exponential backoff as visibility, and hands the last allowed delivery to the redrive policy", async () => {
    const queue = extractionQueue(3);
    sqsMock.on(ChangeMessageVisibilityCommand).resolves({});
    const deliveries = [1, 2, 3].map((n) => sqsMessage(JSON.stringify(envelope(request())), n));
    sqsMock.on(ReceiveMessageCommand).resolves({ Messages: deliveries });
    const got = await queue.receive({ maxMessages: 10, visibilityTimeoutSeconds: 30 });
    expect(await queue.retry(got[0]!.receipt)).toBe("RETRYING");
    expect(await queue.retry(got[1]!.receipt, { reason: "ffmpeg crashed" })).toBe("RETRYING");
    expect(await queue.retry(got[2]!.receipt)).toBe("DEAD_LETTERED");
    expect(await queue.retry("r-from-another-process", { delaySeconds: 7 })).toBe("RETRYING");
    expect(sqsMock.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input.VisibilityTimeout)).toEqual([
      2, 4, 0, 7,
    ]);
  });

  it("enqueues by publishing the envelope to the API topic, with sender/target/type attributes", async () => {
    snsMock.on(PublishCommand).resolves({ MessageId: "sns-1" });
    const body = request();
    expect(await extractionQueue().enqueue(body, { dedupeKey: body.jobId })).toEqual({
      id: "sns-1",
      deduplicated: false,
    });
    const input = snsMock.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(input.TopicArn).toBe(API_TOPIC);
    expect(JSON.parse(input.Message!)).toEqual(envelope(body));
    expect(input.MessageAttributes).toEqual({
      sender: { DataType: "String", StringValue: "MSG_SERVICE_API" },
      target: { DataType: "String", StringValue: "MSG_SERVICE_WORKER" },
      type: { DataType: "String", StringValue: "EXTRACTION_REQUESTED" },
    });
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it("sends a delayed enqueue straight to the worker queue (SNS cannot delay)", async () => {
    sqsMock.on(SendMessageCommand).resolves({ MessageId: "sqs-1" });
    const body = request();
    expect((await extractionQueue().enqueue(body, { delaySeconds: 5000 })).id).toBe("sqs-1");
    const input = sqsMock.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ QueueUrl: QUEUE, DelaySeconds: 900 });
    expect(JSON.parse(input.MessageBody!)).toEqual(envelope(body));
    expect(input.MessageAttributes?.type).toEqual({ DataType: "String", StringValue: "EXTRACTION_REQUESTED" });
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it("reports depth from the queue's and the dead-letter queue's attributes", async () => {
    sqsMock
      .on(GetQueueAttributesCommand, { QueueUrl: QUEUE })
      .resolves({
        Attributes: {
          ApproximateNumberOfMessages: "4",
          ApproximateNumberOfMessagesNotVisible: "2",
          ApproximateNumberOfMessagesDelayed: "1",
        },
      })
      .on(GetQueueAttributesCommand, { QueueUrl: DLQ })
      .resolves({ Attributes: { ApproximateNumberOfMessages: "3" } });
    expect(await extractionQueue().depth()).toEqual({ visible: 4, inFlight: 2, delayed: 1, deadLettered: 3 });
  });

  it("runs under the shared consumer loop: heartbeats visibility while a job runs, deletes on success", async () => {
    const body = request();
    const message = sqsMessage(snsNotification(envelope(body)));
    // An empty receive takes a while, as a long poll does (an instant one would spin the loop).
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [message] })
      .callsFake(() => new Promise((r) => setTimeout(() => r({ Messages: [] }), 50)));
    sqsMock.on(ChangeMessageVisibilityCommand).resolves({});
    sqsMock.on(DeleteMessageCommand).resolves({});
    let finish!: () => void;
    const handled: ExtractionRequested[] = [];
    const consumer = startQueueConsumer({
      queue: extractionQueue(),
      name: "test",
      concurrency: 2,
      visibilityTimeoutSeconds: 1,
      waitSeconds: 0,
      logger: silent,
      handle: async (m) => {
        handled.push(m.body);
        await new Promise<void>((r) => (finish = r));
        return { kind: "ack" };
      },
    });
    try {
      await until(() => sqsMock.commandCalls(ChangeMessageVisibilityCommand).length >= 2, "two heartbeats");
      expect(sqsMock.commandCalls(DeleteMessageCommand)).toHaveLength(0);
      finish();
      await until(() => sqsMock.commandCalls(DeleteMessageCommand).length === 1, "the delete");
    } finally {
      await consumer.close({ graceMs: 100 });
    }
    expect(handled).toEqual([body]);
    expect(sqsMock.commandCalls(ChangeMessageVisibilityCommand)[0]!.args[0].input).toMatchObject({
      ReceiptHandle: message.ReceiptHandle,
      VisibilityTimeout: 1,
    });
    expect(sqsMock.commandCalls(DeleteMessageCommand)[0]!.args[0].input.ReceiptHandle).toBe(message.ReceiptHandle);
  });
});

const job = (status: JobStatus): Job => ({
  id: randomUUID(),
  ownerId: "owner-1",
  videoId: randomUUID(),
  status,
  progress: status === "SUCCEEDED" ? 1 : 0.5,
  framesExtracted: 3,
  options: {
    mode: "INTERVAL",
    intervalSeconds: 1,
    format: "JPEG",
    quality: 85,
    fit: "CONTAIN",
    allowUpscale: false,
  },
  attempts: 1,
  error: status === "FAILED" ? { code: "INPUT_CORRUPT", message: "moov atom not found", retryable: false } : null,
  result: null,
  createdAt: new Date(),
  startedAt: new Date(),
  finishedAt: null,
  updatedAt: new Date(),
  version: 4,
});
const event = (status: JobStatus): JobEvent => ({ job: toJobSnapshot(job(status)), videoFilename: "clip.mp4" });

describe("job events on SNS", () => {
  const publisher = () =>
    createSnsJobEventPublisher({ publisher: createSnsPublisher({ sns, topicArn: WORKER_TOPIC }) });

  it.each([
    ["RUNNING", "JOB_UPDATED"],
    ["QUEUED", "JOB_UPDATED"],
    ["CANCELLED", "JOB_UPDATED"],
    ["SUCCEEDED", "JOB_FINISHED"],
    ["FAILED", "JOB_FINISHED"],
  ] as const)("publishes a %s job as %s to the worker topic, filterable by attributes", async (status, type) => {
    snsMock.on(PublishCommand).resolves({ MessageId: "x" });
    const e = event(status);
    await publisher().publish(e);
    const input = snsMock.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(input.TopicArn).toBe(WORKER_TOPIC);
    expect(JSON.parse(input.Message!)).toEqual({
      sender: "MSG_SERVICE_WORKER",
      target: "MSG_SERVICE_ANY",
      type,
      payload: e,
    });
    expect(input.MessageAttributes).toEqual({
      sender: { DataType: "String", StringValue: "MSG_SERVICE_WORKER" },
      target: { DataType: "String", StringValue: "MSG_SERVICE_ANY" },
      type: { DataType: "String", StringValue: type },
    });
  });

  it("refuses to publish an event its consumers would dead-letter, and surfaces SNS failures", async () => {
    const e = event("RUNNING");
    await expect(publisher().publish({ ...e, job: { ...e.job, progress: 2 } })).rejects.toThrow();
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
    snsMock.on(PublishCommand).rejects(new Error("SNS down"));
    await expect(publisher().publish(e)).rejects.toThrow("SNS down");
  });

  it("decodes what it published, as the API and notification queues receive it", async () => {
    snsMock.on(PublishCommand).resolves({ MessageId: "x" });
    const finished = event("SUCCEEDED");
    await publisher().publish(finished);
    const published = JSON.parse(snsMock.commandCalls(PublishCommand)[0]!.args[0].input.Message!) as unknown;
    sqsMock.on(ReceiveMessageCommand).resolves({ Messages: [sqsMessage(snsNotification(published))] });
    const [api] = await createApiEventQueue({ sqs, queueUrl: QUEUE }).receive({
      maxMessages: 1,
      visibilityTimeoutSeconds: 30,
    });
    expect(api!.body).toEqual({
      sender: "MSG_SERVICE_WORKER",
      target: "MSG_SERVICE_ANY",
      type: "JOB_FINISHED",
      payload: finished,
    });
    const [notify] = await createNotificationQueue({ sqs, queueUrl: QUEUE, maxAttempts: 5 }).receive({
      maxMessages: 1,
      visibilityTimeoutSeconds: 30,
    });
    expect(notify!.body).toEqual(finished);
  });

  it("does not let API processes enqueue on the API event queue", async () => {
    await expect(createApiEventQueue({ sqs, queueUrl: QUEUE }).enqueue(envelope(request()))).rejects.toThrow(
      /nothing in this process/,
    );
  });
});
