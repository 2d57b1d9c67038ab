import { Redis, type RedisOptions } from "ioredis";
import type { EventBus, Unsubscribe } from "../ports/event-bus.js";

export interface RedisEventBusOptions {
  /** `redis://` or `rediss://` (ElastiCache / Valkey with TLS). */
  readonly url: string;
  readonly logger?: { warn(obj: object, msg: string): void };
  /** Extra ioredis options (timeouts, TLS settings). */
  readonly redis?: RedisOptions;
}

type Listener = (payload: unknown) => void;

/**
 * EventBus over Redis pub/sub: what one API pod or worker publishes reaches the subscribers on
 * every pod. One connection publishes; one connection (per bus) is in subscriber mode, with our
 * own listeners multiplexed on it. Redis delivers a connection's publishes in order.
 */
export class RedisEventBus implements EventBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly listeners = new Map<string, Set<Listener>>();
  private closed = false;

  constructor(private readonly options: RedisEventBusOptions) {
    const common: RedisOptions = { lazyConnect: true, maxRetriesPerRequest: 3, ...options.redis };
    this.pub = new Redis(options.url, common);
    this.sub = new Redis(options.url, common);
    this.sub.on("message", (channel: string, message: string) => this.deliver(channel, message));
    // Errors are retried by ioredis; without a handler it would print them as unhandled.
    for (const c of [this.pub, this.sub])
      c.on("error", (err: Error) => options.logger?.warn({ err }, "redis connection error"));
  }

  /** Connects both connections now (otherwise on first use); rejects when Redis cannot be reached. */
  async connect(): Promise<void> {
    await Promise.all([this.pub.connect(), this.sub.connect()]);
  }

  async publish(channel: string, payload: unknown): Promise<void> {
    this.assertOpen();
    await this.pub.publish(channel, JSON.stringify(payload));
  }

  async subscribe(channel: string, listener: Listener): Promise<Unsubscribe> {
    this.assertOpen();
    // A fresh wrapper per call: subscribing the same function twice gives two deliveries and two unsubscribes.
    const own: Listener = (p) => listener(p);
    let set = this.listeners.get(channel);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(own);
    // SUBSCRIBE is acknowledged before anything published later is delivered on this connection.
    // Redis runs a connection's commands in order, so an earlier UNSUBSCRIBE cannot undo this one.
    await this.sub.subscribe(channel);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const current = this.listeners.get(channel);
      current?.delete(own);
      if (current !== undefined && current.size === 0 && !this.closed) {
        this.listeners.delete(channel);
        this.sub.unsubscribe(channel).catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await Promise.all([quit(this.pub), quit(this.sub)]);
  }

  private deliver(channel: string, message: string): void {
    const set = this.listeners.get(channel);
    if (set === undefined || set.size === 0) return;
    let payload: unknown;
    try {
      payload = JSON.parse(message);
    } catch {
      this.options.logger?.warn({ channel }, "dropped a non-JSON event");
      return;
    }
    for (const listener of [...set]) {
      try {
        listener(payload);
      } catch (err) {
        this.options.logger?.warn({ channel, err }, "event listener threw");
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("the event bus is closed");
  }
}

async function quit(c: Redis): Promise<void> {
  if (c.status === "wait" || c.status === "end") {
    c.disconnect();
    return;
  }
  await c.quit().catch(() => c.disconnect());
}
