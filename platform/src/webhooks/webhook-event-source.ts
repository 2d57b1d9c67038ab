import { webhookEventTypesFor, type WebhookTask } from "@vp/domain";
import type { JobEventPublisher } from "../ports/job-events.js";
import type { JobQueue } from "../ports/job-queue.js";

/**
 * Job news into the webhooks queue: events that end a job (and may reject its video) are queued,
 * once per job version, before the publisher passes them on. Fan-out to endpoints happens in the
 * webhook consumer, never on the worker's path.
 */
export function withWebhookEvents(publisher: JobEventPublisher, queue: JobQueue<WebhookTask>): JobEventPublisher {
  return {
    async publish(event) {
      if (webhookEventTypesFor(event).length > 0)
        await queue.enqueue({ kind: "EVENT", event }, { dedupeKey: `event:${event.job.id}:${event.job.version}` });
      await publisher.publish(event);
    },
  };
}
