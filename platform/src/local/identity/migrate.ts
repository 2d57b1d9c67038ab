import type { Database } from "better-sqlite3";

/**
 * Tables of the local accounts adapter. Idempotent: every process that opens the shared
 * database file may call it. Times are milliseconds since the epoch.
 */
export function migrate(db: Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS identity_users (
      id TEXT PRIMARY KEY,
      email TEXT NOT NULL UNIQUE,
      password_hash TEXT NOT NULL,
      confirmed INTEGER NOT NULL CHECK (confirmed IN (0, 1)),
      confirmation_code_hash TEXT,
      confirmation_expires_at INTEGER,
      confirmation_attempts INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS identity_refresh_tokens (
      token_hash TEXT PRIMARY KEY,
      family_id TEXT NOT NULL,
      user_id TEXT NOT NULL REFERENCES identity_users(id) ON DELETE CASCADE,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      rotated_at INTEGER,
      revoked_at INTEGER
    );
    CREATE INDEX IF NOT EXISTS identity_refresh_tokens_family ON identity_refresh_tokens (family_id);
    CREATE INDEX IF NOT EXISTS identity_refresh_tokens_expiry ON identity_refresh_tokens (expires_at);
  `);
}
