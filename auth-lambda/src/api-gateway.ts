import { isUtf8 } from "node:buffer";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** The part of API Gateway's HTTP API (payload format 2.0) event that our handlers read. */
export interface APIGatewayProxyEventV2 {
  readonly version: "2.0";
  readonly routeKey: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  /** Lowercased names; repeated headers joined with commas, as API Gateway does. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly cookies?: readonly string[];
  readonly requestContext: {
    readonly requestId: string;
    readonly http: {
      readonly method: string;
      readonly path: string;
      readonly protocol: string;
      readonly sourceIp: string;
      readonly userAgent: string;
    };
  };
  readonly body?: string;
  readonly isBase64Encoded: boolean;
}

export interface APIGatewayProxyStructuredResultV2 {
  readonly statusCode: number;
  readonly headers?: Readonly<Record<string, string | number | boolean>>;
  readonly cookies?: readonly string[];
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

export type ApiGatewayHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * A Node request as API Gateway would hand it to the Lambda, so the single-machine server runs
 * the very same handler. `sourceIp` is the socket peer: put a trusted proxy's address
 * translation in front of this if one is added.
 */
export function toApiGatewayEvent(req: IncomingMessage, body: Buffer): APIGatewayProxyEventV2 {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const rawPath = q < 0 ? url : url.slice(0, q);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === "cookie") continue;
    headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const cookieHeader = req.headers.cookie;
  const method = (req.method ?? "GET").toUpperCase();
  const text = body.length > 0 && isUtf8(body);
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString: q < 0 ? "" : url.slice(q + 1),
    headers,
    ...(cookieHeader ? { cookies: cookieHeader.split(/;\s*/).filter(Boolean) } : {}),
    requestContext: {
      requestId: typeof req.headers["x-request-id"] === "string" ? req.headers["x-request-id"] : randomUUID(),
      http: {
        method,
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? "unknown",
        userAgent: req.headers["user-agent"] ?? "",
      },
    },
    ...(body.length > 0 ? { body: text ? body.toString("utf8") : body.toString("base64") } : {}),
    isBase64Encoded: body.length > 0 && !text,
  };
}

export function sendApiGatewayResult(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  res.statusCode = result.statusCode;
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
  if (result.cookies && result.cookies.length > 0) res.setHeader("set-cookie", [...result.cookies]);
  const body =
    result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8");
  if (body) res.setHeader("content-length", body.length);
  res.end(body);
}

/**
 * Reads at most `maxBytes + 1` bytes of the request body (enough to know it is too large) and
 * stops there, so an oversized body costs no more than the limit.
 */
export async function readBodyCapped(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return Buffer.alloc(maxBytes + 1);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > maxBytes) break;
  }
  return Buffer.concat(chunks).subarray(0, maxBytes + 1);
}

/**
 * Mounts an API Gateway handler on a Node/Express route: `app.all("/api/v1/accounts/*path", toNodeHandler(h))`.
 * Express must not have consumed the body (no JSON body parser on this path).
 */
export function toNodeHandler(handler: ApiGatewayHandler, options: { maxBodyBytes: number }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const body = await readBodyCapped(req, options.maxBodyBytes);
      sendApiGatewayResult(res, await handler(toApiGatewayEvent(req, body)));
    } catch {
      // The handler answers its own errors; this is a broken socket or a bug. Never leave the request hanging.
      if (!res.headersSent)
        sendApiGatewayResult(res, {
          statusCode: 500,
          headers: { "content-type": "application/json" },
          body: '{"error":{"code":"INTERNAL","message":"Something went wrong."}}',
        });
      else res.destroy();
    }
  };
}
