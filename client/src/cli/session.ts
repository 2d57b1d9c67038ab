import { createClient, HttpError, type Client } from "../sdk/index.js";
import { createCredentialsStore, credentialsPath, type CredentialsStore, type StoredSession } from "./credentials.js";
import { NotLoggedInError } from "./exit-codes.js";
import { UsageError, type CliIo } from "./io.js";

export const DEFAULT_SERVER = "http://localhost:4000";
/** Refresh this long before the access token expires, so it never dies mid-request. */
const REFRESH_MARGIN_MS = 60_000;

/** --server, else VPROC_SERVER, else the default; checked to be an http(s) URL. */
export function resolveServer(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const raw = flag ?? env.VPROC_SERVER ?? DEFAULT_SERVER;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--server must be a URL like ${DEFAULT_SERVER} (got "${raw}")`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`--server must be http:// or https:// (got "${raw}")`);
  return `${url.origin}${url.pathname.replace(/\/+$/, "").replace(/\/graphql$/, "")}`;
}

export const sessionFromTokens = (
  email: string,
  t: { accessToken: string; refreshToken: string; expiresIn: number },
  now = Date.now(),
): StoredSession => ({
  email,
  accessToken: t.accessToken,
  refreshToken: t.refreshToken,
  expiresAt: new Date(now + t.expiresIn * 1000).toISOString(),
});

export interface Session {
  readonly server: string;
  readonly store: CredentialsStore;
  /** A client without a token (accounts). */
  anonymous(): Client;
  /**
   * A client that reads the stored token on every request and socket connection and refreshes it
   * when it is about to expire. Fails at once with NotLoggedInError when there is no session.
   */
  authenticated(): Promise<Client>;
  close(): Promise<void>;
}

export function openSession(server: string, io: CliIo): Session {
  const store = createCredentialsStore(credentialsPath(io.env));
  const clients: Client[] = [];
  const track = (c: Client): Client => (clients.push(c), c);
  let refreshing: Promise<string> | null = null;

  const refresh = async (current: StoredSession): Promise<string> => {
    try {
      const tokens = await createClient({ url: server }).accounts.refresh(current.refreshToken);
      const next = sessionFromTokens(current.email, {
        ...tokens,
        refreshToken: tokens.refreshToken || current.refreshToken,
      });
      await store.set(server, next);
      return next.accessToken;
    } catch (err) {
      if (err instanceof HttpError && err.status < 500)
        throw new NotLoggedInError(`the session for ${server} expired: run vproc login`);
      throw err;
    }
  };
  const getToken = async (): Promise<string> => {
    const current = await store.get(server);
    if (!current) throw new NotLoggedInError(`not logged in to ${server}: run vproc login`);
    if (Date.parse(current.expiresAt) - REFRESH_MARGIN_MS > Date.now()) return current.accessToken;
    refreshing ??= refresh(current).finally(() => (refreshing = null));
    return refreshing;
  };

  return {
    server,
    store,
    anonymous: () => track(createClient({ url: server })),
    async authenticated() {
      await getToken();
      return track(createClient({ url: server, getToken }));
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
    },
  };
}
