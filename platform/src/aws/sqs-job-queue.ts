import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message as SqsMessage,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { DomainError } from "@vp/domain";
import type { DeadLetter, JobQueue, QueueDepth, QueueMessage } from "../ports/job-queue.js";
import type { Decoded } from "./envelope.js";

/** SQS limits: 10 messages per receive, 20 s long poll, 12 h visibility, 15 min delay. */
const MAX_BATCH = 10;
const MAX_WAIT_SECONDS = 20;
const MAX_VISIBILITY_SECONDS = 43_200;
const MAX_DELAY_SECONDS = 900;

export interface SqsJobQueueOptions<T> {
  readonly sqs: () => SQSClient;
  readonly queueUrl: string;
  /** Turns a raw SQS body (SNS-wrapped or not) into T, or says why it cannot. */
  readonly decode: (body: string) => Decoded<T>;
  /** How `enqueue` sends (to the producer's topic, or to this queue); enqueue throws when absent. */
  readonly send?: (
    body: T,
    options: { readonly delaySeconds?: number; readonly dedupeKey?: string },
  ) => Promise<string>;
  /**
   * The queue's redrive policy `maxReceiveCount` (kept equal to it in infra/): a retry of the
   * delivery that reached it reports DEAD_LETTERED and hands the message to the policy at once.
   */
  readonly maxAttempts: number;
  /** Default retry delay: baseSeconds * 2^(attempts-1), capped. @default { baseSeconds: 2, maxSeconds: 300 } */
  readonly backoff?: { readonly baseSeconds: number; readonly maxSeconds: number };
  /** For depth() and deadLetters(); without it both report no dead letters. */
  readonly deadLetterQueueUrl?: string;
  /**
   * A malformed message is never handed to the consumer: it is made visible again after this
   * many seconds, and the redrive policy dead-letters it after maxReceiveCount receives. @default 30
   */
  readonly malformedRetrySeconds?: number;
  readonly logger?: { warn(obj: object, msg: string): void };
}

const isStaleReceipt = (e: unknown): boolean => {
  const { name = "", message = "" } = (e ?? {}) as { name?: string; message?: string };
  return (
    name === "ReceiptHandleIsInvalid" ||
    name === "MessageNotInflight" ||
    (name.startsWith("InvalidParameterValue") && /receipt handle/i.test(message))
  );
};
const stale = (e: unknown): unknown =>
  isStaleReceipt(e)
    ? new DomainError("STALE_UPDATE", "the message's receipt is no longer current (its visibility lapsed)")
    : e;
const isAbort = (e: unknown): boolean => (e as { name?: string } | null)?.name === "AbortError";

/**
 * JobQueue on SQS. Visibility, redelivery and dead-lettering are SQS's own (the redrive policy);
 * this maps the port onto it: receive = ReceiveMessage (long poll), extend = ChangeMessageVisibility,
 * ack = DeleteMessage, retry = ChangeMessageVisibility(backoff).
 */
export class SqsJobQueue<T> implements JobQueue<T> {
  /** Attempts of each delivery this process received, by receipt: retry() needs them. */
  private readonly attemptsByReceipt = new Map<string, number>();
  private readonly backoff: { readonly baseSeconds: number; readonly maxSeconds: number };

  constructor(private readonly options: SqsJobQueueOptions<T>) {
    if (!Number.isInteger(options.maxAttempts) || options.maxAttempts < 1)
      throw new RangeError("maxAttempts must be a whole number >= 1");
    this.backoff = options.backoff ?? { baseSeconds: 2, maxSeconds: 300 };
  }

  /** Deduplication by key needs a FIFO queue: on a standard queue consumers are idempotent instead. */
  async enqueue(
    body: T,
    options: { readonly delaySeconds?: number; readonly dedupeKey?: string } = {},
  ): Promise<{ readonly id: string; readonly deduplicated: boolean }> {
    if (this.options.send === undefined)
      throw new Error(`nothing in this process enqueues to ${this.options.queueUrl}`);
    return { id: await this.options.send(body, options), deduplicated: false };
  }

  async receive(options: {
    readonly maxMessages: number;
    readonly visibilityTimeoutSeconds: number;
    readonly waitSeconds?: number;
    readonly signal?: AbortSignal;
  }): Promise<Array<QueueMessage<T>>> {
    if (options.signal?.aborted) return [];
    let messages: SqsMessage[];
    try {
      const res = await this.options.sqs().send(
        new ReceiveMessageCommand({
          QueueUrl: this.options.queueUrl,
          MaxNumberOfMessages: clamp(options.maxMessages, 1, MAX_BATCH),
          VisibilityTimeout: clamp(options.visibilityTimeoutSeconds, 0, MAX_VISIBILITY_SECONDS),
          WaitTimeSeconds: clamp(options.waitSeconds ?? 0, 0, MAX_WAIT_SECONDS),
          MessageSystemAttributeNames: ["ApproximateReceiveCount", "SentTimestamp"],
          MessageAttributeNames: ["All"],
        }),
        options.signal !== undefined ? { abortSignal: options.signal } : {},
      );
      messages = res.Messages ?? [];
    } catch (e) {
      if (options.signal?.aborted || isAbort(e)) return [];
      throw e;
    }
    const out: Array<QueueMessage<T>> = [];
    for (const m of messages) {
      if (m.ReceiptHandle === undefined || m.MessageId === undefined) continue;
      const attempts = Number(m.Attributes?.ApproximateReceiveCount ?? "1");
      const decoded = this.options.decode(m.Body ?? "");
      if (!decoded.ok) {
        this.options.logger?.warn(
          { queueUrl: this.options.queueUrl, messageId: m.MessageId, attempts, reason: decoded.reason },
          "malformed message left for the redrive policy",
        );
        await this.changeVisibility(m.ReceiptHandle, this.options.malformedRetrySeconds ?? 30).catch(() => undefined);
        continue;
      }
      this.remember(m.ReceiptHandle, attempts);
      out.push({
        id: m.MessageId,
        receipt: m.ReceiptHandle,
        body: decoded.value,
        attempts,
        enqueuedAt: new Date(Number(m.Attributes?.SentTimestamp ?? Date.now())),
      });
    }
    return out;
  }

  async extend(receipt: string, visibilityTimeoutSeconds: number): Promise<void> {
    await this.changeVisibility(receipt, visibilityTimeoutSeconds).catch((e: unknown) => {
      throw stale(e);
    });
  }

  async ack(receipt: string): Promise<void> {
    try {
      await this.options
        .sqs()
        .send(new DeleteMessageCommand({ QueueUrl: this.options.queueUrl, ReceiptHandle: receipt }));
    } catch (e) {
      throw stale(e);
    } finally {
      this.attemptsByReceipt.delete(receipt);
    }
  }

  async retry(
    receipt: string,
    options: { readonly delaySeconds?: number; readonly reason?: string } = {},
  ): Promise<"RETRYING" | "DEAD_LETTERED"> {
    const attempts = this.attemptsByReceipt.get(receipt);
    this.attemptsByReceipt.delete(receipt);
    if (attempts !== undefined && attempts >= this.options.maxAttempts) {
      // Visible at once: SQS moves it to the dead-letter queue on the next receive, as its
      // receive count already reached maxReceiveCount.
      await this.extend(receipt, 0);
      return "DEAD_LETTERED";
    }
    const delay =
      options.delaySeconds ??
      Math.min(this.backoff.baseSeconds * 2 ** Math.max(0, (attempts ?? 1) - 1), this.backoff.maxSeconds);
    await this.extend(receipt, clamp(Math.round(delay), 0, MAX_VISIBILITY_SECONDS));
    return "RETRYING";
  }

  async depth(): Promise<QueueDepth> {
    const attrs = async (url: string) =>
      (
        await this.options.sqs().send(
          new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: [
              "ApproximateNumberOfMessages",
              "ApproximateNumberOfMessagesNotVisible",
              "ApproximateNumberOfMessagesDelayed",
            ],
          }),
        )
      ).Attributes ?? {};
    const main = await attrs(this.options.queueUrl);
    const dead = this.options.deadLetterQueueUrl !== undefined ? await attrs(this.options.deadLetterQueueUrl) : {};
    return {
      visible: Number(main.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(main.ApproximateNumberOfMessagesNotVisible ?? 0),
      delayed: Number(main.ApproximateNumberOfMessagesDelayed ?? 0),
      deadLettered: Number(dead.ApproximateNumberOfMessages ?? 0),
    };
  }

  /** A peek at the dead-letter queue (messages stay there: visibility 0). */
  async deadLetters(limit = 10): Promise<Array<DeadLetter<T>>> {
    if (this.options.deadLetterQueueUrl === undefined) return [];
    const res = await this.options.sqs().send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.deadLetterQueueUrl,
        MaxNumberOfMessages: clamp(limit, 1, MAX_BATCH),
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      }),
    );
    return (res.Messages ?? []).map((m) => {
      const raw = m.Body ?? "";
      const decoded = this.options.decode(raw);
      return {
        id: m.MessageId ?? "",
        body: decoded.ok ? decoded.value : null,
        raw,
        attempts: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
        reason: decoded.ok ? "delivered maxReceiveCount times without success" : `malformed: ${decoded.reason}`,
      };
    });
  }

  private async changeVisibility(receipt: string, seconds: number): Promise<void> {
    await this.options.sqs().send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.options.queueUrl,
        ReceiptHandle: receipt,
        VisibilityTimeout: clamp(seconds, 0, MAX_VISIBILITY_SECONDS),
      }),
    );
  }

  private remember(receipt: string, attempts: number): void {
    // Bounded: receipts of deliveries never settled here (their process died) must not pile up.
    if (this.attemptsByReceipt.size >= 10_000) {
      const oldest = this.attemptsByReceipt.keys().next().value;
      if (oldest !== undefined) this.attemptsByReceipt.delete(oldest);
    }
    this.attemptsByReceipt.set(receipt, attempts);
  }
}

/** Sends straight to a queue (no topic): the body as our envelope, attributes alongside. */
export function sendToQueue(options: {
  readonly sqs: () => SQSClient;
  readonly queueUrl: string;
  readonly body: string;
  readonly attributes: Record<string, { DataType: string; StringValue?: string }>;
  readonly delaySeconds?: number;
}): Promise<string> {
  return options
    .sqs()
    .send(
      new SendMessageCommand({
        QueueUrl: options.queueUrl,
        MessageBody: options.body,
        MessageAttributes: options.attributes,
        ...(options.delaySeconds !== undefined && options.delaySeconds > 0
          ? { DelaySeconds: clamp(Math.round(options.delaySeconds), 0, MAX_DELAY_SECONDS) }
          : {}),
      }),
    )
    .then((res) => res.MessageId ?? "");
}

const clamp = (n: number, min: number, max: number): number => Math.min(max, Math.max(min, Math.floor(n)));
