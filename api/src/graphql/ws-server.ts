import type { IncomingMessage } from "node:http";
import type { Platform } from "@vp/platform";
import type { Principal } from "@vp/platform";
import { GraphQLError, Kind, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import type { Logger } from "pino";
import type { WebSocket, WebSocketServer } from "ws";
import type { Services } from "../services/index.js";
import { authenticate, type ApiContext } from "./context.js";
import { isExpectedError, maskError, rootCause } from "./errors.js";
import { createDepthLimitRule } from "./limits/depth-limit.rule.js";
import { checkQueryCost } from "./limits/query-cost.js";

interface Session {
  readonly viewer: Principal;
  readonly requestId: string;
  readonly log: Logger;
}

export interface GraphqlWsOptions {
  readonly schema: GraphQLSchema;
  readonly platform: Pick<Platform, "tokens" | "videos" | "jobs" | "blobs" | "events">;
  readonly services: Services;
  readonly logger: Logger;
  readonly limits: { readonly maxDepth: number; readonly maxCost: number };
  readonly requestIdOf: (request: IncomingMessage) => string;
  readonly countOperation: (type: string, outcome: "ok" | "error") => void;
}

/** Close code for a connection whose token is missing or invalid. graphql-ws clients retry 4403 (a fresh token may help). */
export const WS_FORBIDDEN = 4403;

/**
 * graphql-ws on the given WebSocketServer: the token travels in `connectionParams.authorization`
 * and is checked once, at connection; operations get the same validation (depth), cost limit
 * and error masking as HTTP. Returns the dispose function that closes every client.
 */
export function startGraphqlWs(wss: WebSocketServer, options: GraphqlWsOptions): { dispose(): Promise<void> } {
  const { schema, platform, services, logger, limits } = options;
  const sessions = new WeakMap<WebSocket, Session>();
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
        sessions.set(ctx.extra.socket, { viewer: auth.viewer, requestId, log });
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
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (e) {
          return [e instanceof GraphQLError ? e : new GraphQLError("Syntax error")];
        }
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
          platform,
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
  return { dispose: async () => void (await server.dispose()) };
}
