/**
 * Writes progress without ever overlapping two writes: while one is in flight, only the
 * newest figure waits, so a slow store never builds a backlog of stale updates.
 */
export function createProgressReporter<T>(write: (value: T) => Promise<void>, onError: (err: unknown) => void) {
  let pending: T | undefined;
  let inFlight: Promise<void> | null = null;

  const pump = async (): Promise<void> => {
    while (pending !== undefined) {
      const value = pending;
      pending = undefined;
      try {
        await write(value);
      } catch (err) {
        onError(err);
      }
    }
    inFlight = null;
  };

  return {
    report(value: T): void {
      pending = value;
      inFlight ??= pump();
    },
    /** Resolves once everything reported so far is written (or failed). */
    async flush(): Promise<void> {
      while (inFlight) await inFlight;
    },
    /** Forgets a figure not yet written: a terminal status must not be followed by progress. */
    discard(): void {
      pending = undefined;
    },
  };
}
