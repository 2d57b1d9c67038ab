import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateWebhookEndpointDocument,
  DeleteWebhookEndpointDocument,
  RedeliverWebhookDocument,
  RotateWebhookSecretDocument,
  SendTestWebhookDocument,
  UpdateWebhookEndpointDocument,
  WebhookEndpointDocument,
  WebhookEndpointsDocument,
} from "@vp/client";
import { until } from "@vp/platform/testing";
import { main as vproc } from "../../client/src/cli/main.js";
import { ApiClient, waitForTerminal } from "./support/api-client.js";
import { removeDir, startTestProduct, type TestProduct } from "./support/product.js";
import { makeTestVideo } from "./support/videos.js";

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly answered: number;
}

/**
 * The "done": a user registers an endpoint, runs a job, and their receiver (on this
 * machine, allowed by the development setting) gets a signed delivery standardwebhooks verifies,
 * retried until acknowledged and visible in GraphQL. The retry schedule is compressed by setting.
 */
describe("webhooks: a real job's end, delivered and signed", () => {
  let product: TestProduct;
  let dir: string;
  let video: string;
  let receiver: { url: string; got: Received[]; answer: (n: number) => number; close(): Promise<void> };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-webhooks-"));
    video = await makeTestVideo(join(dir, "clip.mp4"), { seconds: 3 });
    const got: Received[] = [];
    const state = { answer: (n: number): number => (n === 1 ? 500 : 200) };
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const answered = state.answer(got.length + 1);
        got.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), answered });
        res.writeHead(answered).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    receiver = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
      got,
      get answer() {
        return state.answer;
      },
      set answer(f) {
        state.answer = f;
      },
      close: () =>
        new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    };
    product = await startTestProduct({
      env: { VP_WEBHOOK_ALLOW_LOCAL_TARGETS: "true", VP_WEBHOOK_RETRY_SCALE: "0.0001" },
    });
  });

  afterAll(async () => {
    await product?.close();
    await receiver?.close();
    if (product) await removeDir(product.dataDir);
    await removeDir(dir);
  });

  const verify = (secret: string, r: Received) =>
    new Webhook(secret).verify(r.body, {
      "webhook-id": String(r.headers["webhook-id"]),
      "webhook-timestamp": String(r.headers["webhook-timestamp"]),
      "webhook-signature": String(r.headers["webhook-signature"]),
    }) as { type: string; timestamp: string; data: Record<string, unknown> };

  it("registers an endpoint, runs a job, and the receiver gets it signed, after a retry", async () => {
    const client = new ApiClient(product.url!);
    try {
      await client.signUpAndLogIn("hooks@example.com");
      const refused = await client.data(CreateWebhookEndpointDocument, {
        input: { url: "http://169.254.169.254/latest" },
      });
      expect(refused.createWebhookEndpoint.endpoint).toBeNull();
      expect(refused.createWebhookEndpoint.userErrors[0]).toMatchObject({
        code: "VALIDATION",
        field: ["input", "url"],
      });

      const created = await client.data(CreateWebhookEndpointDocument, {
        input: { url: receiver.url, description: "my CI" },
      });
      expect(created.createWebhookEndpoint.userErrors).toEqual([]);
      const secret = created.createWebhookEndpoint.secret;
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
      const endpoint = created.createWebhookEndpoint.endpoint;
      expect(endpoint.events).toEqual(["JOB_SUCCEEDED", "JOB_FAILED", "JOB_CANCELLED", "VIDEO_REJECTED"]);
      // The secret is answered once: no query shows it.
      const listed = await client.gql(WebhookEndpointsDocument, { first: 10 });
      expect(JSON.stringify(listed)).not.toContain(secret);
      expect(listed.data?.webhookEndpoints.nodes.map((e) => e.id)).toEqual([endpoint.id]);

      const completed = await client.upload(video, { mode: "INTERVAL", intervalSeconds: 1 });
      const job = await waitForTerminal(client, completed.job.id);
      expect(job.status).toBe("SUCCEEDED");

      await until(() => receiver.got.some((r) => r.answered === 200), "the acknowledged delivery", 20_000);
      expect(receiver.got.map((r) => r.answered)).toEqual([500, 200]);
      const [first, second] = receiver.got as [Received, Received];
      expect(first.headers["webhook-id"]).toBe(second.headers["webhook-id"]);
      const body = verify(secret, second);
      expect(body.type).toBe("job.succeeded");
      expect(body.data).toMatchObject({ jobId: job.id, status: "SUCCEEDED", frameCount: job.result.frameCount });
      expect(verify(secret, first)).toEqual(body);

      const seen = await client.data(WebhookEndpointDocument, { id: endpoint.id, deliveries: 10 });
      const [delivery] = seen.webhookEndpoint.deliveries.nodes;
      expect(delivery).toMatchObject({
        webhookId: second.headers["webhook-id"],
        eventType: "job.succeeded",
        status: "SUCCEEDED",
        attempts: 2,
        responseStatus: 200,
        lastError: null,
      });
      expect(delivery!.attemptLog.map((a) => a.responseStatus)).toEqual([500, 200]);
      expect(JSON.parse(delivery!.payload)).toEqual(body);
    } finally {
      await client.close();
    }
  });

  it("tests, rotates (both secrets sign for a while), is disabled by 410, re-enabled, redelivered, deleted", async () => {
    const client = new ApiClient(product.url!);
    try {
      await client.signUpAndLogIn("rotate@example.com");
      receiver.answer = () => 204;
      const before = receiver.got.length;
      const created = await client.data(CreateWebhookEndpointDocument, {
        input: { url: receiver.url, events: ["JOB_FAILED"] },
      });
      const endpointId = created.createWebhookEndpoint.endpoint.id;
      const oldSecret = created.createWebhookEndpoint.secret;

      const test = await client.data(SendTestWebhookDocument, { input: { endpointId } });
      expect(test.sendTestWebhook.delivery).toMatchObject({ eventType: "webhook.test", status: "PENDING" });
      await until(() => receiver.got.length === before + 1, "the test delivery");
      expect(verify(oldSecret, receiver.got[before]!).type).toBe("webhook.test");

      const rotated = await client.data(RotateWebhookSecretDocument, { input: { endpointId } });
      const newSecret = rotated.rotateWebhookSecret.secret;
      expect(newSecret).not.toBe(oldSecret);
      expect(Date.parse(rotated.rotateWebhookSecret.previousSecretExpiresAt)).toBeGreaterThan(Date.now() + 3_600_000);
      await client.data(SendTestWebhookDocument, { input: { endpointId } });
      await until(() => receiver.got.length === before + 2, "the test delivery after rotation");
      const afterRotation = receiver.got[before + 1]!;
      expect(String(afterRotation.headers["webhook-signature"]).split(" ")).toHaveLength(2);
      expect(() => verify(newSecret, afterRotation)).not.toThrow();
      expect(() => verify(oldSecret, afterRotation)).not.toThrow();

      receiver.answer = () => 410;
      const gone = await client.data(SendTestWebhookDocument, { input: { endpointId } });
      const goneId = gone.sendTestWebhook.delivery.id;
      await until(async () => {
        const e = await client.data(WebhookEndpointDocument, { id: endpointId, deliveries: 1 });
        // The endpoint is disabled first, then the delivery recorded: wait for both.
        return e.webhookEndpoint?.enabled === false && e.webhookEndpoint.deliveries.nodes[0]?.status === "FAILED";
      }, "the endpoint disabled by 410");
      const disabled = await client.data(WebhookEndpointDocument, { id: endpointId, deliveries: 1 });
      expect(disabled.webhookEndpoint).toMatchObject({ enabled: false, disabledReason: "GONE" });
      expect(disabled.webhookEndpoint.deliveries.nodes[0]).toMatchObject({
        id: goneId,
        status: "FAILED",
        responseStatus: 410,
      });

      const early = await client.data(RedeliverWebhookDocument, { input: { deliveryId: goneId } });
      expect(early.redeliverWebhook.userErrors[0]?.code).toBe("ILLEGAL_TRANSITION");
      receiver.answer = () => 200;
      const enabled = await client.data(UpdateWebhookEndpointDocument, { input: { endpointId, enabled: true } });
      expect(enabled.updateWebhookEndpoint.endpoint).toMatchObject({ enabled: true, disabledReason: null });
      const again = await client.data(RedeliverWebhookDocument, { input: { deliveryId: goneId } });
      expect(again.redeliverWebhook.userErrors).toEqual([]);
      await until(async () => {
        const e = await client.data(WebhookEndpointDocument, { id: endpointId, deliveries: 1 });
        return e.webhookEndpoint?.deliveries.nodes[0]?.status === "SUCCEEDED";
      }, "the redelivery");
      const redelivered = await client.data(WebhookEndpointDocument, { id: endpointId, deliveries: 1 });
      expect(redelivered.webhookEndpoint.deliveries.nodes[0]).toMatchObject({ attempts: 2, responseStatus: 200 });
      const last = receiver.got[receiver.got.length - 1]!;
      const previous = receiver.got[receiver.got.length - 2]!;
      expect(last.headers["webhook-id"]).toBe(previous.headers["webhook-id"]);

      // Another user sees none of it.
      const other = new ApiClient(product.url!);
      try {
        await other.signUpAndLogIn("nosy@example.com");
        expect((await other.data(WebhookEndpointDocument, { id: endpointId })).webhookEndpoint).toBeNull();
        const theirs = await other.data(DeleteWebhookEndpointDocument, { input: { endpointId } });
        expect(theirs.deleteWebhookEndpoint.userErrors[0]?.code).toBe("NOT_FOUND");
      } finally {
        await other.close();
      }

      const deleted = await client.data(DeleteWebhookEndpointDocument, { input: { endpointId } });
      expect(deleted.deleteWebhookEndpoint.deletedEndpointId).toBe(endpointId);
      expect((await client.data(WebhookEndpointsDocument, { first: 10 })).webhookEndpoints.nodes).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it("vproc webhooks create, list, test and delete", async () => {
    const env = {
      XDG_CONFIG_HOME: join(dir, "config"),
      VPROC_SERVER: product.url!,
      VPROC_PASSWORD: "correct horse battery 9",
    };
    const run = async (args: string[]) => {
      let stdout = "";
      let stderr = "";
      const sink = (append: (s: string) => void) =>
        ({ write: (chunk: string) => (append(String(chunk)), true) }) as unknown as NodeJS.WritableStream;
      const code = await vproc(args, {
        stdout: sink((s) => (stdout += s)),
        stderr: sink((s) => (stderr += s)),
        env,
      });
      return { code, stdout, stderr };
    };
    receiver.answer = () => 200;
    expect((await run(["signup", "--email", "cli-hooks@example.com"])).code).toBe(0);
    expect((await run(["webhooks", "create", receiver.url, "--events", "job.sideways"])).code).toBe(2);
    const created = await run(["webhooks", "create", receiver.url, "--events", "job.succeeded,job.failed", "--json"]);
    expect(created.code).toBe(0);
    const { endpoint, secret } = JSON.parse(created.stdout) as { endpoint: { id: string }; secret: string };
    expect(secret).toMatch(/^whsec_/);
    const listed = await run(["webhooks", "list"]);
    expect(listed.stdout).toContain(endpoint.id);
    expect(listed.stdout).toContain("job.succeeded,job.failed");
    const before = receiver.got.length;
    const tested = await run(["webhooks", "test", endpoint.id]);
    expect(tested).toMatchObject({ code: 0 });
    expect(tested.stdout).toMatch(/^Delivered msg_\S+: HTTP 200/);
    expect(verify(secret, receiver.got[before]!).type).toBe("webhook.test");
    const refused = await run(["webhooks", "create", "https://10.0.0.1/hook"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/private/);
    expect((await run(["webhooks", "delete", endpoint.id])).code).toBe(0);
    expect((await run(["webhooks", "delete", endpoint.id])).code).toBe(1);
    expect((await run(["webhooks", "list"])).stdout).toBe("No webhook endpoints.\n");
  });
});
