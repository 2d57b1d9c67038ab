import type Database from "better-sqlite3";
import {
  DomainError,
  type NewWebhookDelivery,
  type NewWebhookEndpoint,
  type Page,
  type PageRequest,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookDeliveryPatch,
  type WebhookDeliveryStatus,
  type WebhookDeliveryType,
  type WebhookDisabledReason,
  type WebhookEndpoint,
  type WebhookEndpointPatch,
  type WebhookEventType,
  type WebhookSecret,
} from "@vp/domain";
import type { WebhookDeliveryRepository, WebhookEndpointRepository, WebhookStore } from "../ports/webhook-store.js";
import { afterClause, checkLimit, checkPageSize, toPage } from "../shared/pagination.js";
import { migrate, type Migration } from "../sqlite/migrate.js";
import { alreadyExists, isUniqueViolation } from "./sqlite-errors.js";

/** The webhooks' own tables, versioned apart from the platform's (component "webhooks"). */
const WEBHOOK_MIGRATIONS: readonly Migration[] = [
  (db) =>
    db.exec(`
      CREATE TABLE webhook_endpoints (
        id TEXT PRIMARY KEY,
        owner_id TEXT NOT NULL,
        url TEXT NOT NULL,
        description TEXT NOT NULL,
        events TEXT NOT NULL,
        secrets TEXT NOT NULL,
        enabled INTEGER NOT NULL,
        disabled_reason TEXT,
        failing_since INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL
      );
      CREATE INDEX webhook_endpoints_owner_created ON webhook_endpoints (owner_id, created_at DESC, id DESC);

      CREATE TABLE webhook_deliveries (
        id TEXT PRIMARY KEY,
        endpoint_id TEXT NOT NULL,
        owner_id TEXT NOT NULL,
        type TEXT NOT NULL,
        body TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        schedule_offset INTEGER NOT NULL,
        next_attempt_at INTEGER,
        attempt_log TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL
      );
      CREATE INDEX webhook_deliveries_endpoint_created ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);
    `),
];

interface EndpointRow {
  id: string;
  owner_id: string;
  url: string;
  description: string;
  events: string;
  secrets: string;
  enabled: number;
  disabled_reason: string | null;
  failing_since: number | null;
  created_at: number;
  updated_at: number;
  version: number;
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  owner_id: string;
  type: string;
  body: string;
  status: string;
  attempts: number;
  schedule_offset: number;
  next_attempt_at: number | null;
  attempt_log: string;
  created_at: number;
  updated_at: number;
  version: number;
}

type StoredSecret = { secret: string; createdAt: number; expiresAt: number | null };
type StoredAttempt = { at: number; responseStatus: number | null; durationMs: number; error: string | null };

const toEndpoint = (r: EndpointRow): WebhookEndpoint => ({
  id: r.id,
  ownerId: r.owner_id,
  url: r.url,
  description: r.description,
  events: JSON.parse(r.events) as WebhookEventType[],
  secrets: (JSON.parse(r.secrets) as StoredSecret[]).map((s): WebhookSecret => ({
    secret: s.secret,
    createdAt: new Date(s.createdAt),
    expiresAt: s.expiresAt === null ? null : new Date(s.expiresAt),
  })),
  enabled: r.enabled === 1,
  disabledReason: r.disabled_reason as WebhookDisabledReason | null,
  failingSince: r.failing_since === null ? null : new Date(r.failing_since),
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  version: r.version,
});

const storeSecrets = (secrets: readonly WebhookSecret[]): string =>
  JSON.stringify(
    secrets.map((s): StoredSecret => ({
      secret: s.secret,
      createdAt: s.createdAt.getTime(),
      expiresAt: s.expiresAt?.getTime() ?? null,
    })),
  );

const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  id: r.id,
  endpointId: r.endpoint_id,
  ownerId: r.owner_id,
  type: r.type as WebhookDeliveryType,
  body: r.body,
  status: r.status as WebhookDeliveryStatus,
  attempts: r.attempts,
  scheduleOffset: r.schedule_offset,
  nextAttemptAt: r.next_attempt_at === null ? null : new Date(r.next_attempt_at),
  attemptLog: (JSON.parse(r.attempt_log) as StoredAttempt[]).map((a): WebhookAttempt => ({ ...a, at: new Date(a.at) })),
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  version: r.version,
});

const storeAttempts = (log: readonly WebhookAttempt[]): string =>
  JSON.stringify(log.map((a): StoredAttempt => ({ ...a, at: a.at.getTime() })));

type Value = string | number | null;

/** UPDATE ... SET ..., version + 1 WHERE id AND (version), explained when it touches nothing. */
function versionedUpdate<R>(
  db: Database.Database,
  table: string,
  kind: string,
  id: string,
  version: number | undefined,
  set: ReadonlyArray<readonly [string, Value]>,
): R {
  const assignments = [...set.map(([c]) => `${c} = ?`), "version = version + 1"].join(", ");
  const params: Value[] = [...set.map(([, v]) => v), id];
  let sql = `UPDATE ${table} SET ${assignments} WHERE id = ?`;
  if (version !== undefined) {
    sql += " AND version = ?";
    params.push(version);
  }
  const row = db.prepare(`${sql} RETURNING *`).get(...params) as R | undefined;
  if (row !== undefined) return row;
  const exists = db.prepare(`SELECT version FROM ${table} WHERE id = ?`).get(id) as { version: number } | undefined;
  if (exists === undefined) throw new DomainError("NOT_FOUND", `${kind} ${id} not found`);
  throw new DomainError("STALE_UPDATE", `${kind} ${id} changed since it was read (now version ${exists.version})`);
}

export class SqliteWebhookEndpointRepository implements WebhookEndpointRepository {
  constructor(
    private readonly db: Database.Database,
    private readonly clock: () => number = Date.now,
  ) {}

  async create(e: NewWebhookEndpoint): Promise<WebhookEndpoint> {
    const now = this.clock();
    try {
      const row = this.db
        .prepare(
          `INSERT INTO webhook_endpoints (id, owner_id, url, description, events, secrets, enabled, disabled_reason,
             failing_since, created_at, updated_at, version)
           VALUES (?, ?, ?, ?, ?, ?, 1, NULL, NULL, ?, ?, 1) RETURNING *`,
        )
        .get(
          e.id,
          e.ownerId,
          e.url,
          e.description,
          JSON.stringify(e.events),
          storeSecrets([{ secret: e.secret, createdAt: new Date(now), expiresAt: null }]),
          now,
          now,
        ) as EndpointRow;
      return toEndpoint(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw alreadyExists("webhook endpoint", e.id);
      throw err;
    }
  }

  async findById(id: string): Promise<WebhookEndpoint | null> {
    const row = this.db.prepare("SELECT * FROM webhook_endpoints WHERE id = ?").get(id) as EndpointRow | undefined;
    return row === undefined ? null : toEndpoint(row);
  }

  async findForOwner(ownerId: string, id: string): Promise<WebhookEndpoint | null> {
    const row = this.db.prepare("SELECT * FROM webhook_endpoints WHERE id = ? AND owner_id = ?").get(id, ownerId) as
      EndpointRow | undefined;
    return row === undefined ? null : toEndpoint(row);
  }

  async listForOwner(ownerId: string, query: PageRequest): Promise<Page<WebhookEndpoint>> {
    checkPageSize(query.first);
    const after = afterClause(query.after);
    const rows = this.db
      .prepare(
        `SELECT * FROM webhook_endpoints WHERE owner_id = ?${after.sql} ORDER BY created_at DESC, id DESC LIMIT ?`,
      )
      .all(ownerId, ...after.params, query.first + 1) as EndpointRow[];
    return toPage(rows, query.first, (r) => ({ createdAt: r.created_at, id: r.id }), toEndpoint);
  }

  async allForOwner(ownerId: string, limit: number): Promise<WebhookEndpoint[]> {
    checkLimit(limit);
    const rows = this.db
      .prepare("SELECT * FROM webhook_endpoints WHERE owner_id = ? ORDER BY created_at DESC, id DESC LIMIT ?")
      .all(ownerId, limit) as EndpointRow[];
    return rows.map(toEndpoint);
  }

  async countForOwner(ownerId: string): Promise<number> {
    return (
      this.db.prepare("SELECT COUNT(*) AS n FROM webhook_endpoints WHERE owner_id = ?").get(ownerId) as { n: number }
    ).n;
  }

  async update(id: string, when: { readonly version?: number }, patch: WebhookEndpointPatch): Promise<WebhookEndpoint> {
    const set: Array<readonly [string, Value]> = [];
    if (patch.url !== undefined) set.push(["url", patch.url]);
    if (patch.description !== undefined) set.push(["description", patch.description]);
    if (patch.events !== undefined) set.push(["events", JSON.stringify(patch.events)]);
    if (patch.secrets !== undefined) set.push(["secrets", storeSecrets(patch.secrets)]);
    if (patch.enabled !== undefined) set.push(["enabled", patch.enabled ? 1 : 0]);
    if (patch.disabledReason !== undefined) set.push(["disabled_reason", patch.disabledReason]);
    if (patch.failingSince !== undefined) set.push(["failing_since", patch.failingSince?.getTime() ?? null]);
    set.push(["updated_at", this.clock()]);
    return toEndpoint(
      versionedUpdate<EndpointRow>(this.db, "webhook_endpoints", "webhook endpoint", id, when.version, set),
    );
  }

  async deleteForOwner(ownerId: string, id: string): Promise<boolean> {
    return this.db.prepare("DELETE FROM webhook_endpoints WHERE id = ? AND owner_id = ?").run(id, ownerId).changes > 0;
  }
}

export class SqliteWebhookDeliveryRepository implements WebhookDeliveryRepository {
  constructor(
    private readonly db: Database.Database,
    private readonly clock: () => number = Date.now,
  ) {}

  async create(
    d: NewWebhookDelivery & { readonly nextAttemptAt: Date },
  ): Promise<{ readonly delivery: WebhookDelivery; readonly created: boolean }> {
    const now = this.clock();
    const row = this.db
      .prepare(
        `INSERT INTO webhook_deliveries (id, endpoint_id, owner_id, type, body, status, attempts, schedule_offset,
           next_attempt_at, attempt_log, created_at, updated_at, version)
         VALUES (?, ?, ?, ?, ?, 'PENDING', 0, 0, ?, '[]', ?, ?, 1)
         ON CONFLICT(id) DO NOTHING RETURNING *`,
      )
      .get(d.id, d.endpointId, d.ownerId, d.type, d.body, d.nextAttemptAt.getTime(), now, now) as
      DeliveryRow | undefined;
    if (row !== undefined) return { delivery: toDelivery(row), created: true };
    const existing = await this.findById(d.id);
    if (existing === null) throw new DomainError("INTERNAL", `webhook delivery ${d.id} neither created nor found`);
    return { delivery: existing, created: false };
  }

  async findById(id: string): Promise<WebhookDelivery | null> {
    const row = this.db.prepare("SELECT * FROM webhook_deliveries WHERE id = ?").get(id) as DeliveryRow | undefined;
    return row === undefined ? null : toDelivery(row);
  }

  async listForEndpoint(ownerId: string, endpointId: string, query: PageRequest): Promise<Page<WebhookDelivery>> {
    checkPageSize(query.first);
    const after = afterClause(query.after);
    const rows = this.db
      .prepare(
        `SELECT * FROM webhook_deliveries WHERE endpoint_id = ? AND owner_id = ?${after.sql}
         ORDER BY created_at DESC, id DESC LIMIT ?`,
      )
      .all(endpointId, ownerId, ...after.params, query.first + 1) as DeliveryRow[];
    return toPage(rows, query.first, (r) => ({ createdAt: r.created_at, id: r.id }), toDelivery);
  }

  async update(id: string, when: { readonly version: number }, patch: WebhookDeliveryPatch): Promise<WebhookDelivery> {
    const set: Array<readonly [string, Value]> = [];
    if (patch.status !== undefined) set.push(["status", patch.status]);
    if (patch.attempts !== undefined) set.push(["attempts", patch.attempts]);
    if (patch.scheduleOffset !== undefined) set.push(["schedule_offset", patch.scheduleOffset]);
    if (patch.nextAttemptAt !== undefined) set.push(["next_attempt_at", patch.nextAttemptAt?.getTime() ?? null]);
    if (patch.attemptLog !== undefined) set.push(["attempt_log", storeAttempts(patch.attemptLog)]);
    set.push(["updated_at", this.clock()]);
    return toDelivery(
      versionedUpdate<DeliveryRow>(this.db, "webhook_deliveries", "webhook delivery", id, when.version, set),
    );
  }
}

/** Both webhook repositories on one SQLite database (migrated here, so any process may open it first). */
export function createSqliteWebhookStore(
  db: Database.Database,
  options: { readonly clock?: () => number } = {},
): WebhookStore {
  migrate(db, "webhooks", WEBHOOK_MIGRATIONS);
  return {
    endpoints: new SqliteWebhookEndpointRepository(db, options.clock),
    deliveries: new SqliteWebhookDeliveryRepository(db, options.clock),
  };
}
