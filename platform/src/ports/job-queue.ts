export interface QueueMessage<T> {
  readonly id: string;
  /** Identifies this delivery; stale after the visibility timeout passes. */
  readonly receipt: string;
  readonly body: T;
  /** Deliveries so far, this one included. */
  readonly attempts: number;
  readonly enqueuedAt: Date;
}

export interface QueueDepth {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
  readonly deadLettered: number;
}

export interface DeadLetter<T> {
  readonly id: string;
  /** The body as received; `null` when it was not valid JSON or failed validation. */
  readonly body: T | null;
  readonly raw: string;
  readonly attempts: number;
  readonly reason: string;
}

/**
 * A durable at-least-once queue. A received message is invisible for its visibility timeout;
 * unless acked by then it is delivered again. A message delivered more than `maxAttempts`
 * times, or whose body fails validation, moves to the dead-letter list instead.
 */
export interface JobQueue<T> {
  /** With `dedupeKey`, enqueueing a key still waiting in the queue returns the waiting message. */
  enqueue(
    body: T,
    options?: { readonly delaySeconds?: number; readonly dedupeKey?: string },
  ): Promise<{ readonly id: string; readonly deduplicated: boolean }>;
  /** Long-polls up to `waitSeconds` (default 0) for at least one message. */
  receive(options: {
    readonly maxMessages: number;
    readonly visibilityTimeoutSeconds: number;
    readonly waitSeconds?: number;
    readonly signal?: AbortSignal;
  }): Promise<Array<QueueMessage<T>>>;
  /** Heartbeat for long work. Throws STALE_UPDATE when the receipt is no longer current. */
  extend(receipt: string, visibilityTimeoutSeconds: number): Promise<void>;
  /** Deletes the message. Throws STALE_UPDATE when the receipt is no longer current. */
  ack(receipt: string): Promise<void>;
  /**
   * Gives the message back for a later attempt, after `delaySeconds` (default: exponential backoff
   * on attempts). Dead-letters instead once attempts reach `maxAttempts`.
   */
  retry(
    receipt: string,
    options?: { readonly delaySeconds?: number; readonly reason?: string },
  ): Promise<"RETRYING" | "DEAD_LETTERED">;
  depth(): Promise<QueueDepth>;
  deadLetters(limit?: number): Promise<Array<DeadLetter<T>>>;
}
