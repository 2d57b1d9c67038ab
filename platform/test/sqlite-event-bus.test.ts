import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { eventBusContract, until } from "../src/testing/contracts/index.js";
import { openDatabase, SqliteEventBus, type Database } from "../src/local/index.js";

/** Each bus gets its own connection to the shared file, as the API and worker processes do. */
eventBusContract("SqliteEventBus (one connection per instance)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "vp-events-"));
  const file = join(dir, "video-processor.db");
  const dbs: Database[] = [];
  return {
    async open() {
      const db = openDatabase(file);
      dbs.push(db);
      return new SqliteEventBus({ db });
    },
    async cleanup() {
      for (const db of dbs) db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

it("prunes rows older than the retention", async () => {
  const dir = await mkdtemp(join(tmpdir(), "vp-events-"));
  const db = openDatabase(join(dir, "video-processor.db"));
  let now = 1_000_000_000_000;
  const bus = new SqliteEventBus({
    db,
    clock: () => now,
    retentionSeconds: 600,
  });
  try {
    const got: unknown[] = [];
    await bus.subscribe("c", (p) => got.push(p));
    await bus.publish("c", 1);
    now += 11 * 60_000;
    await bus.publish("c", 2);
    const rows = db.prepare("SELECT payload FROM events ORDER BY seq").all() as Array<{ payload: string }>;
    expect(rows.map((r) => r.payload)).toEqual(["2"]);
    await until(() => got.length === 2, "both events");
    expect(got).toEqual([1, 2]);
  } finally {
    await bus.close();
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
});
