import { EventEmitter } from "node:events";
import { randomBytes, randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import type { z } from "zod";
import { DomainError } from "@vp/domain";
import type { DeadLetter, JobQueue, QueueDepth, QueueMessage } from "../ports/job-queue.js";

export interface SqliteJobQueueOptions<T> {
  readonly db: Database.Database;
  /** Several named queues share one table. */
  readonly name: string;
  /** Bodies are validated on receive: a body that fails goes to the dead letters, never to a consumer. */
  readonly schema: z.ZodType<T>;
  /** Deliveries allowed per message before it is dead-lettered. */
  readonly maxAttempts: number;
  /** Default retry delay: baseSeconds * 2^(attempts-1), capped at maxSeconds. @default { baseSeconds: 2, maxSeconds: 300 } */
  readonly backoff?: {
    readonly baseSeconds: number;
    readonly maxSeconds: number;
  };
  /** Unix milliseconds. @default Date.now */
  readonly clock?: () => number;
  /** How often a long poll looks at the table (other processes do not wake us). @default 75 */
  readonly pollIntervalMs?: number;
}

interface MessageRow {
  id: string;
  body: string;
  attempts: number;
  enqueued_at: number;
  receipt: string | null;
}

/**
 * Wakes long polls of this process as soon as a message is enqueued on the same database;
 * other processes are seen by polling. Keyed by connection so nothing is global across databases.
 */
const wakers = new WeakMap<Database.Database, EventEmitter>();
function wakerFor(db: Database.Database): EventEmitter {
  let w = wakers.get(db);
  if (w === undefined) {
    w = new EventEmitter();
    w.setMaxListeners(0);
    wakers.set(db, w);
  }
  return w;
}

const MAX_REASON = 500;

export class SqliteJobQueue<T> implements JobQueue<T> {
  private readonly db: Database.Database;
  private readonly name: string;
  private readonly schema: z.ZodType<T>;
  private readonly maxAttempts: number;
  private readonly backoff: {
    readonly baseSeconds: number;
    readonly maxSeconds: number;
  };
  private readonly clock: () => number;
  private readonly pollIntervalMs: number;
  private readonly waker: EventEmitter;

  constructor(options: SqliteJobQueueOptions<T>) {
    if (!Number.isInteger(options.maxAttempts) || options.maxAttempts < 1)
      throw new RangeError("maxAttempts must be a whole number >= 1");
    this.db = options.db;
    this.name = options.name;
    this.schema = options.schema;
    this.maxAttempts = options.maxAttempts;
    this.backoff = options.backoff ?? { baseSeconds: 2, maxSeconds: 300 };
    this.clock = options.clock ?? Date.now;
    this.pollIntervalMs = options.pollIntervalMs ?? 75;
    this.waker = wakerFor(options.db);
  }

  async enqueue(
    body: T,
    options: {
      readonly delaySeconds?: number;
      readonly dedupeKey?: string;
    } = {},
  ): Promise<{ readonly id: string; readonly deduplicated: boolean }> {
    const raw = JSON.stringify(body);
    if (raw === undefined) throw new DomainError("VALIDATION", "queue message body must be JSON-serialisable");
    return this.enqueueRaw(raw, options);
  }

  /**
   * Stores `raw` as a message body without serialising or checking it. Exists so tests (and
   * repair tools) can put bodies on the queue that a producer of this code could not.
   */
  enqueueRaw(
    raw: string,
    options: {
      readonly delaySeconds?: number;
      readonly dedupeKey?: string;
    } = {},
  ): { readonly id: string; readonly deduplicated: boolean } {
    const delay = options.delaySeconds ?? 0;
    if (!(delay >= 0)) throw new DomainError("VALIDATION", "delaySeconds must be zero or more", ["delaySeconds"]);
    const now = this.clock();
    const insert = this.db.transaction(() => {
      if (options.dedupeKey !== undefined) {
        const existing = this.db
          .prepare("SELECT id FROM queue_messages WHERE queue = ? AND dedupe_key = ?")
          .get(this.name, options.dedupeKey) as { id: string } | undefined;
        if (existing !== undefined) return { id: existing.id, deduplicated: true };
      }
      const id = randomUUID();
      this.db
        .prepare(
          `INSERT INTO queue_messages (id, queue, body, dedupe_key, attempts, enqueued_at, visible_at, receipt)
           VALUES (?, ?, ?, ?, 0, ?, ?, NULL)`,
        )
        .run(id, this.name, raw, options.dedupeKey ?? null, now, now + Math.round(delay * 1000));
      return { id, deduplicated: false };
    });
    const result = insert.immediate();
    if (!result.deduplicated) this.waker.emit(this.name);
    return result;
  }

  async receive(options: {
    readonly maxMessages: number;
    readonly visibilityTimeoutSeconds: number;
    readonly waitSeconds?: number;
    readonly signal?: AbortSignal;
  }): Promise<Array<QueueMessage<T>>> {
    if (!Number.isInteger(options.maxMessages) || options.maxMessages < 1)
      throw new DomainError("VALIDATION", "maxMessages must be a whole number >= 1", ["maxMessages"]);
    if (!(options.visibilityTimeoutSeconds > 0))
      throw new DomainError("VALIDATION", "visibilityTimeoutSeconds must be greater than zero", [
        "visibilityTimeoutSeconds",
      ]);
    const deadline = performance.now() + (options.waitSeconds ?? 0) * 1000;
    for (;;) {
      if (options.signal?.aborted) return [];
      const got = this.claim(options.maxMessages, options.visibilityTimeoutSeconds);
      if (got.length > 0) return got;
      const left = deadline - performance.now();
      if (left <= 0) return [];
      await this.sleepUntilWoken(Math.min(left, this.pollIntervalMs), options.signal);
    }
  }

  /** Resolves after `ms`, on an in-process enqueue to this queue, or on abort: whichever is first. */
  private sleepUntilWoken(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waker.off(this.name, done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waker.on(this.name, done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  /** One transaction: pick visible messages, dead-letter the exhausted and malformed, claim the rest. */
  private claim(max: number, visibilitySeconds: number): Array<QueueMessage<T>> {
    const run = this.db.transaction(() => {
      const now = this.clock();
      const claimed: Array<QueueMessage<T>> = [];
      const pick = this.db.prepare(
        "SELECT id, body, attempts, enqueued_at, receipt FROM queue_messages WHERE queue = ? AND visible_at <= ? ORDER BY visible_at, enqueued_at, id LIMIT ?",
      );
      const update = this.db.prepare(
        "UPDATE queue_messages SET receipt = ?, visible_at = ?, attempts = attempts + 1 WHERE id = ? RETURNING attempts",
      );
      while (claimed.length < max) {
        const rows = pick.all(this.name, now, max - claimed.length) as MessageRow[];
        if (rows.length === 0) break;
        for (const row of rows) {
          if (row.attempts >= this.maxAttempts) {
            this.moveToDeadLetters(row, row.attempts, "max attempts exceeded", now);
            continue;
          }
          const parsed = this.parse(row.body);
          if (!parsed.ok) {
            this.moveToDeadLetters(row, row.attempts + 1, `malformed: ${parsed.reason}`, now);
            continue;
          }
          const receipt = randomBytes(18).toString("base64url");
          const updated = update.get(receipt, now + Math.round(visibilitySeconds * 1000), row.id) as {
            attempts: number;
          };
          claimed.push({
            id: row.id,
            receipt,
            body: parsed.value,
            attempts: updated.attempts,
            enqueuedAt: new Date(row.enqueued_at),
          });
        }
      }
      return claimed;
    });
    return run.immediate();
  }

  private parse(raw: string): { ok: true; value: T } | { ok: false; reason: string } {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      return { ok: false, reason: `not JSON (${(e as Error).message})` };
    }
    const parsed = this.schema.safeParse(json);
    if (parsed.success) return { ok: true, value: parsed.data };
    const reason = parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");
    return { ok: false, reason };
  }

  private moveToDeadLetters(row: Pick<MessageRow, "id" | "body">, attempts: number, reason: string, now: number): void {
    this.db
      .prepare("INSERT INTO queue_dead_letters (id, queue, body, attempts, reason, dead_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(row.id, this.name, row.body, attempts, reason.slice(0, MAX_REASON), now);
    this.db.prepare("DELETE FROM queue_messages WHERE id = ?").run(row.id);
  }

  async extend(receipt: string, visibilityTimeoutSeconds: number): Promise<void> {
    if (!(visibilityTimeoutSeconds >= 0))
      throw new DomainError("VALIDATION", "visibilityTimeoutSeconds must be zero or more", [
        "visibilityTimeoutSeconds",
      ]);
    const now = this.clock();
    const changed = this.db
      .prepare("UPDATE queue_messages SET visible_at = ? WHERE queue = ? AND receipt = ? AND visible_at > ?")
      .run(now + Math.round(visibilityTimeoutSeconds * 1000), this.name, receipt, now).changes;
    if (changed === 0) throw staleReceipt();
  }

  async ack(receipt: string): Promise<void> {
    const now = this.clock();
    const changed = this.db
      .prepare("DELETE FROM queue_messages WHERE queue = ? AND receipt = ? AND visible_at > ?")
      .run(this.name, receipt, now).changes;
    if (changed === 0) throw staleReceipt();
  }

  async retry(
    receipt: string,
    options: { readonly delaySeconds?: number; readonly reason?: string } = {},
  ): Promise<"RETRYING" | "DEAD_LETTERED"> {
    const run = this.db.transaction((): "RETRYING" | "DEAD_LETTERED" => {
      const now = this.clock();
      const row = this.db
        .prepare(
          "SELECT id, body, attempts, enqueued_at, receipt FROM queue_messages WHERE queue = ? AND receipt = ? AND visible_at > ?",
        )
        .get(this.name, receipt, now) as MessageRow | undefined;
      if (row === undefined) throw staleReceipt();
      if (row.attempts >= this.maxAttempts) {
        this.moveToDeadLetters(row, row.attempts, options.reason ?? "max attempts exceeded", now);
        return "DEAD_LETTERED";
      }
      const delay = options.delaySeconds ?? this.backoffSeconds(row.attempts);
      this.db
        .prepare("UPDATE queue_messages SET receipt = NULL, visible_at = ?, last_error = ? WHERE id = ?")
        .run(now + Math.round(Math.max(0, delay) * 1000), options.reason?.slice(0, MAX_REASON) ?? null, row.id);
      return "RETRYING";
    });
    return run.immediate();
  }

  private backoffSeconds(attempts: number): number {
    return Math.min(this.backoff.baseSeconds * 2 ** Math.max(0, attempts - 1), this.backoff.maxSeconds);
  }

  async depth(): Promise<QueueDepth> {
    const now = this.clock();
    const row = this.db
      .prepare(
        `SELECT
           COALESCE(SUM(CASE WHEN visible_at <= ? THEN 1 ELSE 0 END), 0) AS visible,
           COALESCE(SUM(CASE WHEN visible_at > ? AND receipt IS NOT NULL THEN 1 ELSE 0 END), 0) AS inFlight,
           COALESCE(SUM(CASE WHEN visible_at > ? AND receipt IS NULL THEN 1 ELSE 0 END), 0) AS delayed,
           (SELECT COUNT(*) FROM queue_dead_letters WHERE queue = ?) AS deadLettered
         FROM queue_messages WHERE queue = ?`,
      )
      .get(now, now, now, this.name, this.name) as QueueDepth;
    return {
      visible: row.visible,
      inFlight: row.inFlight,
      delayed: row.delayed,
      deadLettered: row.deadLettered,
    };
  }

  /** Oldest first. */
  async deadLetters(limit = 100): Promise<Array<DeadLetter<T>>> {
    const rows = this.db
      .prepare("SELECT id, body, attempts, reason FROM queue_dead_letters WHERE queue = ? ORDER BY seq LIMIT ?")
      .all(this.name, limit) as Array<{
      id: string;
      body: string;
      attempts: number;
      reason: string;
    }>;
    return rows.map((r) => {
      const parsed = this.parse(r.body);
      return {
        id: r.id,
        body: parsed.ok ? parsed.value : null,
        raw: r.body,
        attempts: r.attempts,
        reason: r.reason,
      };
    });
  }
}

const staleReceipt = () =>
  new DomainError(
    "STALE_UPDATE",
    "the receipt is no longer current (visibility timeout passed, or the message was acked)",
  );
