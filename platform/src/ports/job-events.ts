import type { JobEvent } from "@vp/domain";

/**
 * The worker's output topic for job news. Every write to a job is followed by a publish;
 * consumers (live subscriptions, notifications) receive at least once and drop an event whose
 * `job.version` is not newer than one they already applied.
 * On one machine: EventBus channels `job:<id>` / `owner:<id>` plus, for terminal states, the
 * notification queue. On AWS: the worker's SNS topic.
 */
export interface JobEventPublisher {
  publish(event: JobEvent): Promise<void>;
}
