import type { NextFunction, Request, Response } from "express";

/**
 * Browser clients on other origins (a web app, GraphiQL served elsewhere) call the API with
 * a bearer token, never cookies, so any origin may call: credentials are not allowed.
 */
export function cors(req: Request, res: Response, next: NextFunction): void {
  res.setHeader("Access-Control-Allow-Origin", "*");
  res.setHeader("Access-Control-Expose-Headers", "x-request-id");
  if (req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined) {
    res.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, OPTIONS");
    res.setHeader(
      "Access-Control-Allow-Headers",
      req.headers["access-control-request-headers"] ??
        "Authorization, Content-Type, x-request-id, apollo-require-preflight",
    );
    res.setHeader("Access-Control-Max-Age", "600");
    res.statusCode = 204;
    res.end();
    return;
  }
  next();
}
