import "reflect-metadata";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import type { ApiConfig } from "../config.js";
import type { Platform } from "@vp/platform";
import express, { type NextFunction, type Request, type Response } from "express";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { WebSocketServer } from "ws";
import { costLimitPlugin, errorLoggingPlugin, operationMetricsPlugin } from "../graphql/apollo-plugins.js";
import { buildApiSchema } from "../graphql/build-schema.js";
import { authenticate, type ApiContext } from "../graphql/context.js";
import { maskError } from "../graphql/errors.js";
import { createDepthLimitRule } from "../graphql/limits/depth-limit.rule.js";
import { startGraphqlWs } from "../graphql/ws-server.js";
import { createServices, type ExtractionEngine } from "../services/index.js";
import { cors } from "./cors.js";
import { createHttpMetrics } from "./metrics.js";
import { requestIdFrom, requestInfo, requestInfoMiddleware } from "./request-info.js";

export interface ApiServerDeps {
  readonly platform: Platform;
  readonly config: ApiConfig;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly engine: ExtractionEngine;
  /** Mounted at /api/v1/accounts/*. */
  readonly accountsHandler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Tried first for /blobs/*; answers false when the request is not one of its URLs. */
  readonly blobHandler: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** Served at GET /.well-known/jwks.json when tokens are ours (Cognito serves its own). */
  readonly jwks?: () => object;
  /** Static dir of the bundled GraphiQL: its index.html answers browser GETs of /graphql, its assets live under /graphiql/. */
  readonly graphiqlDir?: string;
  readonly onListening?: (url: string) => void;
}

export interface ApiServer {
  /** http://localhost:<port> */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, closes WebSocket clients, lets in-flight requests finish, stops Apollo. */
  close(): Promise<void>;
}

/** GraphQL bodies are small; uploads never pass through here (they go to the signed blob URL). */
const GRAPHQL_BODY_LIMIT = "1mb";

/**
 * The API process's HTTP server: GraphQL over HTTP and graphql-ws on one port at /graphql,
 * the accounts routes, the signed blob URLs, JWKS, health, metrics and the offline GraphiQL.
 *
 * Authentication failures are GraphQL errors with extensions.code UNAUTHENTICATED (and
 * extensions.reason MISSING_TOKEN | INVALID_TOKEN | TOKEN_EXPIRED) on HTTP 200, as
 * GraphQL-over-HTTP has it; a WebSocket without a valid token is closed with 4403.
 */
export async function startApiServer(deps: ApiServerDeps): Promise<ApiServer> {
  const { platform, config, logger } = deps;
  const schema = await buildApiSchema();
  const httpMetrics = createHttpMetrics(deps.metrics, platform.extractionQueue);
  const services = createServices({
    platform,
    engine: deps.engine,
    limits: {
      maxUploadBytes: config.VP_MAX_UPLOAD_BYTES,
      maxFrames: config.VP_MAX_FRAMES,
    },
    logger: logger.child({ component: "services" }),
  });
  const limits = {
    maxDepth: config.VP_GRAPHQL_MAX_DEPTH,
    maxCost: config.VP_GRAPHQL_MAX_COST,
  };

  const app = express();
  app.disable("x-powered-by");
  const httpServer = createServer(app);
  const wss = new WebSocketServer({ server: httpServer, path: "/graphql" });
  const ws = startGraphqlWs(wss, {
    schema,
    platform,
    services,
    logger,
    limits,
    requestIdOf: (request) => requestIdFrom(request.headers["x-request-id"]),
    countOperation: (type, outcome) => httpMetrics.countOperation(type, "ws", outcome),
  });

  const apollo = new ApolloServer<ApiContext>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // The composition root owns shutdown order (HTTP, then jobs, then storage); Apollo's own
    // signal handler would stop it mid-drain and re-raise the signal.
    stopOnTerminationSignals: false,
    validationRules: [createDepthLimitRule(limits.maxDepth)],
    formatError: maskError,
    logger: logger.child({ component: "apollo" }),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginDrainHttpServer({
        httpServer,
        stopGracePeriodMillis: 5000,
      }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await ws.dispose();
            },
          };
        },
      },
      costLimitPlugin(limits.maxCost),
      errorLoggingPlugin(),
      operationMetricsPlugin((type, outcome) => httpMetrics.countOperation(type, "http", outcome)),
    ],
  });
  await apollo.start();

  let draining = false;
  app.use(requestInfoMiddleware(logger, httpMetrics));
  app.use(cors);
  app.use((req, res, next) => {
    if (!req.path.startsWith("/blobs/")) return next();
    deps.blobHandler(req, res).then((handled) => (handled ? undefined : next()), next);
  });
  app.all(/^\/api\/v1\/accounts(\/.*)?$/, (req, res, next) => {
    deps.accountsHandler(req, res).catch(next);
  });
  app.get("/healthz", (_req, res) => {
    res.status(draining ? 503 : 200).json({ status: draining ? "draining" : "ok" });
  });
  app.get("/metrics", async (_req, res, next) => {
    try {
      const body = await deps.metrics.metrics();
      res.setHeader("Content-Type", deps.metrics.contentType);
      res.send(body);
    } catch (e) {
      next(e);
    }
  });
  const jwks = deps.jwks;
  if (jwks !== undefined) {
    app.get("/.well-known/jwks.json", (_req, res) => {
      res.setHeader("Cache-Control", "public, max-age=300");
      res.json(jwks());
    });
  }
  if (deps.graphiqlDir !== undefined) {
    const dir = deps.graphiqlDir;
    app.get("/graphql", (req, res, next) => {
      // Browsers navigating here get the playground; GraphQL clients (GET with Accept JSON) get GraphQL.
      if (req.accepts(["application/json", "application/graphql-response+json", "text/html"]) !== "text/html")
        return next();
      // `root`, not a joined path: send refuses paths with a dot-folder in them (a checkout under ~/.local).
      res.sendFile("index.html", { root: dir });
    });
    app.use("/graphiql", express.static(dir, { index: false, fallthrough: false }));
  }
  app.use(
    "/graphql",
    express.json({ limit: GRAPHQL_BODY_LIMIT }),
    expressMiddleware(apollo, {
      context: async ({ res }): Promise<ApiContext> => {
        const { requestId, log } = requestInfo(res);
        const auth = await authenticate(platform.tokens, res.req.headers.authorization, log);
        return { requestId, logger: log, ...auth, services, platform };
      },
    }),
  );
  app.use((req, res) => {
    res.status(404).json({
      error: {
        code: "NOT_FOUND",
        message: `Nothing at ${req.method} ${req.path}`,
      },
    });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = httpStatusOf(err);
    if (status >= 500) requestInfo(res).log.error({ err }, "request failed");
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body =
      status === 413
        ? {
            code: "PAYLOAD_TOO_LARGE",
            message: `The request body is over ${GRAPHQL_BODY_LIMIT}.`,
          }
        : status < 500
          ? { code: "BAD_REQUEST", message: "The request could not be read." }
          : { code: "INTERNAL_SERVER_ERROR", message: "Internal server error" };
    res.status(status).json({ error: body });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.PORT, config.HOST, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  logger.info({ url, graphql: `${url}/graphql` }, "API listening");
  deps.onListening?.(url);

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    close: () =>
      (closing ??= (async () => {
        draining = true;
        // The drain plugin stops accepting connections and waits for requests in flight;
        // the drain hook beside it closes the WebSocket clients.
        await apollo.stop();
        if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        logger.info("API stopped");
      })()),
  };
}

function httpStatusOf(err: unknown): number {
  if (typeof err === "object" && err !== null) {
    const status =
      (err as { status?: unknown; statusCode?: unknown }).status ?? (err as { statusCode?: unknown }).statusCode;
    if (typeof status === "number" && status >= 400 && status < 600) return status;
  }
  return 500;
}
