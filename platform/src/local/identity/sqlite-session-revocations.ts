import type { Database, Statement } from "better-sqlite3";
import type { SessionRevocations } from "../../ports/session-revocations.js";

export interface SqliteSessionRevocationsOptions {
  readonly db: Database;
  /** Milliseconds since the epoch. @default Date.now */
  readonly clock?: () => number;
}

const MAX_ID_LENGTH = 256;

/**
 * Signed-out sessions in the shared SQLite file: every process on the machine (API, worker)
 * sees a revocation as soon as it commits. Rows are dropped once `until` has passed.
 */
export class SqliteSessionRevocations implements SessionRevocations {
  private readonly clock: () => number;
  private readonly sql: {
    upsert: Statement<[string, number, number]>;
    get: Statement<[string], { revoked_until: number }>;
    purge: Statement<[number]>;
  };

  constructor(options: SqliteSessionRevocationsOptions) {
    this.clock = options.clock ?? Date.now;
    const { db } = options;
    db.exec(`
      CREATE TABLE IF NOT EXISTS identity_session_revocations (
        session_id TEXT PRIMARY KEY,
        revoked_until INTEGER NOT NULL,
        revoked_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS identity_session_revocations_until ON identity_session_revocations (revoked_until);
    `);
    this.sql = {
      upsert: db.prepare(
        `INSERT INTO identity_session_revocations (session_id, revoked_until, revoked_at) VALUES (?, ?, ?)
         ON CONFLICT(session_id) DO UPDATE SET revoked_until = max(revoked_until, excluded.revoked_until)`,
      ),
      get: db.prepare("SELECT revoked_until FROM identity_session_revocations WHERE session_id = ?"),
      purge: db.prepare("DELETE FROM identity_session_revocations WHERE revoked_until < ?"),
    };
  }

  async revoke(sessionId: string, until: Date): Promise<void> {
    assertSessionId(sessionId);
    const now = this.clock();
    this.sql.purge.run(now);
    this.sql.upsert.run(sessionId, until.getTime(), now);
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    if (sessionId.length === 0 || sessionId.length > MAX_ID_LENGTH) return false;
    const row = this.sql.get.get(sessionId);
    return row !== undefined && row.revoked_until > this.clock();
  }
}

export function assertSessionId(sessionId: string): void {
  if (typeof sessionId !== "string" || sessionId.length === 0 || sessionId.length > MAX_ID_LENGTH)
    throw new RangeError(`session id must be 1..${MAX_ID_LENGTH} characters`);
}
