import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, dataOf, type TestEnv } from "./helpers/env.js";

// The resolvers and the webhook service in process, on the real single-machine platform (no
// consumer runs here: deliveries stay queued). Deliveries themselves: platform/test/webhook-delivery
// and e2e/test/webhooks.
let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(() => env.close());

interface UserErrors {
  userErrors: Array<{ field: string[] | null; message: string; code: string }>;
}
interface Endpoint {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  description: string;
  previousSecretExpiresAt: string | null;
}

const CREATE = `mutation($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { endpoint { id url events enabled description previousSecretExpiresAt } secret userErrors { field message code } }
}`;
const UPDATE = `mutation($input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(input: $input) { endpoint { id url events enabled description } userErrors { field message code } }
}`;
const ROTATE = `mutation($id: ID!) {
  rotateWebhookSecret(input: { endpointId: $id }) { endpoint { id previousSecretExpiresAt } secret previousSecretExpiresAt userErrors { field message code } }
}`;
const TEST = `mutation($id: ID!) {
  sendTestWebhook(input: { endpointId: $id }) { delivery { id webhookId eventType status attempts } userErrors { field message code } }
}`;
const REDELIVER = `mutation($id: ID!) {
  redeliverWebhook(input: { deliveryId: $id }) { delivery { id status } userErrors { field message code } }
}`;
const ENDPOINT = `query($id: ID!) {
  webhookEndpoint(id: $id) { id deliveries(first: 5) { nodes { id eventType status payload endpoint { id } } } }
}`;

const create = async (user: string, input: Record<string, unknown>) =>
  dataOf<UserErrors & { endpoint: Endpoint | null; secret: string | null }>(
    await env.exec(user, CREATE, { input }),
    "createWebhookEndpoint",
  );

describe("webhook endpoints over GraphQL", () => {
  it("refuses unsafe or malformed URLs with a VALIDATION userError on input.url", async () => {
    for (const url of [
      "http://hooks.example.com/x",
      "https://127.0.0.1/x",
      "https://localhost/x",
      "https://10.0.0.8/x",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]/x",
      "https://user:pw@hooks.example.com/x",
      "not a url",
    ]) {
      const r = await create("ann", { url });
      expect(r.endpoint, url).toBeNull();
      expect(r.secret).toBeNull();
      expect(r.userErrors[0]).toMatchObject({ code: "VALIDATION", field: ["input", "url"] });
    }
    const long = await create("ann", { url: "https://hooks.example.com/", description: "x".repeat(201) });
    expect(long.userErrors[0]).toMatchObject({ code: "VALIDATION", field: ["input", "description"] });
  });

  it("creates with every event by default, answers the secret once, updates, rotates and tests", async () => {
    const r = await create("bob", { url: "https://hooks.example.com/bob", description: "ci" });
    expect(r.userErrors).toEqual([]);
    expect(r.secret).toMatch(/^whsec_/);
    const e = r.endpoint!;
    expect(e).toMatchObject({
      events: ["JOB_SUCCEEDED", "JOB_FAILED", "JOB_CANCELLED", "VIDEO_REJECTED"],
      enabled: true,
      previousSecretExpiresAt: null,
    });

    const u = dataOf<UserErrors & { endpoint: Endpoint }>(
      await env.exec("bob", UPDATE, {
        input: { endpointId: e.id, events: ["JOB_FAILED", "JOB_FAILED"], enabled: false },
      }),
      "updateWebhookEndpoint",
    );
    expect(u.endpoint).toMatchObject({ events: ["JOB_FAILED"], enabled: false, url: e.url, description: "ci" });
    const badUrl = dataOf<UserErrors>(
      await env.exec("bob", UPDATE, { input: { endpointId: e.id, url: "https://192.168.1.1/" } }),
      "updateWebhookEndpoint",
    );
    expect(badUrl.userErrors[0]?.code).toBe("VALIDATION");

    const disabledTest = dataOf<UserErrors>(await env.exec("bob", TEST, { id: e.id }), "sendTestWebhook");
    expect(disabledTest.userErrors[0]?.code).toBe("ILLEGAL_TRANSITION");
    await env.exec("bob", UPDATE, { input: { endpointId: e.id, enabled: true } });

    const rotated = dataOf<UserErrors & { secret: string; previousSecretExpiresAt: string; endpoint: Endpoint }>(
      await env.exec("bob", ROTATE, { id: e.id }),
      "rotateWebhookSecret",
    );
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(r.secret);
    const overlapMs = new Date(rotated.previousSecretExpiresAt).getTime() - Date.now();
    expect(overlapMs).toBeGreaterThan(86_400_000 - 60_000);
    // In-process execution answers DateTime as Date objects.
    expect(String(rotated.endpoint.previousSecretExpiresAt)).toBe(String(rotated.previousSecretExpiresAt));
    const record = await env.platform.webhooks.store.endpoints.findForOwner(
      "bob",
      Buffer.from(e.id, "base64url").toString().split(":")[1]!,
    );
    expect(record?.secrets.map((s) => s.secret)).toEqual([rotated.secret, r.secret]);

    const test = dataOf<
      UserErrors & { delivery: { id: string; webhookId: string; eventType: string; status: string } }
    >(await env.exec("bob", TEST, { id: e.id }), "sendTestWebhook");
    expect(test.delivery).toMatchObject({ eventType: "webhook.test", status: "PENDING", attempts: 0 });
    expect(test.delivery.webhookId).toMatch(/^msg_/);
    // Queued for the consumer, never sent from the request.
    expect((await env.platform.webhooks.queue.depth()).visible).toBeGreaterThanOrEqual(1);
    const notFailed = dataOf<UserErrors>(
      await env.exec("bob", REDELIVER, { id: test.delivery.id }),
      "redeliverWebhook",
    );
    expect(notFailed.userErrors[0]?.code).toBe("ILLEGAL_TRANSITION");

    const seen = dataOf<{ deliveries: { nodes: Array<{ id: string; payload: string; endpoint: { id: string } }> } }>(
      await env.exec("bob", ENDPOINT, { id: e.id }),
      "webhookEndpoint",
    );
    expect(seen.deliveries.nodes.map((d) => d.id)).toEqual([test.delivery.id]);
    expect(JSON.parse(seen.deliveries.nodes[0]!.payload)).toMatchObject({
      type: "webhook.test",
      data: { endpointId: e.id },
    });
    expect(seen.deliveries.nodes[0]!.endpoint.id).toBe(e.id);

    // Another user: as if none of it existed.
    expect((await env.exec("eve", ENDPOINT, { id: e.id })).data?.webhookEndpoint).toBeNull();
    for (const [doc, field, vars] of [
      [ROTATE, "rotateWebhookSecret", { id: e.id }],
      [TEST, "sendTestWebhook", { id: e.id }],
      [REDELIVER, "redeliverWebhook", { id: test.delivery.id }],
      [UPDATE, "updateWebhookEndpoint", { input: { endpointId: e.id, enabled: false } }],
    ] as const) {
      const refused = dataOf<UserErrors>(await env.exec("eve", doc, vars), field);
      expect(refused.userErrors[0]?.code, field).toBe("NOT_FOUND");
    }
    // An id of another type is no endpoint either.
    const videoId = Buffer.from("Video:x").toString("base64url");
    expect(
      dataOf<UserErrors>(await env.exec("bob", TEST, { id: videoId }), "sendTestWebhook").userErrors[0]?.code,
    ).toBe("NOT_FOUND");
  });

  it("caps endpoints per user with QUOTA_EXCEEDED", async () => {
    const max = env.platform.webhooks.settings.maxEndpointsPerUser;
    for (let i = 0; i < max; i++)
      expect((await create("cap", { url: `https://hooks.example.com/${i}` })).userErrors).toEqual([]);
    const over = await create("cap", { url: "https://hooks.example.com/over" });
    expect(over.endpoint).toBeNull();
    expect(over.userErrors[0]?.code).toBe("QUOTA_EXCEEDED");
  });

  it("needs a signed-in viewer", async () => {
    const r = await env.exec(null, CREATE, { input: { url: "https://hooks.example.com/" } });
    expect(r.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
