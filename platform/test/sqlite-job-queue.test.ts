import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { z } from "zod";
import { jobQueueContract } from "../src/testing/contracts/index.js";
import { openDatabase, SqliteJobQueue, type Database } from "../src/local/index.js";

jobQueueContract("SqliteJobQueue", async (settings) => {
  const dir = await mkdtemp(join(tmpdir(), "vp-queue-"));
  const file = join(dir, "video-processor.db");
  const dbs: Database[] = [openDatabase(file)];
  const open = (db: Database) => new SqliteJobQueue({ db, ...settings });
  const queue = open(dbs[0]!);
  return {
    queue,
    async openAnother() {
      const db = openDatabase(file);
      dbs.push(db);
      return open(db);
    },
    async sendRaw(raw) {
      queue.enqueueRaw(raw);
    },
    async cleanup() {
      for (const db of dbs) db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

it("keeps named queues in one table apart, and survives reopening the file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "vp-queue-"));
  const file = join(dir, "video-processor.db");
  const schema = z.object({ v: z.number() });
  let db = openDatabase(file);
  try {
    const a = new SqliteJobQueue({ db, name: "a", schema, maxAttempts: 2 });
    const b = new SqliteJobQueue({ db, name: "b", schema, maxAttempts: 2 });
    await a.enqueue({ v: 1 });
    await b.enqueue({ v: 2 }, { dedupeKey: "same" });
    await a.enqueue({ v: 3 }, { dedupeKey: "same" });
    expect((await a.depth()).visible).toBe(2);
    expect((await b.depth()).visible).toBe(1);
    db.close();
    db = openDatabase(file);
    const b2 = new SqliteJobQueue({ db, name: "b", schema, maxAttempts: 2 });
    const got = await b2.receive({
      maxMessages: 10,
      visibilityTimeoutSeconds: 5,
    });
    expect(got.map((m) => m.body)).toEqual([{ v: 2 }]);
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
});
