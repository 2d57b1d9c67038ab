import type { Platform } from "@vp/platform";
import type { Principal } from "@vp/platform";
import { extractBearer } from "@vp/platform";
import { isDomainError } from "@vp/domain";
import type { Logger } from "pino";
import type { Services } from "../services/index.js";

export type AuthProblem =
  | { readonly reason: "MISSING_TOKEN"; readonly message: string }
  | { readonly reason: "INVALID_TOKEN"; readonly message: string }
  | { readonly reason: "TOKEN_EXPIRED"; readonly message: string };

/** What every resolver receives; built per HTTP request and per WebSocket operation. */
export interface ApiContext {
  readonly requestId: string;
  readonly logger: Logger;
  /** Null when the request carries no valid token; `authProblem` then says why. */
  readonly viewer: Principal | null;
  readonly authProblem: AuthProblem | null;
  /** Everything resolvers do goes through the services; they never reach the platform themselves. */
  readonly services: Services;
}

export type AuthOutcome =
  | { readonly viewer: Principal; readonly authProblem: null }
  | { readonly viewer: null; readonly authProblem: AuthProblem };

/** `Bearer <token>` (or the bare token, as GraphiQL users paste it) verified through the platform's verifier. */
export async function authenticate(
  tokens: Platform["tokens"],
  authorization: string | undefined | null,
  logger: Logger,
): Promise<AuthOutcome> {
  const raw = authorization?.trim();
  if (!raw)
    return {
      viewer: null,
      authProblem: {
        reason: "MISSING_TOKEN",
        message: "Sign in: this operation needs an access token (Authorization: Bearer <token>).",
      },
    };
  const token = extractBearer(raw) ?? (/^[\w-]+\.[\w-]+\.[\w-]+$/.test(raw) ? raw : null);
  if (token === null)
    return {
      viewer: null,
      authProblem: {
        reason: "INVALID_TOKEN",
        message: "The Authorization header must be `Bearer <access token>`.",
      },
    };
  try {
    return { viewer: await tokens.verify(token), authProblem: null };
  } catch (e) {
    if (isDomainError(e, "TOKEN_EXPIRED"))
      return {
        viewer: null,
        authProblem: {
          reason: "TOKEN_EXPIRED",
          message: "The access token has expired: refresh it and try again.",
        },
      };
    if (!isDomainError(e, "INVALID_TOKEN")) logger.error({ err: e }, "token verification failed unexpectedly");
    return {
      viewer: null,
      authProblem: {
        reason: "INVALID_TOKEN",
        message: "The access token is not valid.",
      },
    };
  }
}
