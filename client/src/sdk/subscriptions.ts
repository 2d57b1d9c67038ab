import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import WebSocket from "ws";
import { GraphQLRequestError, NetworkError, type GraphQLErrorEntry } from "./errors.js";
import { documentText, operationName } from "./http.js";

/**
 * The server closes a socket with this code when its token is missing or invalid, when the token
 * expires (reason `Forbidden: TOKEN_EXPIRED`, at its `exp`) and when it no longer verifies (a
 * revoked session, re-checked every VP_WS_REVERIFY_SECONDS). The transport then reconnects with a
 * token read again from getToken (refreshed when it expired) and graphql-ws resubscribes every
 * running subscription; the server answers each (re)subscription with the job's current state
 * first, so a follower misses nothing.
 */
export const WS_FORBIDDEN = 4403;

/** The server closes a user's connection over its per-user limit with this code (not retried). */
export const WS_TOO_MANY_CONNECTIONS = 4429;

export interface SubscriptionOptions {
  /** ws:// or wss:// URL of /graphql. */
  readonly url: string;
  /** Read on every (re)connection, so a refreshed token replaces an expired one. */
  readonly getToken: () => Promise<string | undefined>;
  /**
   * Reconnections after the socket drops. A 4403 close is retried only when `canRefreshToken`.
   * @default 5
   */
  readonly retryAttempts?: number;
  /** Whether another token may come from getToken (then a 4403 is worth one more try). */
  readonly canRefreshToken: boolean;
}

export interface SubscriptionTransport {
  subscribe<TResult, TVars>(doc: TypedDocumentNode<TResult, TVars>, variables: TVars): AsyncIterableIterator<TResult>;
  close(): Promise<void>;
}

const isCloseEvent = (e: unknown): e is { code: number; reason: string } =>
  typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "number" && "reason" in e;

/** What graphql-ws hands to a failing iterator, as one of our errors. */
export function subscriptionError(url: string, e: unknown): Error {
  if (Array.isArray(e)) return new GraphQLRequestError(e as GraphQLErrorEntry[]);
  if (isCloseEvent(e)) {
    if (e.code === WS_FORBIDDEN)
      return new GraphQLRequestError([{ message: e.reason || "Forbidden", extensions: { code: "UNAUTHENTICATED" } }]);
    if (e.code === WS_TOO_MANY_CONNECTIONS)
      return new NetworkError(`subscription socket to ${url} refused: ${e.reason || "too many connections"}`);
    return new NetworkError(`subscription socket to ${url} closed (${e.code}${e.reason ? ` ${e.reason}` : ""})`);
  }
  const cause = (e as { code?: string; message?: string }) ?? {};
  return new NetworkError(`cannot open a subscription socket to ${url} (${cause.code ?? cause.message ?? String(e)})`, {
    cause: e,
  });
}

/** One lazy graphql-ws connection shared by every subscription of a client. */
export function createSubscriptionTransport(options: SubscriptionOptions): SubscriptionTransport {
  let forbiddenRetries = 0;
  let ws: WsClient | null = null;
  const client = (): WsClient =>
    (ws ??= createWsClient({
      url: options.url,
      webSocketImpl: WebSocket,
      lazy: true,
      connectionParams: async () => {
        const token = await options.getToken();
        return token ? { authorization: `Bearer ${token}` } : {};
      },
      retryAttempts: options.retryAttempts ?? 5,
      retryWait: (retries) => new Promise((r) => setTimeout(r, Math.min(250 * 2 ** retries, 4000))),
      shouldRetry: (e) => {
        // An expired or revoked token: one more try with a token read again (a refreshed one when
        // it expired); the count resets once a connection is acknowledged, so a long-lived
        // subscription survives every expiry of its tokens.
        if (isCloseEvent(e) && e.code === WS_FORBIDDEN) return options.canRefreshToken && forbiddenRetries++ < 1;
        return true;
      },
      on: { connected: () => void (forbiddenRetries = 0) },
    }));

  return {
    subscribe<TResult, TVars>(
      doc: TypedDocumentNode<TResult, TVars>,
      variables: TVars,
    ): AsyncIterableIterator<TResult> {
      const inner = client().iterate<TResult>({
        query: documentText(doc),
        operationName: operationName(doc),
        variables: variables ?? {},
      });
      const iterator: AsyncIterableIterator<TResult> = {
        async next(): Promise<IteratorResult<TResult>> {
          let step: IteratorResult<{ data?: TResult | null; errors?: readonly GraphQLErrorEntry[] }>;
          try {
            step = await inner.next();
          } catch (e) {
            throw subscriptionError(options.url, e);
          }
          if (step.done) return { done: true, value: undefined };
          const { data, errors } = step.value;
          if (errors?.length || data == null) {
            await inner.return?.();
            throw new GraphQLRequestError(errors?.length ? errors : [{ message: "no data in the subscription event" }]);
          }
          return { done: false, value: data };
        },
        async return(): Promise<IteratorResult<TResult>> {
          await inner.return?.();
          return { done: true, value: undefined };
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
    async close() {
      await ws?.dispose();
      ws = null;
    },
  };
}
