import { jobChannel, ownerChannel, type Message } from "@vp/domain";
import type { EventBus } from "@vp/platform";
import type { JobQueue } from "@vp/platform";
import { startQueueConsumer, type ConsumerLogger, type QueueConsumer } from "@vp/platform";

export interface ApiEventRelayOptions {
  /** The API pods' shared queue (subscribed to the worker topic): each event reaches one pod. */
  readonly queue: JobQueue<Message>;
  /** Redis pub/sub: from the pod that received it to subscribers on every pod. */
  readonly events: EventBus;
  readonly logger: ConsumerLogger;
  /** @default 4 */
  readonly concurrency?: number;
  /** @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** Long poll per receive. @default 20 */
  readonly waitSeconds?: number;
}

/**
 * Fans worker events out to live subscribers on every API pod. It writes nothing: the worker
 * recorded the change in DynamoDB before publishing it, so the record is updated exactly once.
 * Events carry `job.version`; subscribers drop one not newer than what they have shown, so a
 * redelivered or reordered event (SQS is at-least-once, unordered) never moves a view back.
 * A message is deleted only after both channels were published; a Redis failure leaves it to
 * be redelivered.
 */
export function startApiEventRelay(options: ApiEventRelayOptions): QueueConsumer {
  const { events, logger } = options;
  return startQueueConsumer<Message>({
    name: "api-events",
    queue: options.queue,
    concurrency: options.concurrency ?? 4,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
    waitSeconds: options.waitSeconds ?? 20,
    logger,
    async handle(message) {
      const body = message.body;
      switch (body.type) {
        case "JOB_UPDATED":
        case "JOB_FINISHED": {
          const { job } = body.payload;
          await events.publish(jobChannel(job.id), body.payload);
          await events.publish(ownerChannel(job.ownerId), body.payload);
          return { kind: "ack" };
        }
        case "EXTRACTION_REQUESTED":
          // The subscription's filter policy should keep these away; not ours to retry.
          logger.warn({ messageId: message.id, type: body.type }, "unexpected message on the API queue; dropped");
          return { kind: "ack" };
      }
    },
  });
}
