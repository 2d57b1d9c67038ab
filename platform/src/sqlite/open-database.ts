import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { migrate } from "./migrate.js";
import { PLATFORM_MIGRATIONS } from "./migrations.js";

export type { Database } from "better-sqlite3";

/**
 * Opens (creating when absent) the shared database file and brings its schema up to date.
 * Several processes (API and worker) open the same file: WAL lets readers run beside one writer,
 * and busy_timeout makes a writer wait for the lock instead of failing with SQLITE_BUSY.
 */
export function openDatabase(path: string): Database.Database {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: 5000 });
  try {
    db.pragma("busy_timeout = 5000");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    migrate(db, "platform", PLATFORM_MIGRATIONS);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
