import { DomainError, isDomainError, type ErrorCode } from "@vp/domain";
import { extractBearer, type IdentityProvider } from "@vp/platform";
import type { z } from "zod";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, ApiGatewayHandler } from "./api-gateway.js";
import { confirmBody, loginBody, logoutBody, refreshBody, signUpBody } from "./bodies.js";
import type { RateLimiter } from "./rate-limiter.js";

/** Structurally a pino logger; anything with these methods will do. */
export interface HandlerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface AccountsHandlerDeps {
  readonly identity: IdentityProvider;
  /** Keyed per route and client: `login:203.0.113.7`. */
  readonly rateLimiter: RateLimiter;
  readonly logger?: HandlerLogger;
  /** @default 8192 */
  readonly maxBodyBytes?: number;
}

export const ACCOUNTS_PREFIX = "/api/v1/accounts";
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024;

interface Route<S extends z.ZodType> {
  readonly schema: S;
  readonly status: number;
  /** An empty body reads as `{}` (logout may carry only a bearer token). */
  readonly emptyBodyAllowed?: boolean;
  run(identity: IdentityProvider, body: z.infer<S>, event: APIGatewayProxyEventV2): Promise<unknown>;
}
const route = <S extends z.ZodType>(r: Route<S>) => r;

/**
 * The one answer to every accepted sign-up, new address or taken: what happens next depends on
 * the server's configuration only, never on the address (a taken one gets a mail instead).
 */
export const signUpAccepted = (confirmationRequired: boolean) => ({
  status: "pending" as const,
  confirmationRequired,
  message: confirmationRequired
    ? "Check your email: we sent a 6-digit code to confirm the address (or, if it already has an account, a note saying so)."
    : "You can log in now. If the address already had an account, we emailed its owner and nothing was changed.",
});

const ROUTES = {
  signup: route({
    schema: signUpBody,
    status: 202,
    run: async (id, b) => {
      try {
        await id.signUp(b);
      } catch (e) {
        // A taken address answers like a new one; the provider spent the same time and mailed its owner.
        if (!isDomainError(e, "ALREADY_EXISTS")) throw e;
      }
      return signUpAccepted(id.requiresEmailConfirmation);
    },
  }),
  confirm: route({
    schema: confirmBody,
    status: 200,
    run: async (id, b) => (await id.confirm(b), { confirmed: true }),
  }),
  login: route({
    schema: loginBody,
    status: 200,
    run: (id, b) => id.signIn(b),
  }),
  refresh: route({
    schema: refreshBody,
    status: 200,
    run: (id, b) => id.refresh(b.refreshToken),
  }),
  logout: route({
    schema: logoutBody,
    status: 200,
    emptyBodyAllowed: true,
    run: async (id, b, event) => {
      const accessToken = extractBearer(event.headers.authorization) ?? undefined;
      if (b.refreshToken === undefined && accessToken === undefined)
        throw new DomainError(
          "VALIDATION",
          "Send the session's refreshToken in the body and/or its access token as Authorization: Bearer.",
        );
      // Idempotent and silent: an unknown or already ended session is signed out all the same.
      await id.signOut({ refreshToken: b.refreshToken, accessToken });
      return { signedOut: true };
    },
  }),
} as const;
type RouteName = keyof typeof ROUTES;

const STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  INVALID_EMAIL: 400,
  WEAK_PASSWORD: 400,
  CODE_MISMATCH: 400,
  INVALID_CREDENTIALS: 401,
  INVALID_TOKEN: 401,
  TOKEN_EXPIRED: 401,
  UNAUTHENTICATED: 401,
  NOT_CONFIRMED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
};

const BASE_HEADERS = {
  "content-type": "application/json; charset=utf-8",
  // Responses carry tokens: never cache them anywhere.
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { ...BASE_HEADERS, ...headers },
  body: JSON.stringify(body),
});
const fail = (
  statusCode: number,
  code: ErrorCode | "METHOD_NOT_ALLOWED",
  message: string,
  headers?: Record<string, string>,
) => json(statusCode, { error: { code, message } }, headers);

/** The accounts API as a plain function from an API Gateway v2 event to a response (Lambda and local server alike). */
export function createAccountsHandler(deps: AccountsHandlerDeps): ApiGatewayHandler {
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return async (event: APIGatewayProxyEventV2) => {
    const started = Date.now();
    const method = event.requestContext.http.method.toUpperCase();
    const path = (event.rawPath || event.requestContext.http.path).replace(/\/+$/, "");
    const name = path.startsWith(`${ACCOUNTS_PREFIX}/`) ? path.slice(ACCOUNTS_PREFIX.length + 1) : null;
    const result = await (async (): Promise<APIGatewayProxyStructuredResultV2> => {
      if (name === null || !Object.hasOwn(ROUTES, name))
        return fail(404, "NOT_FOUND", `No route ${method} ${path || "/"}.`);
      if (method !== "POST")
        return fail(405, "METHOD_NOT_ALLOWED", `Use POST for ${path}.`, {
          allow: "POST",
        });

      const limit = deps.rateLimiter.take(`${name}:${event.requestContext.http.sourceIp}`);
      if (!limit.allowed) {
        return fail(429, "RATE_LIMITED", `Too many requests; try again in ${limit.retryAfterSeconds} s.`, {
          "retry-after": String(limit.retryAfterSeconds),
        });
      }
      const r: Route<z.ZodType> = ROUTES[name as RouteName];
      const body = r.emptyBodyAllowed && !event.body ? {} : decodeBody(event, maxBodyBytes);
      if (body instanceof DomainError) return errorResult(body);
      return runRoute(deps.identity, r, body, event).catch((e: unknown) => errorResult(e, deps.logger, event));
    })();
    deps.logger?.info(
      {
        requestId: event.requestContext.requestId,
        route: name,
        method,
        status: result.statusCode,
        ms: Date.now() - started,
      },
      "accounts request",
    );
    return result;
  };
}

async function runRoute(
  identity: IdentityProvider,
  r: Route<z.ZodType>,
  body: unknown,
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  const parsed = r.schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".");
    const message =
      issue?.code === "invalid_type" && issue.input === undefined && field ? `${field} is required` : issue?.message;
    return fail(400, "VALIDATION", message ?? "The request body is invalid.");
  }
  return json(r.status, await r.run(identity, parsed.data, event));
}

function decodeBody(event: APIGatewayProxyEventV2, maxBytes: number): unknown {
  const raw = event.body ?? "";
  // Refuse by the encoded size first, before decoding anything huge.
  const tooLarge = () => new DomainError("PAYLOAD_TOO_LARGE", `The request body must be at most ${maxBytes} bytes.`);
  if (raw.length > (event.isBase64Encoded ? Math.ceil(maxBytes / 3) * 4 + 4 : maxBytes * 4)) return tooLarge();
  const bytes = Buffer.from(raw, event.isBase64Encoded ? "base64" : "utf8");
  if (bytes.length > maxBytes) return tooLarge();
  if (bytes.length === 0) return new DomainError("VALIDATION", "The request body must be a JSON object.");
  try {
    return JSON.parse(bytes.toString("utf8")) as unknown;
  } catch {
    return new DomainError("VALIDATION", "The request body is not valid JSON.");
  }
}

function errorResult(
  e: unknown,
  logger?: HandlerLogger,
  event?: APIGatewayProxyEventV2,
): APIGatewayProxyStructuredResultV2 {
  const status = isDomainError(e) ? STATUS[e.code] : undefined;
  if (isDomainError(e) && status !== undefined) return fail(status, e.code, e.message);
  // Anything else is ours to fix, not the caller's: log it, say little.
  logger?.error({ err: e, requestId: event?.requestContext.requestId }, "accounts handler failed");
  return fail(500, "INTERNAL", isDomainError(e) ? e.message : "Something went wrong; try again later.");
}
