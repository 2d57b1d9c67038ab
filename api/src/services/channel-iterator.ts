import type { EventBus } from "@vp/platform";

/**
 * An EventBus channel as an async iterator. Resolves once the bus subscription is live (so a
 * caller can read state afterwards without missing news). `return()` unsubscribes at once, even
 * while a `next()` is pending: that is what runs when a client stops or disconnects.
 */
export async function openChannel(
  bus: EventBus,
  channel: string,
  maxBuffered = 1000,
): Promise<AsyncIterableIterator<unknown>> {
  const buffer: unknown[] = [];
  let waiting: ((r: IteratorResult<unknown>) => void) | null = null;
  let closed = false;
  const unsubscribe = await bus.subscribe(channel, (payload) => {
    if (closed) return;
    if (waiting !== null) {
      const deliver = waiting;
      waiting = null;
      deliver({ value: payload, done: false });
      return;
    }
    buffer.push(payload);
    // A stalled consumer must not grow memory without bound; every event carries a full
    // snapshot, so dropping the oldest loses no final state.
    if (buffer.length > maxBuffered) buffer.shift();
  });
  const close = (): IteratorResult<unknown> => {
    if (!closed) {
      closed = true;
      unsubscribe();
      buffer.length = 0;
      waiting?.({ value: undefined, done: true });
      waiting = null;
    }
    return { value: undefined, done: true };
  };
  const iterator: AsyncIterableIterator<unknown> = {
    next: () => {
      if (buffer.length > 0) return Promise.resolve({ value: buffer.shift(), done: false });
      if (closed) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return: () => Promise.resolve(close()),
    throw: (error?: unknown) => {
      close();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/**
 * Maps and filters an iterator without an async generator: a generator parked in `await next()`
 * would not run its cleanup until another event came, leaking the subscription on disconnect.
 */
export function filterMap<T, U>(
  source: AsyncIterator<T>,
  map: (value: T) => U | undefined,
  first: readonly U[] = [],
): AsyncIterableIterator<U> {
  const pending = [...first];
  const iterator: AsyncIterableIterator<U> = {
    next: async () => {
      const head = pending.shift();
      if (head !== undefined) return { value: head, done: false };
      for (;;) {
        const r = await source.next();
        if (r.done === true) return { value: undefined, done: true };
        const mapped = map(r.value);
        if (mapped !== undefined) return { value: mapped, done: false };
      }
    },
    return: async () => {
      pending.length = 0;
      await source.return?.();
      return { value: undefined, done: true };
    },
    throw: async (error?: unknown) => {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
