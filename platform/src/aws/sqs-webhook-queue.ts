import type { SQSClient } from "@aws-sdk/client-sqs";
import { messageSchema, webhookTaskSchema, type WebhookTask } from "@vp/domain";
import type { Decoded } from "./envelope.js";
import { unwrapSqsBody } from "./envelope.js";
import { SqsJobQueue, sendToQueue } from "./sqs-job-queue.js";

type Logger = { warn(obj: object, msg: string): void };

/**
 * The webhooks queue on AWS. It receives two kinds of body: job news from the worker topic (an SNS
 * notification of a JOB_UPDATED or JOB_FINISHED envelope, filtered by the subscription to jobs that
 * ended) becomes an EVENT task; tasks the consumer sends itself (DELIVER, with their delay) are
 * plain JSON. Standard queues do not deduplicate: the consumer is idempotent instead.
 */
export function createSqsWebhookQueue(options: {
  readonly sqs: () => SQSClient;
  readonly queueUrl: string;
  readonly maxAttempts: number;
  readonly logger?: Logger;
}): SqsJobQueue<WebhookTask> {
  return new SqsJobQueue({
    sqs: options.sqs,
    queueUrl: options.queueUrl,
    decode: decodeWebhookBody,
    maxAttempts: options.maxAttempts,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    send: (task, { delaySeconds }) =>
      sendToQueue({
        sqs: options.sqs,
        queueUrl: options.queueUrl,
        body: JSON.stringify(task),
        attributes: { type: { DataType: "String", StringValue: `WEBHOOK_${task.kind}` } },
        ...(delaySeconds !== undefined ? { delaySeconds } : {}),
      }),
  });
}

export function decodeWebhookBody(body: string): Decoded<WebhookTask> {
  let unwrapped: unknown;
  try {
    unwrapped = unwrapSqsBody(body);
  } catch {
    return { ok: false, reason: "the body is not JSON" };
  }
  const envelope = messageSchema.safeParse(unwrapped);
  if (envelope.success) {
    const m = envelope.data;
    if (m.type === "EXTRACTION_REQUESTED")
      return { ok: false, reason: "an EXTRACTION_REQUESTED message is no job news" };
    return { ok: true, value: { kind: "EVENT", event: m.payload } };
  }
  const task = webhookTaskSchema.safeParse(unwrapped);
  if (task.success) return { ok: true, value: task.data };
  return {
    ok: false,
    reason: task.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("; "),
  };
}
