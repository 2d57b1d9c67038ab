import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateWebhookSecret, type NewWebhookEndpoint, type WebhookAttempt } from "@vp/domain";
import type { WebhookStore } from "../../ports/webhook-store.js";
import { expectDomainError } from "./helpers.js";

export interface WebhookStoreFixture extends WebhookStore {
  /** The same storage through a second connection, as another process opens it; optional. */
  readonly openAnother?: () => Promise<WebhookStore>;
  cleanup(): Promise<void>;
}

const newEndpoint = (ownerId: string, over: Partial<NewWebhookEndpoint> = {}): NewWebhookEndpoint => ({
  id: randomUUID(),
  ownerId,
  url: "https://hooks.example.com/vp",
  description: "ci",
  events: ["job.succeeded", "job.failed"],
  secret: generateWebhookSecret(),
  ...over,
});

/** The behaviour every WebhookStore adapter must show: one suite, run against SQLite and DynamoDB. */
export function webhookStoreContract(name: string, makeFixture: () => Promise<WebhookStoreFixture>): void {
  describe(`WebhookStore contract: ${name}`, () => {
    let f: WebhookStoreFixture;
    beforeEach(async () => {
      f = await makeFixture();
    });
    afterEach(async () => {
      await f.cleanup();
    });

    it("creates an endpoint enabled, version 1, with its one secret; refuses a duplicate id", async () => {
      const input = newEndpoint("owner-a");
      const e = await f.endpoints.create(input);
      expect(e).toMatchObject({
        id: input.id,
        ownerId: "owner-a",
        url: input.url,
        description: "ci",
        events: ["job.succeeded", "job.failed"],
        enabled: true,
        disabledReason: null,
        failingSince: null,
        version: 1,
      });
      expect(e.secrets).toHaveLength(1);
      expect(e.secrets[0]).toMatchObject({ secret: input.secret, expiresAt: null });
      expect(e.createdAt).toBeInstanceOf(Date);
      await expectDomainError(f.endpoints.create(input), "ALREADY_EXISTS");
      expect(await f.endpoints.findById(input.id)).toEqual(e);
    });

    it("scopes reads and deletes to the owner", async () => {
      const e = await f.endpoints.create(newEndpoint("owner-a"));
      expect(await f.endpoints.findForOwner("owner-b", e.id)).toBeNull();
      expect((await f.endpoints.findForOwner("owner-a", e.id))?.id).toBe(e.id);
      expect(await f.endpoints.deleteForOwner("owner-b", e.id)).toBe(false);
      expect(await f.endpoints.countForOwner("owner-a")).toBe(1);
      expect(await f.endpoints.deleteForOwner("owner-a", e.id)).toBe(true);
      expect(await f.endpoints.deleteForOwner("owner-a", e.id)).toBe(false);
      expect(await f.endpoints.findById(e.id)).toBeNull();
      expect(await f.endpoints.countForOwner("owner-a")).toBe(0);
    });

    it("lists an owner's endpoints newest first, in pages", async () => {
      const owner = `owner-${randomUUID()}`;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await f.endpoints.create(newEndpoint(owner))).id);
        await new Promise((r) => setTimeout(r, 3));
      }
      await f.endpoints.create(newEndpoint("someone-else"));
      const first = await f.endpoints.listForOwner(owner, { first: 2 });
      expect(first.items.map((e) => e.id)).toEqual([ids[4], ids[3]]);
      expect(first.hasNextPage).toBe(true);
      const rest = await f.endpoints.listForOwner(owner, { first: 10, after: first.endCursor });
      expect(rest.items.map((e) => e.id)).toEqual([ids[2], ids[1], ids[0]]);
      expect(rest.hasNextPage).toBe(false);
      expect((await f.endpoints.allForOwner(owner, 100)).map((e) => e.id).sort()).toEqual([...ids].sort());
      await expectDomainError(f.endpoints.listForOwner(owner, { first: 0 }), "VALIDATION");
    });

    it("updates conditionally on version and keeps every field it was given", async () => {
      const e = await f.endpoints.create(newEndpoint("owner-a"));
      const rotated = [
        { secret: generateWebhookSecret(), createdAt: new Date(), expiresAt: null },
        { ...e.secrets[0]!, expiresAt: new Date(Date.now() + 86_400_000) },
      ];
      const failingSince = new Date(Date.now() - 1000);
      const u = await f.endpoints.update(
        e.id,
        { version: 1 },
        {
          url: "https://other.example.com/x",
          description: "new",
          events: ["video.rejected"],
          secrets: rotated,
          failingSince,
        },
      );
      expect(u).toMatchObject({
        url: "https://other.example.com/x",
        description: "new",
        events: ["video.rejected"],
        failingSince,
        version: 2,
      });
      expect(u.secrets.map((s) => s.secret)).toEqual(rotated.map((s) => s.secret));
      expect(u.secrets[1]!.expiresAt?.getTime()).toBe(rotated[1]!.expiresAt!.getTime());
      await expectDomainError(f.endpoints.update(e.id, { version: 1 }, { description: "late" }), "STALE_UPDATE");
      const d = await f.endpoints.update(e.id, {}, { enabled: false, disabledReason: "GONE", failingSince: null });
      expect(d).toMatchObject({ enabled: false, disabledReason: "GONE", failingSince: null, version: 3 });
      await expectDomainError(f.endpoints.update("missing", {}, { description: "x" }), "NOT_FOUND");
    });

    it("creates a delivery once per id, whatever the number of tries", async () => {
      const e = await f.endpoints.create(newEndpoint("owner-a"));
      const input = {
        id: `msg_${randomUUID()}`,
        endpointId: e.id,
        ownerId: "owner-a",
        type: "job.succeeded" as const,
        body: '{"type":"job.succeeded"}',
        nextAttemptAt: new Date(),
      };
      const made = await f.deliveries.create(input);
      expect(made.created).toBe(true);
      expect(made.delivery).toMatchObject({
        id: input.id,
        status: "PENDING",
        attempts: 0,
        scheduleOffset: 0,
        attemptLog: [],
        body: input.body,
        version: 1,
      });
      const again = await f.deliveries.create({ ...input, body: "other" });
      expect(again.created).toBe(false);
      expect(again.delivery.body).toBe(input.body);
      const other = f.openAnother ? await f.openAnother() : f;
      expect((await other.deliveries.findById(input.id))?.body).toBe(input.body);
    });

    it("records attempts conditionally on version and lists an endpoint's deliveries newest first", async () => {
      const e = await f.endpoints.create(newEndpoint("owner-a"));
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const { delivery } = await f.deliveries.create({
          id: `msg_${randomUUID()}`,
          endpointId: e.id,
          ownerId: "owner-a",
          type: "job.failed",
          body: `{"n":${i}}`,
          nextAttemptAt: new Date(),
        });
        ids.push(delivery.id);
        await new Promise((r) => setTimeout(r, 3));
      }
      const attempt: WebhookAttempt = { at: new Date(), responseStatus: 500, durationMs: 12, error: "HTTP 500" };
      const next = new Date(Date.now() + 5000);
      const u = await f.deliveries.update(
        ids[0]!,
        { version: 1 },
        { attempts: 1, attemptLog: [attempt], nextAttemptAt: next },
      );
      expect(u).toMatchObject({ attempts: 1, status: "PENDING", version: 2 });
      expect(u.attemptLog).toEqual([attempt]);
      expect(u.nextAttemptAt?.getTime()).toBe(next.getTime());
      await expectDomainError(f.deliveries.update(ids[0]!, { version: 1 }, { attempts: 2 }), "STALE_UPDATE");
      await expectDomainError(f.deliveries.update("msg_missing", { version: 1 }, { attempts: 2 }), "NOT_FOUND");
      const done = await f.deliveries.update(
        ids[0]!,
        { version: 2 },
        { status: "SUCCEEDED", nextAttemptAt: null, scheduleOffset: 1 },
      );
      expect(done).toMatchObject({ status: "SUCCEEDED", nextAttemptAt: null, scheduleOffset: 1, attempts: 1 });

      const page = await f.deliveries.listForEndpoint("owner-a", e.id, { first: 2 });
      expect(page.items.map((d) => d.id)).toEqual([ids[2], ids[1]]);
      const rest = await f.deliveries.listForEndpoint("owner-a", e.id, { first: 2, after: page.endCursor });
      expect(rest.items.map((d) => d.id)).toEqual([ids[0]]);
      expect(rest.hasNextPage).toBe(false);
      expect((await f.deliveries.listForEndpoint("owner-b", e.id, { first: 10 })).items).toEqual([]);
    });
  });
}
