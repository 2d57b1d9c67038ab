import type Database from "better-sqlite3";
import { DomainError } from "@vp/domain";
import type { EventBus, Unsubscribe } from "../ports/event-bus.js";

export interface SqliteEventBusOptions {
  readonly db: Database.Database;
  /** @default 50 */
  readonly pollIntervalMs?: number;
  /** Rows older than this are pruned now and then. @default 600 (10 minutes) */
  readonly retentionSeconds?: number;
  /** Unix milliseconds. @default Date.now */
  readonly clock?: () => number;
}

interface Listener {
  readonly channel: string;
  readonly fn: (payload: unknown) => void;
  /** Only rows after this seq are news to this listener. */
  readonly afterSeq: number;
}

interface EventRow {
  seq: number;
  channel: string;
  payload: string;
}

const PRUNE_EVERY_MS = 60_000;
const BATCH = 500;

/**
 * Cross-process fan-out over an `events` table. A publish is delivered at once to this
 * process's listeners and picked up by every other bus instance's poller. Per-listener seq
 * watermarks plus the set of seqs already delivered in-process make each row reach each
 * listener at most once.
 */
export class SqliteEventBus implements EventBus {
  private readonly db: Database.Database;
  private readonly pollIntervalMs: number;
  private readonly retentionMs: number;
  private readonly clock: () => number;
  private readonly listeners = new Set<Listener>();
  /** Seqs published (and already delivered) by this instance that the poller has not passed yet. */
  private readonly deliveredLocally = new Set<number>();
  private lastSeen = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastPrune = 0;
  private closed = false;

  constructor(options: SqliteEventBusOptions) {
    this.db = options.db;
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    this.retentionMs = (options.retentionSeconds ?? 600) * 1000;
    this.clock = options.clock ?? Date.now;
  }

  async publish(channel: string, payload: unknown): Promise<void> {
    if (this.closed) throw new DomainError("INTERNAL", "event bus is closed");
    const text = JSON.stringify(payload);
    if (text === undefined) throw new DomainError("VALIDATION", "event payload must be JSON-serialisable");
    const now = this.clock();
    const { seq } = this.db
      .prepare("INSERT INTO events (channel, payload, created_at) VALUES (?, ?, ?) RETURNING seq")
      .get(channel, text, now) as { seq: number };
    if (this.timer !== null) {
      // Deliver without waiting for the poll; the poller will skip this seq.
      this.deliveredLocally.add(seq);
      this.dispatch({ seq, channel, payload: text });
    }
    if (now - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = now;
      this.db.prepare("DELETE FROM events WHERE created_at < ?").run(now - this.retentionMs);
    }
  }

  async subscribe(channel: string, listener: (payload: unknown) => void): Promise<Unsubscribe> {
    if (this.closed) throw new DomainError("INTERNAL", "event bus is closed");
    const afterSeq = this.maxSeq();
    const entry: Listener = { channel, fn: listener, afterSeq };
    if (this.timer === null) this.start(afterSeq);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
      if (this.listeners.size === 0) this.stop();
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.stop();
  }

  private maxSeq(): number {
    return (this.db.prepare("SELECT COALESCE(MAX(seq), 0) AS seq FROM events").get() as { seq: number }).seq;
  }

  private start(fromSeq: number): void {
    this.lastSeen = fromSeq;
    this.deliveredLocally.clear();
    this.timer = setInterval(() => this.poll(), this.pollIntervalMs);
    this.timer.unref();
  }

  private stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.deliveredLocally.clear();
  }

  private poll(): void {
    if (this.timer === null) return;
    let rows: EventRow[];
    try {
      rows = this.db
        .prepare("SELECT seq, channel, payload FROM events WHERE seq > ? ORDER BY seq LIMIT ?")
        .all(this.lastSeen, BATCH) as EventRow[];
    } catch {
      // The database is busy or being closed under us; the next tick tries again.
      return;
    }
    for (const row of rows) {
      this.lastSeen = row.seq;
      if (this.deliveredLocally.delete(row.seq)) continue;
      this.dispatch(row);
      if (this.timer === null) return;
    }
  }

  private dispatch(row: EventRow): void {
    let payload: unknown;
    for (const l of [...this.listeners]) {
      if (l.channel !== row.channel || row.seq <= l.afterSeq || !this.listeners.has(l)) continue;
      payload ??= JSON.parse(row.payload);
      try {
        l.fn(payload);
      } catch {
        // A failing listener must not stop delivery to the others; listeners report their own errors.
      }
    }
  }
}
