import {
  isDomainError,
  MAX_ATTEMPT_LOG,
  nextWebhookRetryDelayMs,
  toGlobalId,
  webhookEventTypesFor,
  webhookHeaders,
  webhookJobBody,
  type JobEvent,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookDeliveryPatch,
  type WebhookEndpoint,
  type WebhookEndpointPatch,
  type WebhookTask,
} from "@vp/domain";
import type { JobQueue } from "../ports/job-queue.js";
import type { WebhookSender, WebhookSendResult } from "../ports/webhook-sender.js";
import type { WebhookStore } from "../ports/webhook-store.js";
import type { ConsumerLogger, Disposition } from "../messaging/queue-consumer.js";
import type { WebhookSettings } from "./webhook-settings.js";
import { webhookDeliveryId } from "./webhook-delivery-id.js";

export interface WebhookDispatcherDeps {
  readonly store: WebhookStore;
  readonly queue: JobQueue<WebhookTask>;
  readonly sender: WebhookSender;
  readonly settings: Pick<WebhookSettings, "retryScale" | "disableAfterMs">;
  /** Base URL the bodies point at (`<publicUrl>/graphql`). */
  readonly publicUrl: () => string;
  /** Tells the owner their endpoint was disabled (email). Failures are logged, never retried. */
  readonly onDisabled?: (endpoint: WebhookEndpoint) => Promise<void>;
  readonly logger: ConsumerLogger;
  /** @default Date.now */
  readonly clock?: () => number;
  /** [0, 1) for the retry jitter. @default Math.random */
  readonly random?: () => number;
}

/** Queues report at most this wait (SQS: 15 minutes); longer waits hop through the queue again. */
const MAX_QUEUE_DELAY_SECONDS = 900;
/** Endpoints of one owner considered for an event. */
const MAX_ENDPOINTS_SCANNED = 100;

/**
 * The webhooks queue's handler: job news becomes one delivery per subscribed endpoint (EVENT), and
 * each delivery is attempted when due (DELIVER): signed, sent, recorded, then finished, retried on
 * the schedule, failed, or its endpoint disabled. Every step is safe to repeat: delivery ids are
 * derived from the event, writes are conditional on version, and stale messages are dropped.
 */
export function createWebhookDispatcher(deps: WebhookDispatcherDeps): (task: WebhookTask) => Promise<Disposition> {
  const clock = deps.clock ?? Date.now;
  const { store, queue, logger } = deps;

  const schedule = (deliveryId: string, attempts: number, delayMs: number) =>
    queue.enqueue(
      { kind: "DELIVER", deliveryId, attempts },
      {
        delaySeconds: Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, delayMs) / 1000),
        dedupeKey: `${deliveryId}:${attempts}`,
      },
    );

  async function fanOut(event: JobEvent): Promise<Disposition> {
    const types = webhookEventTypesFor(event);
    if (types.length === 0) return { kind: "ack" };
    const endpoints = (await store.endpoints.allForOwner(event.job.ownerId, MAX_ENDPOINTS_SCANNED)).filter(
      (e) => e.enabled,
    );
    const now = new Date(clock());
    for (const type of types) {
      const body = JSON.stringify(webhookJobBody(type, event, { publicUrl: deps.publicUrl(), globalId: toGlobalId }));
      for (const endpoint of endpoints.filter((e) => e.events.includes(type))) {
        const { delivery } = await store.deliveries.create({
          id: webhookDeliveryId(endpoint.id, `${type}\n${event.job.id}\n${event.job.version}`),
          endpointId: endpoint.id,
          ownerId: endpoint.ownerId,
          type,
          body,
          nextAttemptAt: now,
        });
        // Also when it existed: a crash may have come between its creation and this enqueue.
        if (delivery.status === "PENDING" && delivery.attempts === 0) await schedule(delivery.id, 0, 0);
      }
    }
    return { kind: "ack" };
  }

  async function updateEndpoint(
    endpoint: WebhookEndpoint,
    patch: WebhookEndpointPatch,
  ): Promise<WebhookEndpoint | null> {
    try {
      return await store.endpoints.update(endpoint.id, { version: endpoint.version }, patch);
    } catch (err) {
      // Another delivery (or the owner) changed it first; their write wins, ours was only bookkeeping.
      if (isDomainError(err, "STALE_UPDATE") || isDomainError(err, "NOT_FOUND")) return null;
      throw err;
    }
  }

  async function disable(endpoint: WebhookEndpoint, reason: "GONE" | "FAILING"): Promise<void> {
    const disabled = await updateEndpoint(endpoint, { enabled: false, disabledReason: reason });
    if (disabled === null) return;
    logger.warn({ endpointId: endpoint.id, ownerId: endpoint.ownerId, reason }, "webhook endpoint disabled");
    await deps
      .onDisabled?.(disabled)
      .catch((err: unknown) =>
        logger.warn({ endpointId: endpoint.id, err }, "could not tell the owner their webhook endpoint was disabled"),
      );
  }

  async function finish(delivery: WebhookDelivery, patch: WebhookDeliveryPatch): Promise<boolean> {
    try {
      await store.deliveries.update(delivery.id, { version: delivery.version }, patch);
      return true;
    } catch (err) {
      if (isDomainError(err, "STALE_UPDATE") || isDomainError(err, "NOT_FOUND")) return false;
      throw err;
    }
  }

  async function deliver(task: Extract<WebhookTask, { kind: "DELIVER" }>): Promise<Disposition> {
    const delivery = await store.deliveries.findById(task.deliveryId);
    // The next attempt is queued just before the last one is recorded: a message may arrive first.
    if (delivery !== null && delivery.attempts < task.attempts)
      return { kind: "retry", delaySeconds: 1, reason: "the delivery's record is behind this message" };
    if (delivery === null || delivery.status !== "PENDING" || delivery.attempts !== task.attempts)
      return { kind: "ack" };
    const now = clock();
    const due = delivery.nextAttemptAt?.getTime() ?? now;
    if (due - now > 50) {
      // Longer than a queue can hold a message: hop again, keyed apart from the waiting message.
      await queue.enqueue(task, { delaySeconds: Math.min(MAX_QUEUE_DELAY_SECONDS, (due - now) / 1000) });
      return { kind: "ack" };
    }
    const log = (attempt: WebhookAttempt) => [...delivery.attemptLog, attempt].slice(-MAX_ATTEMPT_LOG);
    const endpoint = await store.endpoints.findById(delivery.endpointId);
    if (endpoint === null || !endpoint.enabled) {
      const error = endpoint === null ? "endpoint deleted" : `endpoint disabled (${endpoint.disabledReason ?? "USER"})`;
      await finish(delivery, {
        status: "FAILED",
        nextAttemptAt: null,
        attemptLog: log({ at: new Date(now), responseStatus: null, durationMs: 0, error }),
      });
      return { kind: "ack" };
    }

    const secrets = endpoint.secrets.filter((s) => s.expiresAt === null || s.expiresAt.getTime() > now);
    const result = await deps.sender.send({
      url: endpoint.url,
      headers: webhookHeaders({
        id: delivery.id,
        timestamp: Math.floor(now / 1000),
        body: delivery.body,
        secrets: secrets.map((s) => s.secret),
      }),
      body: delivery.body,
    });
    const attempts = delivery.attempts + 1;
    const attempt: WebhookAttempt = {
      at: new Date(now),
      responseStatus: result.kind === "response" ? result.status : null,
      durationMs: result.durationMs,
      error: failure(result),
    };
    const fields = { endpointId: endpoint.id, deliveryId: delivery.id, attempts, status: attempt.responseStatus };

    // The endpoint's health is written before the delivery's outcome, so whoever sees the outcome
    // (the owner in GraphQL, a test) also sees its consequence for the endpoint.
    if (attempt.error === null) {
      if (endpoint.failingSince !== null) await updateEndpoint(endpoint, { failingSince: null });
      if (await finish(delivery, { status: "SUCCEEDED", attempts, nextAttemptAt: null, attemptLog: log(attempt) }))
        logger.info(fields, "webhook delivered");
      return { kind: "ack" };
    }
    if (attempt.responseStatus === 410) {
      await disable(endpoint, "GONE");
      await finish(delivery, { status: "FAILED", attempts, nextAttemptAt: null, attemptLog: log(attempt) });
      return { kind: "ack" };
    }
    if (endpoint.failingSince === null) await updateEndpoint(endpoint, { failingSince: new Date(now) });
    else if (now - endpoint.failingSince.getTime() >= deps.settings.disableAfterMs) await disable(endpoint, "FAILING");

    const delay = nextWebhookRetryDelayMs(attempts - delivery.scheduleOffset, {
      scale: deps.settings.retryScale,
      ...(deps.random ? { random: deps.random } : {}),
    });
    // The next message goes in before the record: a crash in between repeats this attempt, never loses the next.
    if (delay !== null) await schedule(delivery.id, attempts, delay);
    const recorded = await finish(delivery, {
      status: delay === null ? "FAILED" : "PENDING",
      attempts,
      nextAttemptAt: delay === null ? null : new Date(now + delay),
      attemptLog: log(attempt),
    });
    if (recorded) logger.warn({ ...fields, error: attempt.error, retryInMs: delay }, "webhook attempt failed");
    return { kind: "ack" };
  }

  return (task) => (task.kind === "EVENT" ? fanOut(task.event) : deliver(task));
}

/** Null when the attempt delivered (any 2xx); otherwise why not, for the record. */
function failure(result: WebhookSendResult): string | null {
  switch (result.kind) {
    case "response":
      return result.status >= 200 && result.status < 300 ? null : `HTTP ${result.status}`;
    case "error":
      return result.message;
    case "refused":
      return `refused: ${result.message}`;
  }
}
