import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import type { HttpMetrics } from "./metrics.js";

export interface RequestInfo {
  readonly requestId: string;
  readonly log: Logger;
}

const infos = new WeakMap<Response, RequestInfo>();

/** The request's id and logger, set by `requestInfoMiddleware`. */
export function requestInfo(res: Response): RequestInfo {
  const info = infos.get(res);
  if (info === undefined) throw new Error("requestInfoMiddleware is not installed");
  return info;
}

/** A caller's id is kept when it looks like one (so traces join up), else a fresh one is made. */
export const requestIdFrom = (header: string | string[] | undefined): string =>
  typeof header === "string" && /^[A-Za-z0-9._:-]{1,128}$/.test(header) ? header : randomUUID();

/** Coarse route labels: metric cardinality must not depend on what clients send. */
export function routeLabel(path: string): string {
  if (path === "/graphql") return "/graphql";
  if (path.startsWith("/graphiql/")) return "/graphiql";
  if (path.startsWith("/blobs/")) return "/blobs";
  if (path.startsWith("/frames/")) return "/frames";
  if (path.startsWith("/api/v1/accounts")) return "/api/v1/accounts";
  if (path === "/healthz" || path === "/metrics" || path === "/.well-known/jwks.json") return path;
  return "other";
}

/**
 * Request id in (`x-request-id`) and out, a child logger carrying it, one JSON log line and
 * the metrics per request. The path is logged without its query: signed URLs carry secrets there.
 */
export function requestInfoMiddleware(logger: Logger, metrics: HttpMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    // Read now: mounted routers rewrite req.url while they run. A frame URL's path is its token: not logged.
    const path = req.path.startsWith("/frames/") ? "/frames/<token>" : req.path;
    const requestId = requestIdFrom(req.headers["x-request-id"]);
    const log = logger.child({ requestId });
    infos.set(res, { requestId, log });
    res.setHeader("x-request-id", requestId);
    res.on("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(path);
      metrics.observeRequest(req.method, route, res.statusCode, seconds);
      if (route === "/healthz" || route === "/metrics") return;
      log.info(
        {
          method: req.method,
          path,
          status: res.statusCode,
          durationMs: Math.round(seconds * 1000),
        },
        "request",
      );
    });
    next();
  };
}
