import type { IncomingMessage } from "node:http";
import type { Platform } from "@vp/platform";
import type { Principal } from "@vp/platform";
import { GraphQLError, Kind, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import type { Logger } from "pino";
import type { WebSocket, WebSocketServer } from "ws";
import type { Services } from "../services/index.js";
import { authenticate, type ApiContext } from "./context.js";
import { ERROR_CODES, isExpectedError, maskError, rootCause } from "./errors.js";
import { createDepthLimitRule } from "./limits/depth-limit.rule.js";
import { checkOperationLimits, checkTokenCount, type OperationLimits } from "./limits/operation-limits.js";
import { checkQueryCost } from "./limits/query-cost.js";

interface Session {
  viewer: Principal;
  readonly requestId: string;
  readonly log: Logger;
}

export interface WsConnectionLimits {
  /** Operations running at once on one socket; the next one gets a TOO_MANY_SUBSCRIPTIONS error. */
  readonly maxSubscriptionsPerConnection: number;
  /** Open sockets per user in this process; the next one is closed with WS_TOO_MANY_CONNECTIONS. */
  readonly maxConnectionsPerUser: number;
  /** How often a socket's token is verified again (revocation reaches open sockets within this). */
  readonly reverifyMs: number;
}

export interface GraphqlWsOptions {
  readonly schema: GraphQLSchema;
  readonly platform: Pick<Platform, "tokens" | "videos" | "jobs" | "blobs" | "events">;
  readonly services: Services;
  readonly logger: Logger;
  readonly limits: OperationLimits & { readonly maxDepth: number; readonly maxCost: number };
  readonly connections: WsConnectionLimits;
  readonly requestIdOf: (request: IncomingMessage) => string;
  readonly countOperation: (type: string, outcome: "ok" | "error") => void;
}

/**
 * Close code for a connection whose token is missing, invalid, expired (a timer fires at its `exp`)
 * or no longer verifies (re-checked every VP_WS_REVERIFY_SECONDS: a revoked session). The reason
 * says which: `Forbidden: TOKEN_EXPIRED`, `Forbidden: INVALID_TOKEN`, ... graphql-ws clients retry
 * 4403 (a fresh token may help), and ours reconnect with a refreshed token and resubscribe; 4401
 * would not do: graphql-ws clients treat it as fatal and never retry.
 */
export const WS_FORBIDDEN = 4403;

/** Close code for a user's connection over VP_WS_MAX_CONNECTIONS_PER_USER (graphql-ws clients do not retry it). */
export const WS_TOO_MANY_CONNECTIONS = 4429;
/** Subscribes refused for the per-connection limit before the socket is closed with 4429. */
export const REFUSALS_BEFORE_CLOSE = 5;

/** Largest delay setTimeout takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Seconds since the epoch at which a JWT expires, from its (already verified) payload. */
export function tokenExpiry(authorization: string): number | null {
  const payload = authorization.replace(/^Bearer\s+/i, "").split(".")[1];
  if (payload === undefined) return null;
  try {
    const exp = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown }).exp;
    return typeof exp === "number" && Number.isFinite(exp) ? exp : null;
  } catch {
    return null;
  }
}

/**
 * graphql-ws on the given WebSocketServer: the token travels in `connectionParams.authorization`,
 * is checked at connection, again every `reverifyMs`, and the socket closes (4403) at its expiry;
 * operations get the same limits (tokens, aliases, root mutation fields, directives, introspection,
 * depth, cost) and error masking as HTTP. Returns the dispose function that closes every client.
 */
export function startGraphqlWs(wss: WebSocketServer, options: GraphqlWsOptions): { dispose(): Promise<void> } {
  const { schema, platform, services, logger, limits, connections } = options;
  const sessions = new WeakMap<WebSocket, Session>();
  const refusals = new WeakMap<WebSocket, number>();
  const tooManySubscriptions = [
    new GraphQLError(
      `This connection already runs ${connections.maxSubscriptionsPerConnection} operations, the maximum. Complete one first, or open another connection.`,
      { extensions: { code: ERROR_CODES.TOO_MANY_SUBSCRIPTIONS, max: connections.maxSubscriptionsPerConnection } },
    ),
  ];
  const openByUser = new Map<string, number>();
  const rules = [...specifiedRules, createDepthLimitRule(limits.maxDepth)];

  const masked = (errors: readonly GraphQLError[], session: Session | undefined, id: string) =>
    errors.map((e) => {
      if (!isExpectedError(e))
        (session?.log ?? logger).error(
          { err: rootCause(e), operationId: id },
          "unexpected error in a GraphQL operation",
        );
      return maskError(e.toJSON(), e);
    });

  const server = useServer<Record<string, unknown>, { socket: WebSocket; request: IncomingMessage }>(
    {
      schema,
      onConnect: async (ctx) => {
        const requestId = options.requestIdOf(ctx.extra.request);
        const log = logger.child({ requestId, transport: "ws" });
        const header = ctx.connectionParams?.["authorization"] ?? ctx.connectionParams?.["Authorization"];
        const auth = await authenticate(platform.tokens, typeof header === "string" ? header : null, log);
        if (auth.viewer === null) {
          log.info({ reason: auth.authProblem.reason }, "refused a WebSocket connection");
          // graphql-ws would close with a bare "Forbidden"; say why (the reason must fit in 123 bytes).
          ctx.extra.socket.close(WS_FORBIDDEN, `Forbidden: ${auth.authProblem.reason}`);
          return false;
        }
        const socket = ctx.extra.socket;
        const userId = auth.viewer.userId;
        const open = openByUser.get(userId) ?? 0;
        if (open >= connections.maxConnectionsPerUser) {
          log.info({ userId, open }, "refused a WebSocket connection: too many for this user");
          socket.close(
            WS_TOO_MANY_CONNECTIONS,
            `Too many connections: at most ${connections.maxConnectionsPerUser} per user`,
          );
          return false;
        }
        openByUser.set(userId, open + 1);
        const session: Session = { viewer: auth.viewer, requestId, log };
        sessions.set(socket, session);

        const forbid = (reason: string) => {
          log.info({ reason }, "closing a WebSocket: its token no longer holds");
          if (socket.readyState === socket.OPEN) socket.close(WS_FORBIDDEN, `Forbidden: ${reason}`);
        };
        const token = String(header);
        const exp = tokenExpiry(token);
        const expiry =
          exp === null
            ? undefined
            : setTimeout(() => forbid("TOKEN_EXPIRED"), Math.min(MAX_TIMER_MS, Math.max(0, exp * 1000 - Date.now())));
        let checking = false;
        const reverify = setInterval(() => {
          if (checking) return;
          checking = true;
          authenticate(platform.tokens, token, log)
            .then((again) => {
              if (again.viewer === null) forbid(again.authProblem.reason);
              else if (again.viewer.userId !== userId) forbid("INVALID_TOKEN");
              else session.viewer = again.viewer;
            })
            .catch((err: unknown) => log.error({ err }, "re-verifying a WebSocket token failed"))
            .finally(() => void (checking = false));
        }, connections.reverifyMs);
        socket.once("close", () => {
          clearTimeout(expiry);
          clearInterval(reverify);
          const left = (openByUser.get(userId) ?? 1) - 1;
          if (left > 0) openByUser.set(userId, left);
          else openByUser.delete(userId);
        });
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const session = sessions.get(ctx.extra.socket);
        if (session === undefined)
          return [
            new GraphQLError("Unauthenticated", {
              extensions: { code: "UNAUTHENTICATED" },
            }),
          ];
        // This operation is already in ctx.subscriptions.
        const running = Object.keys(ctx.subscriptions).length;
        if (running > connections.maxSubscriptionsPerConnection) {
          // A client that keeps asking after being told is flooding: each refusal costs an error
          // frame on the event loop, so after a few the socket itself goes (graphql-ws does not retry 4429).
          const refused = (refusals.get(ctx.extra.socket) ?? 0) + 1;
          refusals.set(ctx.extra.socket, refused);
          if (refused > REFUSALS_BEFORE_CLOSE)
            ctx.extra.socket.close(WS_TOO_MANY_CONNECTIONS, "Too many subscriptions on one connection");
          // One error for every refusal: building a GraphQLError (a stack trace) per flooded frame costs more than the rest.
          return tooManySubscriptions;
        }
        const tooLarge = checkTokenCount(payload.query, limits.maxTokens);
        if (tooLarge !== null) return [tooLarge];
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: limits.maxTokens });
        } catch (e) {
          return [e instanceof GraphQLError ? e : new GraphQLError("Syntax error")];
        }
        const limitError = checkOperationLimits(document, payload.operationName, limits);
        if (limitError !== null) return [limitError];
        const errors = validate(schema, document, rules);
        if (errors.length > 0) return errors;
        const costError = checkQueryCost(schema, document, payload.operationName, payload.variables, limits.maxCost);
        if (costError !== null) return [costError];
        const contextValue: ApiContext = {
          requestId: session.requestId,
          logger: session.log.child({ operationId: id }),
          viewer: session.viewer,
          authProblem: null,
          services,
        };
        return {
          schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue,
        };
      },
      onOperation: (_ctx, _id, _payload, args, result) => {
        const op = args.document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
        const failed = "errors" in result && Array.isArray(result.errors) && result.errors.length > 0;
        options.countOperation(op && "operation" in op ? op.operation : "unknown", failed ? "error" : "ok");
      },
      onNext: (ctx, id, _payload, _args, result) => {
        if (!result.errors?.length) return;
        return {
          ...result,
          errors: masked(result.errors, sessions.get(ctx.extra.socket), id),
        };
      },
      onError: (ctx, id, _payload, errors) => masked(errors, sessions.get(ctx.extra.socket), id),
    },
    wss,
  );
  // graphql-ws answers a socket error (an oversized frame: ws closes it with 1009 itself) with a
  // console.error line per socket, which any client could make us print at will: log it instead.
  wss.on("connection", (socket: WebSocket) => {
    socket.removeAllListeners("error");
    socket.on("error", (err: Error) => logger.info({ err: err.message }, "WebSocket closed on a protocol error"));
  });
  return { dispose: async () => void (await server.dispose()) };
}
