import type { JobQueue, QueueMessage } from "../ports/job-queue.js";

export type Disposition =
  | { readonly kind: "ack" }
  | { readonly kind: "retry"; readonly delaySeconds?: number; readonly reason?: string }
  /** Makes the message visible again at once (graceful shutdown hands work back). */
  | { readonly kind: "handback" };

export interface HandlerContext {
  /** Aborted when the consumer shuts down past its grace period. */
  readonly signal: AbortSignal;
}

export interface ConsumerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface QueueConsumerOptions<T> {
  readonly queue: JobQueue<T>;
  readonly handle: (message: QueueMessage<T>, ctx: HandlerContext) => Promise<Disposition>;
  /** Messages handled at once. */
  readonly concurrency: number;
  /** Visibility per delivery; renewed every third of it while the handler runs (heartbeat). */
  readonly visibilityTimeoutSeconds: number;
  /** Long-poll wait per receive. */
  readonly waitSeconds?: number;
  readonly logger: ConsumerLogger;
  readonly name: string;
}

export interface QueueConsumer {
  /**
   * Stops receiving, lets running handlers finish for up to `graceMs`, then aborts them;
   * an aborted handler's message is handed back so another consumer picks it up at once.
   */
  close(options?: { readonly graceMs?: number }): Promise<void>;
}

/**
 * The one receive loop every queue-fed service uses: bounded concurrency, heartbeat while a
 * handler runs, and the handler's disposition applied to the queue. A handler that throws is
 * retried with the queue's backoff (and dead-lettered by the queue after its max attempts).
 */
export function startQueueConsumer<T>(options: QueueConsumerOptions<T>): QueueConsumer {
  const { queue, handle, concurrency, visibilityTimeoutSeconds, logger, name } = options;
  const waitSeconds = options.waitSeconds ?? 1;
  const stopReceiving = new AbortController();
  const abortHandlers = new AbortController();
  const running = new Set<Promise<void>>();
  let slotFreed: (() => void) | null = null;

  const settle = async (message: QueueMessage<T>, disposition: Disposition): Promise<void> => {
    switch (disposition.kind) {
      case "ack":
        return queue.ack(message.receipt);
      case "handback":
        return queue.extend(message.receipt, 0);
      case "retry": {
        const outcome = await queue.retry(message.receipt, {
          ...(disposition.delaySeconds !== undefined ? { delaySeconds: disposition.delaySeconds } : {}),
          ...(disposition.reason !== undefined ? { reason: disposition.reason } : {}),
        });
        if (outcome === "DEAD_LETTERED") logger.warn({ queue: name, messageId: message.id }, "message dead-lettered");
        return;
      }
    }
  };

  const run = async (message: QueueMessage<T>): Promise<void> => {
    const heartbeat = setInterval(
      () => {
        queue.extend(message.receipt, visibilityTimeoutSeconds).catch((err: unknown) => {
          logger.warn({ queue: name, messageId: message.id, err }, "visibility heartbeat failed");
        });
      },
      Math.max(200, (visibilityTimeoutSeconds * 1000) / 3),
    );
    let disposition: Disposition;
    try {
      disposition = await handle(message, { signal: abortHandlers.signal });
    } catch (err) {
      logger.error({ queue: name, messageId: message.id, attempts: message.attempts, err }, "handler failed");
      disposition = abortHandlers.signal.aborted ? { kind: "handback" } : { kind: "retry", reason: String(err) };
    } finally {
      clearInterval(heartbeat);
    }
    try {
      await settle(message, disposition);
    } catch (err) {
      // The receipt went stale (visibility lapsed): the queue redelivers, and handlers are idempotent.
      logger.warn({ queue: name, messageId: message.id, err }, "could not settle message");
    }
  };

  const loop = async (): Promise<void> => {
    while (!stopReceiving.signal.aborted) {
      const free = concurrency - running.size;
      if (free <= 0) {
        await new Promise<void>((resolve) => (slotFreed = resolve));
        continue;
      }
      let messages: Array<QueueMessage<T>>;
      try {
        messages = await queue.receive({
          maxMessages: free,
          visibilityTimeoutSeconds,
          waitSeconds,
          signal: stopReceiving.signal,
        });
      } catch (err) {
        if (stopReceiving.signal.aborted) break;
        logger.error({ queue: name, err }, "receive failed; backing off");
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      for (const message of messages) {
        const task = run(message).finally(() => {
          running.delete(task);
          slotFreed?.();
          slotFreed = null;
        });
        running.add(task);
      }
    }
  };

  const looping = concurrency > 0 ? loop() : Promise.resolve();

  return {
    async close({ graceMs = 10_000 } = {}) {
      stopReceiving.abort();
      slotFreed?.();
      await looping;
      if (running.size === 0) return;
      const drained = Promise.all(running).then(() => true);
      const timedOut = new Promise<false>((resolve) => setTimeout(() => resolve(false), graceMs).unref());
      if (!(await Promise.race([drained, timedOut]))) {
        abortHandlers.abort();
        await Promise.all(running);
      }
    },
  };
}
