import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Standard Webhooks signatures: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body` under the
 * secret's key bytes, one per valid secret, separated by spaces (receivers accept any of them).
 */
const PREFIX = "whsec_";

export function generateWebhookSecret(): string {
  return PREFIX + randomBytes(32).toString("base64");
}

export function isWebhookSecret(secret: string): boolean {
  if (!secret.startsWith(PREFIX)) return false;
  const key = Buffer.from(secret.slice(PREFIX.length), "base64");
  return key.length >= 24 && key.length <= 64;
}

function keyOf(secret: string): Buffer {
  if (!isWebhookSecret(secret)) throw new Error("not a whsec_ webhook secret");
  return Buffer.from(secret.slice(PREFIX.length), "base64");
}

export function signWebhook(input: {
  readonly id: string;
  /** Unix seconds, as sent in `webhook-timestamp`. */
  readonly timestamp: number;
  readonly body: string;
  readonly secrets: readonly string[];
}): string {
  const content = `${input.id}.${input.timestamp}.${input.body}`;
  return input.secrets
    .map((secret) => `v1,${createHmac("sha256", keyOf(secret)).update(content, "utf8").digest("base64")}`)
    .join(" ");
}

export type WebhookHeaders = {
  readonly "content-type": string;
  readonly "webhook-id": string;
  readonly "webhook-timestamp": string;
  readonly "webhook-signature": string;
};

/** The headers of one attempt. */
export function webhookHeaders(input: {
  readonly id: string;
  readonly timestamp: number;
  readonly body: string;
  readonly secrets: readonly string[];
}): WebhookHeaders {
  return {
    "content-type": "application/json",
    "webhook-id": input.id,
    "webhook-timestamp": String(input.timestamp),
    "webhook-signature": signWebhook(input),
  };
}

/** Receiver side, for `vproc webhooks listen` and tests: true when one signature matches. */
export function verifyWebhookSignature(input: {
  readonly id: string;
  readonly timestamp: number;
  readonly body: string;
  readonly signature: string;
  readonly secret: string;
}): boolean {
  const expected = Buffer.from(signWebhook({ ...input, secrets: [input.secret] }));
  return input.signature.split(" ").some((candidate) => {
    const got = Buffer.from(candidate);
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}
