/**
 * Runs producers with at most `concurrency` alive at once and yields their items strictly in
 * producer order. Producers ahead of the one being read buffer up to `bufferItems` items, then
 * stall (their ffmpeg blocks on its pipe), so memory stays bounded whatever the video's length.
 * The first failure stops everything and is the error thrown.
 */
export async function* orderedMerge<T>(
  producers: readonly (() => AsyncGenerator<T>)[],
  concurrency: number,
  bufferItems: number,
  /** Producers started but not yet read, at most (finished ones hold at most `bufferItems` each). */
  maxAhead = concurrency * 4,
): AsyncGenerator<T> {
  const started: Prefetch<T>[] = [];
  let consumed = 0;
  const startMore = (): void => {
    while (
      started.length < producers.length &&
      started.filter((p) => !p.ended).length < concurrency &&
      started.length - consumed < Math.max(concurrency, maxAhead)
    ) {
      started.push(new Prefetch((producers[started.length] as () => AsyncGenerator<T>)(), bufferItems, startMore));
    }
  };
  try {
    for (let i = 0; i < producers.length; i++) {
      startMore();
      const current = started[i] as Prefetch<T>;
      for (;;) {
        const item = await current.take(() => firstError(started));
        if (item.done) break;
        yield item.value;
      }
      consumed++;
    }
  } finally {
    await Promise.all(started.map((p) => p.close()));
  }
}

/**
 * Runs every producer at once and yields their items in ascending `key` order, each producer's own
 * items being ascending already (a merge of sorted streams; ties go to the earlier producer). Each
 * producer buffers up to `bufferItems` items ahead of the reader, then stalls. The first failure
 * stops everything and is the error thrown.
 */
export async function* mergeSorted<T>(
  producers: readonly (() => AsyncGenerator<T>)[],
  bufferItems: number,
  key: (item: T) => number,
): AsyncGenerator<T> {
  const started = producers.map((p) => new Prefetch(p(), bufferItems, () => undefined));
  const heads: (IteratorResult<T> | null)[] = started.map(() => null);
  try {
    for (;;) {
      let best = -1;
      for (let i = 0; i < started.length; i++) {
        heads[i] ??= await (started[i] as Prefetch<T>).take(() => firstError(started));
        const head = heads[i] as IteratorResult<T>;
        const lead = best < 0 ? null : (heads[best] as IteratorResult<T>);
        if (!head.done && (lead === null || key(head.value) < key(lead.value as T))) best = i;
      }
      if (best < 0) return;
      yield (heads[best] as IteratorResult<T>).value as T;
      heads[best] = null;
    }
  } finally {
    await Promise.all(started.map((p) => p.close()));
  }
}

const firstError = <T>(ps: readonly Prefetch<T>[]): unknown => ps.find((p) => p.error !== undefined)?.error;

class Prefetch<T> {
  private readonly items: T[] = [];
  ended = false;
  error: unknown = undefined;
  private closed = false;
  private wakeConsumer: (() => void) | null = null;
  private wakeProducer: (() => void) | null = null;
  private readonly pump: Promise<void>;

  constructor(
    private readonly gen: AsyncGenerator<T>,
    private readonly max: number,
    private readonly onEnd: () => void,
  ) {
    this.pump = this.run();
  }

  private async run(): Promise<void> {
    try {
      for (;;) {
        while (this.items.length >= this.max && !this.closed) await new Promise<void>((r) => (this.wakeProducer = r));
        if (this.closed) break;
        const r = await this.gen.next();
        if (r.done) break;
        this.items.push(r.value);
        this.wakeConsumer?.();
      }
    } catch (err) {
      this.error = err;
    } finally {
      this.ended = true;
      this.wakeConsumer?.();
      if (!this.closed) this.onEnd();
    }
  }

  async take(siblingError: () => unknown): Promise<IteratorResult<T>> {
    for (;;) {
      // Both throws rethrow a caught value as it was; the rule only sees `unknown` narrowed to `{} | null`.
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the generator's own failure, rethrown
      if (this.error !== undefined) throw this.error;
      const e = siblingError();
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- a sibling's failure, rethrown as it was
      if (e !== undefined) throw e;
      const item = this.items.shift();
      if (item !== undefined) {
        this.wakeProducer?.();
        this.wakeProducer = null;
        return { done: false, value: item };
      }
      if (this.ended) return { done: true, value: undefined };
      // Also wake now and then to notice a sibling's failure (fail fast).
      await new Promise<void>((r) => {
        this.wakeConsumer = r;
        setTimeout(r, 200).unref();
      });
      this.wakeConsumer = null;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeProducer?.();
    await this.gen.return(undefined).catch(() => undefined);
    await this.pump.catch(() => undefined);
  }
}
