import { createGraphiQLFetcher, type Fetcher } from "@graphiql/toolkit";
import { createClient } from "graphql-ws";

/**
 * HTTP requests carry `Authorization: Bearer`; subscriptions carry the same token in
 * graphql-ws connectionParams, re-read on every (re)connection so a pasted token takes effect.
 */
export function createAuthedFetcher(getToken: () => string): { fetcher: Fetcher; reconnect: () => void } {
  const httpUrl = new URL("/graphql", location.href).toString();
  const wsUrl = httpUrl.replace(/^http/, "ws");
  const wsClient = createClient({
    url: wsUrl,
    connectionParams: () => (getToken() ? { authorization: `Bearer ${getToken()}` } : {}),
  });
  const base = createGraphiQLFetcher({ url: httpUrl, wsClient });
  const fetcher: Fetcher = (params, options) => {
    const token = getToken();
    const headers = { ...(options?.headers ?? {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) };
    return base(params, { ...options, headers });
  };
  return { fetcher, reconnect: () => wsClient.terminate() };
}
