import { createHash, randomBytes } from "node:crypto";

/** One event's delivery to one endpoint always has the same id, so a redelivered event is a no-op. */
export const webhookDeliveryId = (endpointId: string, eventKey: string): string =>
  `msg_${createHash("sha256").update(`${endpointId}\n${eventKey}`).digest("base64url").slice(0, 27)}`;

export const randomWebhookDeliveryId = (): string => `msg_${randomBytes(20).toString("base64url")}`;
