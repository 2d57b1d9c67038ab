import type { JobQueue } from "../ports/job-queue.js";
import { ConfigError } from "../shared/env-config.js";

/**
 * Stands in for a queue whose setting is absent (an AWS deployment from before webhooks): the
 * rest of the product starts, and only what needs the queue fails, saying which setting is missing.
 */
export function unconfiguredQueue<T>(setting: string): JobQueue<T> & { readonly configured: false } {
  const fail = (): never => {
    throw new ConfigError([`${setting}: is required for webhooks when VP_BACKEND=aws`]);
  };
  return {
    configured: false,
    enqueue: async () => fail(),
    receive: async () => fail(),
    extend: async () => fail(),
    ack: async () => fail(),
    retry: async () => fail(),
    depth: async () => fail(),
    deadLetters: async () => fail(),
  };
}

/** False for the stand-in above: consumers are started only for configured queues. */
export const isConfiguredQueue = (queue: JobQueue<unknown>): boolean =>
  !("configured" in queue && (queue as { configured: unknown }).configured === false);
