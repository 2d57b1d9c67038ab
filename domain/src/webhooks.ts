import { z } from "zod";
import { jobEventSchema, type JobEvent } from "./messages.js";

/**
 * Signed webhooks (Standard Webhooks): what a user's endpoint can subscribe to, the records kept
 * for endpoints and deliveries, and the thin body a delivery carries.
 */
export const WEBHOOK_EVENT_TYPES = ["job.succeeded", "job.failed", "job.cancelled", "video.rejected"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** Sent by sendTestWebhook only; endpoints need not subscribe to it. */
export const WEBHOOK_TEST_EVENT = "webhook.test";
export type WebhookDeliveryType = WebhookEventType | typeof WEBHOOK_TEST_EVENT;

/** Probe failures that are the file's fault: the worker rejects the video as well as failing the job. */
const VIDEO_REJECTING_CODES: ReadonlySet<string> = new Set([
  "INPUT_EMPTY",
  "INPUT_CORRUPT",
  "NO_VIDEO_STREAM",
  "UNSUPPORTED_CODEC",
  "UNSAFE_INPUT",
  "SOURCE_TOO_LARGE",
]);

/** The webhook events a job event stands for (none while the job is still live). */
export function webhookEventTypesFor(event: JobEvent): WebhookEventType[] {
  const { job } = event;
  switch (job.status) {
    case "SUCCEEDED":
      return ["job.succeeded"];
    case "CANCELLED":
      return ["job.cancelled"];
    case "FAILED":
      return job.error !== null && VIDEO_REJECTING_CODES.has(job.error.code)
        ? ["job.failed", "video.rejected"]
        : ["job.failed"];
    default:
      return [];
  }
}

export interface WebhookSecret {
  /** `whsec_` + base64 of the key bytes, as Standard Webhooks writes it. */
  readonly secret: string;
  readonly createdAt: Date;
  /** Null for the current secret; a rotated-out one keeps signing until then. */
  readonly expiresAt: Date | null;
}

export type WebhookDisabledReason = "GONE" | "FAILING" | "USER";

export interface WebhookEndpoint {
  readonly id: string;
  readonly ownerId: string;
  readonly url: string;
  readonly description: string;
  /** Subscribed types; every type when it lists them all. Never empty. */
  readonly events: readonly WebhookEventType[];
  /** Newest first; the first is current. */
  readonly secrets: readonly WebhookSecret[];
  readonly enabled: boolean;
  readonly disabledReason: WebhookDisabledReason | null;
  /** First failed attempt since the last success; null while healthy. */
  readonly failingSince: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

export type NewWebhookEndpoint = Pick<WebhookEndpoint, "id" | "ownerId" | "url" | "description" | "events"> & {
  readonly secret: string;
};

export type WebhookEndpointPatch = Partial<
  Pick<WebhookEndpoint, "url" | "description" | "events" | "secrets" | "enabled" | "disabledReason" | "failingSince">
>;

export const WEBHOOK_DELIVERY_STATUSES = ["PENDING", "SUCCEEDED", "FAILED"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export interface WebhookAttempt {
  readonly at: Date;
  /** The HTTP status answered; null when none came (timeout, refused address, connection error). */
  readonly responseStatus: number | null;
  readonly durationMs: number;
  /** Why it did not count as delivered; null on a 2xx. */
  readonly error: string | null;
}

export interface WebhookDelivery {
  /** The `webhook-id` header: the same on every attempt, the receiver's idempotency key. */
  readonly id: string;
  readonly endpointId: string;
  readonly ownerId: string;
  readonly type: WebhookDeliveryType;
  /** The exact body sent (the signature covers it, so it never changes between attempts). */
  readonly body: string;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  /** Attempts made before the latest redelivery: the retry schedule restarts from there. */
  readonly scheduleOffset: number;
  readonly nextAttemptAt: Date | null;
  /** The latest attempts, oldest first (bounded). */
  readonly attemptLog: readonly WebhookAttempt[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

export type NewWebhookDelivery = Pick<WebhookDelivery, "id" | "endpointId" | "ownerId" | "type" | "body">;
export type WebhookDeliveryPatch = Partial<
  Pick<WebhookDelivery, "status" | "attempts" | "scheduleOffset" | "nextAttemptAt" | "attemptLog">
>;

/** Attempts kept per delivery (the schedule makes 8; redeliveries add more). */
export const MAX_ATTEMPT_LOG = 20;

/** The `data` of a delivery: enough to act on, and where to ask for more. Never a download link. */
export interface WebhookJobData {
  readonly jobId: string;
  readonly videoId: string;
  readonly videoFilename: string;
  readonly status: string;
  readonly frameCount: number | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  /** The GraphQL endpoint: `query { node(id: jobId) { ... } }` (with the user's token) for details and a fresh link. */
  readonly graphqlUrl: string;
}

export interface WebhookBody<D = WebhookJobData> {
  readonly type: WebhookDeliveryType;
  readonly timestamp: string;
  readonly data: D;
}

export function webhookJobBody(
  type: WebhookEventType,
  event: JobEvent,
  links: { readonly publicUrl: string; readonly globalId: (type: "ExtractionJob" | "Video", id: string) => string },
): WebhookBody {
  const { job } = event;
  return {
    type,
    timestamp: job.finishedAt ?? job.updatedAt,
    data: {
      jobId: links.globalId("ExtractionJob", job.id),
      videoId: links.globalId("Video", job.videoId),
      videoFilename: event.videoFilename,
      status: job.status,
      frameCount: job.result?.frameCount ?? null,
      error: job.error === null ? null : { code: job.error.code, message: job.error.message },
      graphqlUrl: `${links.publicUrl.replace(/\/$/, "")}/graphql`,
    },
  };
}

/** What travels on the webhooks queue: job news to fan out, or one delivery's next attempt. */
export const webhookTaskSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("EVENT"), event: jobEventSchema }),
  z.object({
    kind: z.literal("DELIVER"),
    deliveryId: z.string().min(1).max(100),
    /** The delivery's attempt count this message was sent for: a message of an older count is stale. */
    attempts: z.number().int().min(0),
  }),
]);
export type WebhookTask = z.infer<typeof webhookTaskSchema>;

/** Relay-style ids of the webhook objects (same encoding as toGlobalId). */
export type WebhookNodeType = "WebhookEndpoint" | "WebhookDelivery";
export const toWebhookGlobalId = (type: WebhookNodeType, id: string): string =>
  Buffer.from(`${type}:${id}`, "utf8").toString("base64url");
export function fromWebhookGlobalId(globalId: string, expected: WebhookNodeType): string | null {
  const decoded = Buffer.from(globalId, "base64url").toString("utf8");
  const prefix = `${expected}:`;
  return decoded.startsWith(prefix) && decoded.length > prefix.length ? decoded.slice(prefix.length) : null;
}
