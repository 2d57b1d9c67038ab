import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { cachedSessionRevocations, SESSION_REVOCATION_CACHE_SECONDS } from "../src/auth/index.js";
import { createTable } from "../src/aws/dynamo-table.js";
import { DynamoSessionRevocations, revokedSessionKey } from "../src/aws/dynamo-session-revocations.js";
import { SqliteSessionRevocations } from "../src/local/identity/index.js";
import type { SessionRevocations } from "../src/ports/session-revocations.js";
import { sessionRevocationsContract } from "../src/testing/contracts/index.js";
import { randomName, startDynalite, testClients } from "../src/testing/aws/servers.js";

sessionRevocationsContract("SQLite", async () => {
  const dir = await mkdtemp(join(tmpdir(), "vp-revocations-"));
  const path = join(dir, "vp.sqlite");
  const dbs = [new Database(path)];
  dbs[0]!.pragma("journal_mode = WAL");
  return {
    make: (clock) => new SqliteSessionRevocations({ db: dbs[0]!, clock }),
    makeAnother: (clock) => {
      const db = new Database(path);
      dbs.push(db);
      return new SqliteSessionRevocations({ db, clock });
    },
    async close() {
      for (const db of dbs) db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

sessionRevocationsContract("DynamoDB (dynalite), on the records table", async () => {
  const server = await startDynalite();
  const clients = testClients({ dynamodb: server.endpoint });
  const other = testClients({ dynamodb: server.endpoint });
  const tableName = randomName("vp-test");
  await createTable(clients.dynamodb(), tableName);
  return {
    make: (clock) => new DynamoSessionRevocations({ doc: clients.documents, tableName, clock }),
    makeAnother: (clock) => new DynamoSessionRevocations({ doc: other.documents, tableName, clock }),
    async close() {
      clients.destroy();
      other.destroy();
      await server.close();
    },
  };
});

it("stores a DynamoDB revocation as one SESSION# item with an epoch-seconds TTL", async () => {
  const server = await startDynalite();
  const clients = testClients({ dynamodb: server.endpoint });
  try {
    const tableName = randomName("vp-test");
    await createTable(clients.dynamodb(), tableName);
    const store = new DynamoSessionRevocations({ doc: clients.documents, tableName });
    const until = new Date(Date.now() + 3_600_000);
    await store.revoke("sid-1", until);
    const { GetCommand } = await import("@aws-sdk/lib-dynamodb");
    const res = await clients
      .documents()
      .send(new GetCommand({ TableName: tableName, Key: revokedSessionKey("sid-1") }));
    expect(res.Item).toMatchObject({
      pk: "SESSION#sid-1",
      sk: "REVOKED",
      expiresAt: Math.ceil(until.getTime() / 1000),
    });
  } finally {
    clients.destroy();
    await server.close();
  }
});

describe("cached revocations", () => {
  /** A store that counts reads, over a plain map. */
  const countingStore = () => {
    const revoked = new Map<string, number>();
    let reads = 0;
    const store: SessionRevocations & { reads(): number } = {
      async revoke(id, until) {
        revoked.set(id, Math.max(revoked.get(id) ?? 0, until.getTime()));
      },
      async isRevoked(id) {
        reads++;
        return (revoked.get(id) ?? 0) > Date.now();
      },
      reads: () => reads,
    };
    return store;
  };

  it(`sees another process's sign-out within ${SESSION_REVOCATION_CACHE_SECONDS} s, its own at once`, async () => {
    let now = 1_000_000;
    const shared = countingStore();
    const api = cachedSessionRevocations(shared, { clock: () => now });
    const accounts = cachedSessionRevocations(shared, { clock: () => now });
    expect(await api.isRevoked("s1")).toBe(false);
    await accounts.revoke("s1", new Date(Date.now() + 3_600_000));
    expect(await accounts.isRevoked("s1")).toBe(true); // the process that signed out: at once
    expect(await api.isRevoked("s1")).toBe(false); // another process: still its cached answer...
    now += SESSION_REVOCATION_CACHE_SECONDS * 1000;
    expect(await api.isRevoked("s1")).toBe(true); // ...for at most the cache period
  });

  it("reads the store once per session per period, and once for concurrent checks", async () => {
    let now = 0;
    const shared = countingStore();
    const cached = cachedSessionRevocations(shared, { clock: () => now, ttlSeconds: 10 });
    await Promise.all(Array.from({ length: 20 }, () => cached.isRevoked("s")));
    expect(shared.reads()).toBe(1);
    now += 9_999;
    await cached.isRevoked("s");
    expect(shared.reads()).toBe(1);
    now += 1;
    await cached.isRevoked("s");
    expect(shared.reads()).toBe(2);
  });

  it("stays bounded in memory", async () => {
    const shared = countingStore();
    const cached = cachedSessionRevocations(shared, { maxEntries: 3 });
    for (const id of ["a", "b", "c", "d"]) await cached.isRevoked(id);
    await cached.isRevoked("d");
    await cached.isRevoked("a"); // evicted: read again
    expect(shared.reads()).toBe(5);
  });

  it("does not cache a failed read", async () => {
    let fail = true;
    const cached = cachedSessionRevocations({
      revoke: async () => undefined,
      isRevoked: async () => {
        if (fail) throw new Error("table unreachable");
        return false;
      },
    });
    await expect(cached.isRevoked("s")).rejects.toThrow("unreachable");
    fail = false;
    expect(await cached.isRevoked("s")).toBe(false);
  });
});
