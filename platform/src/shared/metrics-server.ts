import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What is needed of a prom-client Registry (platform does not depend on prom-client). */
export interface MetricsRegistry {
  metrics(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsEndpointOptions {
  /** When set, /metrics answers 401 unless the request carries `Authorization: Bearer <token>`. */
  readonly token?: string | undefined;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void =>
  void res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));

function bearerMatches(authorization: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Answers GET /metrics from the registry (behind the bearer token when one is configured). */
export function serveMetrics(
  registry: MetricsRegistry,
  options: MetricsEndpointOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (options.token !== undefined && !bearerMatches(req.headers.authorization, options.token)) {
      json(
        res,
        401,
        { error: { code: "UNAUTHENTICATED", message: "/metrics needs Authorization: Bearer <VP_METRICS_TOKEN>." } },
        { "www-authenticate": 'Bearer realm="metrics"' },
      );
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { "content-type": registry.contentType }).end(body),
      () => json(res, 500, { error: { code: "INTERNAL_SERVER_ERROR", message: "Internal server error" } }),
    );
  };
}

/**
 * `/metrics` and `/healthz` on a port of their own, for every role: a worker-only process
 * (`VP_METRICS_PORT`), and the API, whose public port does not serve /metrics by default.
 */
export async function startMetricsServer(
  registry: MetricsRegistry,
  options: MetricsEndpointOptions & {
    readonly port: number;
    readonly host: string;
    readonly isHealthy: () => boolean;
  },
): Promise<{ readonly port: number; close(): Promise<void> }> {
  const metrics = serveMetrics(registry, options);
  const server = createServer(
    // Scrapers and probes send small requests: no reason to wait long for them.
    { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 },
    (req, res) => {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      if (req.method === "GET" && path === "/metrics") metrics(req, res);
      else if (req.method === "GET" && path === "/healthz") {
        const ok = options.isHealthy();
        json(res, ok ? 200 : 503, { status: ok ? "ok" : "draining" });
      } else json(res, 404, { error: { code: "NOT_FOUND", message: "Not found" } });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
