import type { AccountsApi, Tokens } from "./accounts-api.js";

export interface Session {
  readonly email: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Epoch milliseconds at which the access token expires. */
  readonly expiresAt: number;
  /** Epoch milliseconds from which it is refreshed: a minute before expiry (half its life for short ones). */
  readonly refreshAt: number;
}

const KEY = "video-processor.session";
/** Refresh this long before expiry (or at half the lifetime for short tokens). */
const REFRESH_MARGIN_MS = 60_000;

/** Plain functions (no `this`): React hooks take `get` and `subscribe` as they are. */
export interface SessionStore {
  readonly get: () => Session | null;
  /** The access token, refreshed first when it expires within the margin; "" when signed out. */
  readonly freshToken: () => Promise<string>;
  /**
   * Refreshes now, whatever the expiry says: the server refused the token (revoked, or clocks
   * disagree). A refused refresh signs out; the answer is the token to use ("" when signed out).
   */
  readonly forceRefresh: () => Promise<string>;
  readonly signIn: (email: string, tokens: Tokens) => void;
  readonly signOut: () => Promise<void>;
  readonly subscribe: (listener: () => void) => () => void;
  readonly dispose: () => void;
}

function parse(raw: string | null): Session | null {
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Partial<Session>;
    if (
      typeof s.email === "string" &&
      typeof s.accessToken === "string" &&
      typeof s.refreshToken === "string" &&
      typeof s.expiresAt === "number"
    )
      return {
        ...(s as Session),
        refreshAt: typeof s.refreshAt === "number" ? s.refreshAt : s.expiresAt - REFRESH_MARGIN_MS,
      };
  } catch {
    // A corrupt entry is the same as none.
  }
  return null;
}

/**
 * The signed-in session, kept in localStorage so it survives a reload, and refreshed on a timer
 * before the access token expires (the refresh token rotates). Other tabs see changes through the
 * storage event. A refused refresh signs out; a network failure retries on the next call.
 */
export function createSessionStore(
  api: AccountsApi,
  storage: Storage = localStorage,
  now: () => number = Date.now,
): SessionStore {
  let session = parse(storage.getItem(KEY));
  const listeners = new Set<() => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let refreshing: Promise<string> | null = null;

  const emit = (): void => listeners.forEach((l) => l());
  const write = (next: Session | null): void => {
    session = next;
    if (next) storage.setItem(KEY, JSON.stringify(next));
    else storage.removeItem(KEY);
    schedule();
    emit();
  };

  const refresh = (current: Session): Promise<string> =>
    (refreshing ??= api
      .refresh(current.refreshToken)
      .then((tokens) => {
        write(toSession(current.email, tokens, now(), current.refreshToken));
        return tokens.accessToken;
      })
      .catch((err: unknown) => {
        const status = (err as { status?: number }).status ?? 0;
        if (status >= 400 && status < 500) {
          write(null);
          return "";
        }
        schedule(10_000);
        return current.accessToken;
      })
      .finally(() => (refreshing = null)));

  function schedule(retryInMs?: number): void {
    clearTimeout(timer);
    const s = session;
    if (!s) return;
    const due = retryInMs ?? Math.max(0, s.refreshAt - now());
    // setTimeout overflows past 2^31 ms; a day is plenty (it reschedules itself).
    timer = setTimeout(() => void refresh(s), Math.min(due, 86_400_000));
  }

  const onStorage = (e: StorageEvent): void => {
    if (e.key !== KEY) return;
    session = parse(e.newValue);
    schedule();
    emit();
  };
  if (typeof window !== "undefined") window.addEventListener("storage", onStorage);
  schedule();

  return {
    get: () => session,
    async freshToken() {
      const s = session;
      if (!s) return "";
      if (s.refreshAt > now()) return s.accessToken;
      return refresh(s);
    },
    async forceRefresh() {
      const s = session;
      return s ? refresh(s) : "";
    },
    signIn(email, tokens) {
      write(toSession(email, tokens, now()));
    },
    async signOut() {
      const s = session;
      write(null);
      // Ends the refresh token family and its access tokens server-side; the local session is gone either way.
      if (s) await api.logOut(s.accessToken, s.refreshToken).catch(() => undefined);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      clearTimeout(timer);
      if (typeof window !== "undefined") window.removeEventListener("storage", onStorage);
    },
  };
}

function toSession(email: string, tokens: Tokens, at: number, previousRefresh = ""): Session {
  const lifeMs = tokens.expiresIn * 1000;
  return {
    email,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken || previousRefresh,
    expiresAt: at + lifeMs,
    refreshAt: at + lifeMs - Math.min(REFRESH_MARGIN_MS, lifeMs / 2),
  };
}
