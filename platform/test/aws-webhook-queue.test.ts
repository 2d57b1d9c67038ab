import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, expect, it } from "vitest";
import type { JobEvent, Message } from "@vp/domain";
import { createSqsWebhookQueue, decodeWebhookBody } from "../src/aws/index.js";

// SQS has no local server (STACK.md): the adapter's calls are checked against aws-sdk-client-mock;
// the webhook consumer's behaviour behind the JobQueue port runs on the SQLite queue.
const sqsMock = mockClient(SQSClient);
const sqs = () => new SQSClient({ region: "us-east-1" });
const QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/vp-webhooks";
beforeEach(() => sqsMock.reset());

const now = new Date().toISOString();
const event = (status: "SUCCEEDED" | "CANCELLED"): JobEvent => ({
  videoFilename: "a.mp4",
  job: {
    id: "job-1",
    ownerId: "owner-1",
    videoId: "video-1",
    status,
    progress: 1,
    framesExtracted: 2,
    options: { mode: "INTERVAL", intervalSeconds: 1, format: "JPEG", quality: 85, fit: "CONTAIN", allowUpscale: false },
    attempts: 1,
    error: null,
    result: null,
    createdAt: now,
    startedAt: now,
    finishedAt: now,
    updatedAt: now,
    version: 3,
  },
});
const snsWrapped = (m: Message) => JSON.stringify({ Type: "Notification", Message: JSON.stringify(m) });

it("reads the worker topic's job news (JOB_FINISHED and, for cancellations, JOB_UPDATED) as EVENT tasks", () => {
  for (const [type, status] of [
    ["JOB_FINISHED", "SUCCEEDED"],
    ["JOB_UPDATED", "CANCELLED"],
  ] as const) {
    const body = snsWrapped({ sender: "MSG_SERVICE_WORKER", target: "MSG_SERVICE_ANY", type, payload: event(status) });
    expect(decodeWebhookBody(body)).toEqual({ ok: true, value: { kind: "EVENT", event: event(status) } });
  }
});

it("reads its own DELIVER tasks, and refuses anything else with a reason", () => {
  expect(decodeWebhookBody('{"kind":"DELIVER","deliveryId":"msg_1","attempts":2}')).toEqual({
    ok: true,
    value: { kind: "DELIVER", deliveryId: "msg_1", attempts: 2 },
  });
  expect(decodeWebhookBody("not json")).toEqual({ ok: false, reason: "the body is not JSON" });
  expect(decodeWebhookBody('{"kind":"DELIVER"}').ok).toBe(false);
  const request = snsWrapped({
    sender: "MSG_SERVICE_API",
    target: "MSG_SERVICE_WORKER",
    type: "EXTRACTION_REQUESTED",
    payload: { jobId: "j", videoId: "v", ownerId: "o" },
  });
  expect(decodeWebhookBody(request)).toMatchObject({ ok: false });
});

it("sends attempts straight to the queue with their delay (SQS caps it at 15 minutes), and hands received ones over", async () => {
  sqsMock.on(SendMessageCommand).resolves({ MessageId: "m-1" });
  const queue = createSqsWebhookQueue({ sqs, queueUrl: QUEUE, maxAttempts: 10 });
  await queue.enqueue({ kind: "DELIVER", deliveryId: "msg_1", attempts: 1 }, { delaySeconds: 5.4 });
  await queue.enqueue({ kind: "DELIVER", deliveryId: "msg_1", attempts: 2 }, { delaySeconds: 7200 });
  const sent = sqsMock.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
  expect(sent.map((s) => [s.QueueUrl, JSON.parse(s.MessageBody!), s.DelaySeconds])).toEqual([
    [QUEUE, { kind: "DELIVER", deliveryId: "msg_1", attempts: 1 }, 5],
    [QUEUE, { kind: "DELIVER", deliveryId: "msg_1", attempts: 2 }, 900],
  ]);

  sqsMock.on(ReceiveMessageCommand).resolves({
    Messages: [
      {
        MessageId: "r-1",
        ReceiptHandle: "rh-1",
        Body: snsWrapped({
          sender: "MSG_SERVICE_WORKER",
          target: "MSG_SERVICE_ANY",
          type: "JOB_FINISHED",
          payload: event("SUCCEEDED"),
        }),
        Attributes: { ApproximateReceiveCount: "1", SentTimestamp: String(Date.now()) },
      },
    ],
  });
  const [received] = await queue.receive({ maxMessages: 1, visibilityTimeoutSeconds: 40 });
  expect(received?.body).toEqual({ kind: "EVENT", event: event("SUCCEEDED") });
});
