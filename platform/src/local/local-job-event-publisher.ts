import { jobChannel, notifiesOwner, ownerChannel, type JobEvent } from "@vp/domain";
import type { EventBus } from "../ports/event-bus.js";
import type { JobQueue } from "../ports/job-queue.js";
import type { JobEventPublisher } from "../ports/job-events.js";

/**
 * The single-machine stand-in for the worker's SNS topic: live subscribers hear every event,
 * the notification queue gets the ones that end a job (the email is worth a durable hop).
 */
export function createLocalJobEventPublisher(deps: {
  readonly events: EventBus;
  readonly notifications: JobQueue<JobEvent>;
}): JobEventPublisher {
  return {
    async publish(event) {
      const { job } = event;
      if (notifiesOwner(job)) {
        await deps.notifications.enqueue(event, {
          dedupeKey: `${job.id}:${job.version}`,
        });
      }
      await deps.events.publish(jobChannel(job.id), event);
      await deps.events.publish(ownerChannel(job.ownerId), event);
    },
  };
}
