import { createGraphiQLFetcher, type Fetcher } from "@graphiql/toolkit";
import { createClient } from "graphql-ws";

/**
 * HTTP requests carry `Authorization: Bearer`; subscriptions carry the same token in
 * graphql-ws connectionParams, re-read on every (re)connection so a pasted token takes effect.
 * The server closes a socket with 4403 when its token expires or is revoked; graphql-ws retries
 * 4403, and `freshToken` (refreshing an expired token when a login left a refresh token) gives the
 * new connection a valid token. Running subscriptions are resubscribed and start with the current state.
 */
export function createAuthedFetcher(
  getToken: () => string,
  freshToken: () => Promise<string> = async () => getToken(),
): { fetcher: Fetcher; reconnect: () => void } {
  const httpUrl = new URL("/graphql", location.href).toString();
  const wsUrl = httpUrl.replace(/^http/, "ws");
  const wsClient = createClient({
    url: wsUrl,
    connectionParams: async () => {
      const token = await freshToken().catch(() => getToken());
      return token ? { authorization: `Bearer ${token}` } : {};
    },
  });
  const base = createGraphiQLFetcher({ url: httpUrl, wsClient });
  const fetcher: Fetcher = (params, options) => {
    const token = getToken();
    const headers = { ...(options?.headers ?? {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) };
    return base(params, { ...options, headers });
  };
  return { fetcher, reconnect: () => wsClient.terminate() };
}
