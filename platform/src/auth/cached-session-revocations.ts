import type { SessionRevocations } from "../ports/session-revocations.js";

/**
 * How long a "not revoked" answer is trusted: the bound on how late another process notices a
 * sign-out. The process that recorded the revocation knows at once.
 */
export const SESSION_REVOCATION_CACHE_SECONDS = 15;

export interface CachedSessionRevocationsOptions {
  /** @default SESSION_REVOCATION_CACHE_SECONDS */
  readonly ttlSeconds?: number;
  /** Sessions remembered at most (least recently checked dropped first). @default 10_000 */
  readonly maxEntries?: number;
  /** Milliseconds since the epoch. @default Date.now */
  readonly clock?: () => number;
}

interface Entry {
  /** Revoked until this instant (ms), or 0 when the store said "not revoked". */
  readonly revokedUntil: number;
  readonly checkedAt: number;
}

/**
 * A read-through cache in front of a SessionRevocations store, so verifying a token costs one
 * store read per session every `ttlSeconds`, not one per request. Revoked answers are kept until
 * their `until` (a revocation is never lifted); concurrent checks of one session share one read.
 */
export function cachedSessionRevocations(
  store: SessionRevocations,
  options: CachedSessionRevocationsOptions = {},
): SessionRevocations {
  const ttlMs = (options.ttlSeconds ?? SESSION_REVOCATION_CACHE_SECONDS) * 1000;
  const maxEntries = options.maxEntries ?? 10_000;
  const clock = options.clock ?? Date.now;
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<boolean>>();
  const remember = (id: string, entry: Entry) => {
    entries.delete(id);
    entries.set(id, entry);
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
  };
  return {
    async revoke(sessionId, until) {
      await store.revoke(sessionId, until);
      const known = entries.get(sessionId)?.revokedUntil ?? 0;
      remember(sessionId, { revokedUntil: Math.max(known, until.getTime()), checkedAt: clock() });
    },
    isRevoked(sessionId) {
      const now = clock();
      const entry = entries.get(sessionId);
      if (entry !== undefined) {
        if (entry.revokedUntil > now) return Promise.resolve(true);
        if (entry.revokedUntil === 0 && now - entry.checkedAt < ttlMs) return Promise.resolve(false);
      }
      const pending = inFlight.get(sessionId);
      if (pending) return pending;
      const read = store
        .isRevoked(sessionId)
        .then((revoked) => {
          // The store does not say until when: hold a positive answer for the cache period.
          remember(sessionId, { revokedUntil: revoked ? clock() + ttlMs : 0, checkedAt: clock() });
          return revoked;
        })
        .finally(() => inFlight.delete(sessionId));
      inFlight.set(sessionId, read);
      return read;
    },
  };
}
