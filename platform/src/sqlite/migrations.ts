import type { Migration } from "./migrate.js";

/** Tables of the platform adapters (records, queue, events). Times are Unix milliseconds. */
export const PLATFORM_MIGRATIONS: readonly Migration[] = [
  (db) =>
    db.exec(`
      CREATE TABLE videos (
        id TEXT PRIMARY KEY,
        owner_id TEXT NOT NULL,
        filename TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        status TEXT NOT NULL,
        blob_key TEXT NOT NULL,
        extraction TEXT NOT NULL,
        metadata TEXT,
        rejection_reason TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL
      );
      CREATE INDEX videos_owner_created ON videos (owner_id, created_at DESC, id DESC);
      CREATE INDEX videos_owner_status_created ON videos (owner_id, status, created_at DESC, id DESC);

      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        owner_id TEXT NOT NULL,
        video_id TEXT NOT NULL,
        status TEXT NOT NULL,
        progress REAL NOT NULL,
        frames_extracted INTEGER NOT NULL,
        options TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        error TEXT,
        result TEXT,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL
      );
      CREATE INDEX jobs_owner_created ON jobs (owner_id, created_at DESC, id DESC);
      CREATE INDEX jobs_video_created ON jobs (video_id, created_at DESC, id DESC);

      CREATE TABLE queue_messages (
        id TEXT PRIMARY KEY,
        queue TEXT NOT NULL,
        body TEXT NOT NULL,
        dedupe_key TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        enqueued_at INTEGER NOT NULL,
        visible_at INTEGER NOT NULL,
        receipt TEXT,
        last_error TEXT
      );
      CREATE INDEX queue_messages_ready ON queue_messages (queue, visible_at);
      CREATE UNIQUE INDEX queue_messages_receipt ON queue_messages (receipt) WHERE receipt IS NOT NULL;
      CREATE UNIQUE INDEX queue_messages_dedupe ON queue_messages (queue, dedupe_key) WHERE dedupe_key IS NOT NULL;

      CREATE TABLE queue_dead_letters (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL,
        queue TEXT NOT NULL,
        body TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        reason TEXT NOT NULL,
        dead_at INTEGER NOT NULL
      );
      CREATE INDEX queue_dead_letters_queue ON queue_dead_letters (queue, seq);

      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        channel TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX events_created ON events (created_at);
    `),
  // The queued-job reconciler: QUEUED jobs of every owner, oldest write first.
  (db) => db.exec("CREATE INDEX jobs_status_updated ON jobs (status, updated_at, id)"),
];
