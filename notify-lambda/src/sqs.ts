import { messageSchema } from "@vp/domain";
import type { JobNotifier } from "./job-notifier.js";

/** The part of an SQS event source record we read. */
export interface SqsRecord {
  readonly messageId: string;
  readonly body: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly messageAttributes?: Readonly<Record<string, unknown>>;
  readonly eventSource?: string;
}
export interface SqsEvent {
  readonly Records: readonly SqsRecord[];
}
export interface SqsBatchResponse {
  readonly batchItemFailures: { readonly itemIdentifier: string }[];
}

export interface SqsHandlerLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * SQS event source handler with partial batch failures: a failed or malformed record is reported
 * (so the queue's redrive policy dead-letters it after N tries), the rest of the batch succeeds.
 * Bodies are our envelope, either raw or wrapped in an SNS notification (raw delivery off).
 */
export function createSqsHandler(
  notifier: JobNotifier,
  logger?: SqsHandlerLogger,
): (event: SqsEvent) => Promise<SqsBatchResponse> {
  return async (event) => {
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      try {
        const parsed = messageSchema.safeParse(unwrap(record.body));
        if (!parsed.success) {
          logger?.warn(
            {
              messageId: record.messageId,
              issues: parsed.error.issues.slice(0, 5),
            },
            "malformed notification message",
          );
          batchItemFailures.push({ itemIdentifier: record.messageId });
          continue;
        }
        const message = parsed.data;
        // Subscription filters should keep other types away; if one slips through it is not ours to retry.
        if (message.type !== "JOB_FINISHED") continue;
        await notifier(message.payload);
      } catch (err) {
        logger?.error({ messageId: record.messageId, err }, "notification failed");
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

function unwrap(body: string): unknown {
  const outer: unknown = JSON.parse(body);
  if (isSnsNotification(outer)) return JSON.parse(outer.Message);
  return outer;
}

const isSnsNotification = (v: unknown): v is { Type: "Notification"; Message: string } =>
  typeof v === "object" &&
  v !== null &&
  (v as { Type?: unknown }).Type === "Notification" &&
  typeof (v as { Message?: unknown }).Message === "string";
