import type { WebhookEndpoint } from "@vp/domain";
import type { IdentityProvider } from "../ports/identity.js";
import type { Mailer } from "../ports/mailer.js";
import type { WebhookSender } from "../ports/webhook-sender.js";
import { startQueueConsumer, type ConsumerLogger, type QueueConsumer } from "../messaging/queue-consumer.js";
import { createSsrfSafeSender } from "./ssrf-safe-sender.js";
import { isConfiguredQueue } from "./unconfigured-queue.js";
import { createWebhookDispatcher } from "./webhook-dispatcher.js";
import type { WebhookPlatform } from "./webhook-platform.js";

export interface WebhookConsumerOptions {
  readonly webhooks: WebhookPlatform;
  readonly identity: Pick<IdentityProvider, "getUser">;
  readonly mailer: Mailer;
  /** Base URL the bodies and emails point at. */
  readonly publicUrl: () => string;
  readonly logger: ConsumerLogger;
  /** Attempts in flight at once. @default 8 */
  readonly concurrency?: number;
  /** @default the SSRF-safe sender built from the settings */
  readonly sender?: WebhookSender;
}

/**
 * The webhook delivery consumer: the webhooks queue's one receive loop (fan-out and attempts),
 * run by the worker role (on one machine inside `npm start`). Null when the queue is not configured.
 */
export function startWebhookConsumer(options: WebhookConsumerOptions): QueueConsumer | null {
  const { webhooks, logger } = options;
  if (!isConfiguredQueue(webhooks.queue)) {
    logger.warn({}, "webhooks are off: their queue is not configured (VP_SQS_WEBHOOK_QUEUE_URL)");
    return null;
  }
  const sender =
    options.sender ??
    createSsrfSafeSender({
      allowLocalTargets: webhooks.settings.allowLocalTargets,
      timeoutMs: webhooks.settings.timeoutMs,
    });
  const dispatch = createWebhookDispatcher({
    store: webhooks.store,
    queue: webhooks.queue,
    sender,
    settings: webhooks.settings,
    publicUrl: options.publicUrl,
    logger,
    onDisabled: (endpoint) => mailDisabled(options, endpoint),
  });
  const consumer = startQueueConsumer({
    name: "webhooks",
    queue: webhooks.queue,
    concurrency: options.concurrency ?? 8,
    // An attempt takes at most the timeout; the rest is bookkeeping.
    visibilityTimeoutSeconds: Math.ceil(webhooks.settings.timeoutMs / 1000) * 2 + 10,
    logger,
    handle: (message) => dispatch(message.body),
  });
  return {
    async close(closeOptions) {
      await consumer.close(closeOptions);
      if (options.sender === undefined) await sender.close();
    },
  };
}

async function mailDisabled(options: WebhookConsumerOptions, endpoint: WebhookEndpoint): Promise<void> {
  const user = await options.identity.getUser(endpoint.ownerId);
  if (user === null) return;
  const why =
    endpoint.disabledReason === "GONE"
      ? "it answered 410 Gone, which asks senders to stop"
      : "every delivery to it has failed for several days";
  const text = [
    `Your webhook endpoint ${endpoint.url} was disabled: ${why}.`,
    "",
    "No more events are sent to it. When it works again, enable it with updateWebhookEndpoint",
    `(enabled: true) at ${options.publicUrl().replace(/\/$/, "")}/graphql, then redeliver the failed deliveries you need.`,
  ].join("\n");
  const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  await options.mailer.send({
    to: user.email,
    subject: "Your webhook endpoint was disabled",
    text,
    html: `<p>${escape(text).replace(/\n\n/g, "</p><p>").replace(/\n/g, " ")}</p>`,
  });
}
