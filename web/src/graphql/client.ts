import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import { Client, fetchExchange, mapExchange, subscriptionExchange } from "urql";
import type { SessionStore } from "../auth/session-store.js";
import { createCache } from "./cache.js";
import type { ConnectionStatus } from "./connection-status.js";

export interface ApiClients {
  readonly urql: Client;
  readonly ws: WsClient;
  dispose(): void;
}

/** Reconnect quickly at first, then every 5 s at most, for as long as it takes. */
const retryWait = (retries: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.min(5000, 300 * 2 ** retries) + Math.random() * 300));

/**
 * One urql client per session: HTTP for queries and mutations (bearer token, refreshed before
 * expiry), graphql-ws for subscriptions on the same origin. The socket re-reads the token at every
 * connection; when the session refreshes it, the socket is restarted so it carries the new one
 * (subscriptions are re-sent, and myJobUpdates' replay covers the gap).
 */
export function createApiClients(sessions: SessionStore, status: ConnectionStatus): ApiClients {
  const httpUrl = new URL("/graphql", location.href).toString();
  let everConnected = false;
  const ws = createWsClient({
    url: httpUrl.replace(/^http/, "ws"),
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait,
    connectionParams: async () => {
      const token = await sessions.freshToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    on: {
      connected: () => {
        everConnected = true;
        status.set({ socketLost: false });
      },
      closed: (event) => {
        const code = (event as { code?: number } | undefined)?.code;
        // 4403: the server refused the token (expired or revoked): refresh it before the reconnection
        // (a revoked session ends here, and the app shows the login page).
        if (code === 4403) void sessions.forceRefresh();
        // 4499 is our own restart after a token refresh; 1000 a normal close with nothing subscribed.
        if (everConnected && code !== 4499 && code !== 1000) status.set({ socketLost: true });
      },
    },
  });

  const authedFetch: typeof fetch = async (input, init) => {
    const token = await sessions.freshToken();
    const headers = new Headers(init?.headers);
    if (token) headers.set("authorization", `Bearer ${token}`);
    try {
      const res = await fetch(input, { ...init, headers });
      status.set({ httpLost: false });
      return res;
    } catch (err) {
      status.set({ httpLost: true });
      throw err;
    }
  };

  const urql = new Client({
    url: httpUrl,
    fetch: authedFetch,
    preferGetMethod: false,
    requestPolicy: "cache-and-network",
    exchanges: [
      mapExchange({
        onError(error) {
          if (error.graphQLErrors.some((e) => e.extensions?.code === "UNAUTHENTICATED")) void sessions.forceRefresh();
        },
      }),
      createCache(),
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? "" };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
      fetchExchange,
    ],
  });

  let lastToken = sessions.get()?.accessToken;
  const unsubscribe = sessions.subscribe(() => {
    const token = sessions.get()?.accessToken;
    if (token && lastToken && token !== lastToken) ws.terminate();
    lastToken = token;
  });

  return {
    urql,
    ws,
    dispose() {
      unsubscribe();
      void ws.dispose();
    },
  };
}
