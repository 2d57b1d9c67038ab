import type { WebhookTask } from "@vp/domain";
import type { JobQueue } from "../ports/job-queue.js";
import type { WebhookStore } from "../ports/webhook-store.js";
import type { WebhookSettings } from "./webhook-settings.js";

/** The webhook part of a Platform: records, the queue deliveries leave from, and their settings. */
export interface WebhookPlatform {
  readonly store: WebhookStore;
  /** Job news to fan out and deliveries' attempts; consumed by the webhook consumer only. */
  readonly queue: JobQueue<WebhookTask>;
  readonly settings: WebhookSettings;
}
