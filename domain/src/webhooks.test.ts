import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { nextWebhookRetryDelayMs, WEBHOOK_ATTEMPTS_PER_ROUND } from "./webhooks-retry.js";
import {
  generateWebhookSecret,
  isWebhookSecret,
  verifyWebhookSignature,
  webhookHeaders,
} from "./webhooks-signature.js";
import { fromWebhookGlobalId, toWebhookGlobalId } from "./webhooks.js";

describe("webhook signatures", () => {
  it("are what the standardwebhooks library verifies", () => {
    const secret = generateWebhookSecret();
    expect(isWebhookSecret(secret)).toBe(true);
    const body = JSON.stringify({ type: "job.succeeded", timestamp: new Date().toISOString(), data: { a: 1 } });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = webhookHeaders({ id: "msg_1", timestamp, body, secrets: [secret] });
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(headers["webhook-signature"]).toBe(new Webhook(secret).sign("msg_1", new Date(timestamp * 1000), body));
  });

  it("carry one signature per valid secret, and either secret verifies", () => {
    const [old, current] = [generateWebhookSecret(), generateWebhookSecret()];
    const body = '{"x":1}';
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = webhookHeaders({ id: "msg_2", timestamp, body, secrets: [current, old] });
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(() => new Webhook(old).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(current).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow();
    const signature = headers["webhook-signature"];
    expect(verifyWebhookSignature({ id: "msg_2", timestamp, body, signature, secret: old })).toBe(true);
    expect(verifyWebhookSignature({ id: "msg_2", timestamp, body: '{"x":2}', signature, secret: old })).toBe(false);
  });

  it("refuse a malformed secret", () => {
    expect(isWebhookSecret("whsec_short")).toBe(false);
    expect(isWebhookSecret("abc")).toBe(false);
    expect(() => webhookHeaders({ id: "m", timestamp: 1, body: "", secrets: ["nope"] })).toThrow();
  });
});

describe("webhook retry schedule", () => {
  it("follows Standard Webhooks' waits, then stops", () => {
    const exact = (n: number) => nextWebhookRetryDelayMs(n, { jitter: 0 });
    expect([1, 2, 3, 4, 5, 6, 7].map(exact)).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ]);
    expect(exact(8)).toBeNull();
    expect(exact(0)).toBeNull();
    expect(WEBHOOK_ATTEMPTS_PER_ROUND).toBe(8);
    const total = [1, 2, 3, 4, 5, 6, 7].reduce((sum, n) => sum + exact(n)!, 0);
    expect(total / 3_600_000).toBeCloseTo(27.6, 1);
  });

  it("jitters within bounds and compresses by scale", () => {
    expect(nextWebhookRetryDelayMs(1, { random: () => 0 })).toBe(4_000);
    expect(nextWebhookRetryDelayMs(1, { random: () => 0.999999 })).toBe(6_000);
    expect(nextWebhookRetryDelayMs(2, { scale: 0.001, jitter: 0 })).toBe(300);
  });
});

it("webhook global ids round-trip and refuse another type", () => {
  const id = toWebhookGlobalId("WebhookEndpoint", "ep-1");
  expect(fromWebhookGlobalId(id, "WebhookEndpoint")).toBe("ep-1");
  expect(fromWebhookGlobalId(id, "WebhookDelivery")).toBeNull();
  expect(fromWebhookGlobalId("garbage", "WebhookEndpoint")).toBeNull();
});
