import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { webhookStoreContract } from "../src/testing/contracts/index.js";
import { openDatabase } from "../src/local/index.js";
import { createSqliteWebhookStore } from "../src/local/sqlite-webhook-store.js";

webhookStoreContract("SQLite", async () => {
  const dir = await mkdtemp(join(tmpdir(), "vp-webhooks-"));
  const file = join(dir, "video-processor.db");
  const dbs = [openDatabase(file)];
  return {
    ...createSqliteWebhookStore(dbs[0]!),
    async openAnother() {
      const db = openDatabase(file);
      dbs.push(db);
      return createSqliteWebhookStore(db);
    },
    async cleanup() {
      for (const db of dbs) db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
