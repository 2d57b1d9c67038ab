import "reflect-metadata";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import { serviceLimitsOf, type ApiConfig } from "../config.js";
import { serveMetrics, startMetricsServer, type Platform } from "@vp/platform";
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
import { FrameArchive } from "../frames/frame-archive.js";
import { frameRoute } from "../frames/frame-route.js";
import { frameUrlSecret } from "../frames/signing-secret.js";
import { cors } from "./cors.js";
import { graphqlLimitsMiddleware } from "./graphql-limits.js";
import { createHttpMetrics } from "./metrics.js";
import { requestIdFrom, requestInfo, requestInfoMiddleware } from "./request-info.js";
import { serveWebApp, uploadOriginsOf, webAppDir } from "./web-app.js";

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
  /** Static dir of the built web app, served at `/`; by default the one beside the bundle or in web/dist, null for none. */
  readonly webDir?: string | null;
  readonly onListening?: (url: string) => void;
}

export interface ApiServer {
  /** http://localhost:<port> */
  readonly url: string;
  readonly port: number;
  /** Port of the /metrics + /healthz server (VP_METRICS_PORT), when one runs. */
  readonly metricsPort: number | null;
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
  if (config.VP_BACKEND === "aws" && config.VP_URL_SIGNING_SECRET === undefined)
    logger.warn("VP_URL_SIGNING_SECRET is unset: frame URLs verify only on API processes sharing this data dir");
  // The origin is known only once listening when PORT is 0.
  let listeningUrl: string | null = null;
  const frames = new FrameArchive({
    archives: platform.blobs.archives,
    secret: await frameUrlSecret(config),
    baseUrl: () => config.publicUrl ?? listeningUrl ?? `http://localhost:${config.PORT}`,
  });
  const services = createServices({
    platform,
    frames,
    engine: deps.engine,
    limits: serviceLimitsOf(config),
    logger: logger.child({ component: "services" }),
  });
  const limits = {
    maxDepth: config.VP_GRAPHQL_MAX_DEPTH,
    maxCost: config.VP_GRAPHQL_MAX_COST,
    maxTokens: config.VP_GRAPHQL_MAX_TOKENS,
    maxAliases: config.VP_GRAPHQL_MAX_ALIASES,
    maxRootMutationFields: config.VP_GRAPHQL_MAX_ROOT_MUTATION_FIELDS,
    maxDirectives: config.VP_GRAPHQL_MAX_DIRECTIVES,
    introspection: config.VP_GRAPHQL_INTROSPECTION,
  };

  const app = express();
  app.disable("x-powered-by");
  // Node's own limits on slow clients (see README "Security"). requestTimeout covers a whole request,
  // body included, so it must let a large signed upload PUT finish: it is generous, and the blob
  // handler's minimum rate cuts slow upload bodies, the body deadline below every other slow body.
  const httpServer = createServer(
    {
      headersTimeout: config.VP_HTTP_HEADERS_TIMEOUT_SECONDS * 1000,
      requestTimeout: Math.max(config.VP_HTTP_REQUEST_TIMEOUT_SECONDS, config.VP_HTTP_HEADERS_TIMEOUT_SECONDS) * 1000,
      keepAliveTimeout: config.VP_HTTP_KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
      // Node checks the two timeouts above on this period (30 s by default): keep it under them.
      connectionsCheckingInterval: Math.min(1000, config.VP_HTTP_HEADERS_TIMEOUT_SECONDS * 500),
    },
    app,
  );
  httpServer.maxRequestsPerSocket = config.VP_HTTP_MAX_REQUESTS_PER_SOCKET;
  const wss = new WebSocketServer({
    server: httpServer,
    path: "/graphql",
    // Frames over this close the socket with 1009 before they are buffered or parsed.
    maxPayload: config.VP_WS_MAX_PAYLOAD_BYTES,
  });
  const ws = startGraphqlWs(wss, {
    schema,
    platform,
    services,
    logger,
    limits,
    connections: {
      maxSubscriptionsPerConnection: config.VP_WS_MAX_SUBSCRIPTIONS_PER_CONNECTION,
      maxConnectionsPerUser: config.VP_WS_MAX_CONNECTIONS_PER_USER,
      reverifyMs: config.VP_WS_REVERIFY_SECONDS * 1000,
    },
    requestIdOf: (request) => requestIdFrom(request.headers["x-request-id"]),
    countOperation: (type, outcome) => httpMetrics.countOperation(type, "ws", outcome),
  });

  const apollo = new ApolloServer<ApiContext>({
    schema,
    introspection: limits.introspection,
    // graphqlLimitsMiddleware counts tokens first, with its own error code; this is the backstop.
    parseOptions: { maxTokens: limits.maxTokens },
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
  app.use(bodyDeadline(config.VP_HTTP_BODY_TIMEOUT_SECONDS * 1000));
  app.use(cors);
  app.use((req, res, next) => {
    if (!req.path.startsWith("/blobs/")) return next();
    deps.blobHandler(req, res).then((handled) => (handled ? undefined : next()), next);
  });
  // Signed frame URLs: one frame out of a stored archive, by byte range (GET and HEAD).
  app.get("/frames/:token", frameRoute({ frames, jobs: platform.jobs, videos: platform.videos }));
  app.all(/^\/api\/v1\/accounts(\/.*)?$/, (req, res, next) => {
    deps.accountsHandler(req, res).catch(next);
  });
  app.get("/healthz", (_req, res) => {
    res.status(draining ? 503 : 200).json({ status: draining ? "draining" : "ok" });
  });
  // /metrics is not public: it lives on VP_METRICS_PORT, and here only behind VP_METRICS_TOKEN.
  const metricsToken = config.VP_METRICS_TOKEN;
  if (metricsToken !== undefined) {
    const metrics = serveMetrics(deps.metrics, { token: metricsToken });
    app.get("/metrics", (req, res) => metrics(req, res));
  }
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
    graphqlLimitsMiddleware(limits),
    expressMiddleware(apollo, {
      context: async ({ res }): Promise<ApiContext> => {
        const { requestId, log } = requestInfo(res);
        const auth = await authenticate(platform.tokens, res.req.headers.authorization, log);
        return { requestId, logger: log, ...auth, services };
      },
    }),
  );
  const webDir = deps.webDir === undefined ? webAppDir() : deps.webDir;
  if (webDir !== null) app.use(serveWebApp(webDir, { uploadOrigins: uploadOriginsOf(config, process.env) }));
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
  listeningUrl = url;
  const metricsServer =
    config.VP_METRICS_PORT === undefined
      ? null
      : await startMetricsServer(deps.metrics, {
          port: config.VP_METRICS_PORT,
          host: config.HOST,
          token: metricsToken,
          isHealthy: () => !draining,
        });
  logger.info({ url, graphql: `${url}/graphql`, metricsPort: metricsServer?.port ?? null }, "API listening");
  deps.onListening?.(url);

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    metricsPort: metricsServer?.port ?? null,
    close: () =>
      (closing ??= (async () => {
        draining = true;
        // The drain plugin stops accepting connections and waits for requests in flight;
        // the drain hook beside it closes the WebSocket clients.
        await apollo.stop();
        if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await metricsServer?.close();
        logger.info("API stopped");
      })()),
  };
}

/**
 * Every request but a blob upload (GraphQL, accounts: bodies of a few KB) must have its body in
 * within `ms` of its headers; else 408 and the connection is closed. Signed upload PUTs are left
 * to the blob handler's minimum rate and the server's requestTimeout.
 */
function bodyDeadline(ms: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path.startsWith("/blobs/")) return next();
    const timer = setTimeout(() => {
      if (req.complete) return;
      requestInfo(res).log.info({ timeoutMs: ms }, "request body too slow: closing the connection");
      if (!res.headersSent)
        res
          .status(408)
          .set("connection", "close")
          .json({ error: { code: "REQUEST_TIMEOUT", message: `The request body did not arrive within ${ms} ms.` } });
      res.once("finish", () => req.socket.destroy());
      if (res.headersSent && res.writableFinished) req.socket.destroy();
    }, ms);
    timer.unref();
    const clear = () => clearTimeout(timer);
    req.once("end", clear);
    res.once("close", clear);
    next();
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
