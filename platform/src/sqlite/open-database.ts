import { chmodSync, closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { migrate } from "./migrate.js";
import { PLATFORM_MIGRATIONS } from "./migrations.js";

export type { Database } from "better-sqlite3";

/**
 * Opens (creating when absent) the shared database file and brings its schema up to date.
 * Several processes (API and worker) open the same file: WAL lets readers run beside one writer,
 * and busy_timeout makes a writer wait for the lock instead of failing with SQLITE_BUSY.
 * The file holds password and token hashes: it is made 0600 before SQLite opens it, and SQLite gives
 * its -wal and -shm files the database file's mode; files left looser by an older version are tightened.
 */
export function openDatabase(path: string): Database.Database {
  if (path !== ":memory:") {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Creates the file 0600 when absent (the umask can only remove bits), leaves its content alone.
    closeSync(openSync(path, "a", 0o600));
    chmodPrivate(path);
  }
  const db = new Database(path, { timeout: 5000 });
  try {
    db.pragma("busy_timeout = 5000");
    db.pragma("journal_mode = WAL");
    if (path !== ":memory:") for (const suffix of ["-wal", "-shm"]) chmodPrivate(path + suffix);
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    migrate(db, "platform", PLATFORM_MIGRATIONS);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

function chmodPrivate(path: string): void {
  try {
    chmodSync(path, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
}
