import { isDomainError } from "@vp/domain";
import { GraphQLError, type GraphQLFormattedError } from "graphql";

/** `extensions.code` values the API answers with on purpose (besides graphql-js and Apollo's own). */
export const ERROR_CODES = {
  UNAUTHENTICATED: "UNAUTHENTICATED",
  BAD_USER_INPUT: "BAD_USER_INPUT",
  NOT_FOUND: "NOT_FOUND",
  QUERY_TOO_DEEP: "QUERY_TOO_DEEP",
  QUERY_TOO_COSTLY: "QUERY_TOO_COSTLY",
  INTROSPECTION_TOO_COSTLY: "INTROSPECTION_TOO_COSTLY",
  INTROSPECTION_DISABLED: "INTROSPECTION_DISABLED",
  /** More lexical tokens than VP_GRAPHQL_MAX_TOKENS. */
  QUERY_TOO_LARGE: "QUERY_TOO_LARGE",
  TOO_MANY_ALIASES: "TOO_MANY_ALIASES",
  TOO_MANY_ROOT_MUTATION_FIELDS: "TOO_MANY_ROOT_MUTATION_FIELDS",
  TOO_MANY_DIRECTIVES: "TOO_MANY_DIRECTIVES",
  /** graphql-ws: more operations at once on one connection than VP_WS_MAX_SUBSCRIPTIONS_PER_CONNECTION. */
  TOO_MANY_SUBSCRIPTIONS: "TOO_MANY_SUBSCRIPTIONS",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;

export const badUserInput = (message: string, argument?: string): GraphQLError =>
  new GraphQLError(message, {
    extensions: {
      code: ERROR_CODES.BAD_USER_INPUT,
      ...(argument ? { argument } : {}),
    },
  });

export const notFoundError = (message: string): GraphQLError =>
  new GraphQLError(message, { extensions: { code: ERROR_CODES.NOT_FOUND } });

/** The innermost error: graphql-js and Apollo wrap what resolvers and rules throw. */
export function rootCause(error: unknown): unknown {
  let current = error;
  for (let i = 0; i < 10; i++) {
    if (!(current instanceof GraphQLError) || current.originalError === undefined || current.originalError === null)
      return current;
    current = current.originalError;
  }
  return current;
}

/**
 * Whether an error may be shown to clients as it is. GraphQLErrors are deliberate (ours, graphql-js's
 * parse/validation/coercion errors, Apollo's request errors); everything else is a bug or an outage.
 */
export function isExpectedError(error: unknown): boolean {
  const cause = rootCause(error);
  if (isDomainError(cause, "VALIDATION") || isDomainError(cause, "NOT_FOUND")) return true;
  return cause instanceof GraphQLError && cause.extensions["code"] !== ERROR_CODES.INTERNAL_SERVER_ERROR;
}

/**
 * What clients see of an error: deliberate ones as they are (with their own code restored where
 * a wrapper replaced it), unexpected ones as "Internal server error" with no message, stack or cause.
 */
export function maskError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const cause = rootCause(error);
  const where = {
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
  if (isDomainError(cause, "VALIDATION"))
    return {
      message: cause.message,
      ...where,
      extensions: {
        code: ERROR_CODES.BAD_USER_INPUT,
        ...(cause.field ? { field: cause.field } : {}),
      },
    };
  if (isDomainError(cause, "NOT_FOUND"))
    return {
      message: cause.message,
      ...where,
      extensions: { code: ERROR_CODES.NOT_FOUND },
    };
  if (isExpectedError(error)) {
    const {
      stacktrace: _stack,
      exception: _exception,
      http: _http,
      ...extensions
    } = {
      ...(formatted.extensions ?? {}),
      ...(cause instanceof GraphQLError ? cause.extensions : {}),
    } as Record<string, unknown>;
    return { message: formatted.message, ...where, extensions };
  }
  return {
    message: "Internal server error",
    ...where,
    extensions: { code: ERROR_CODES.INTERNAL_SERVER_ERROR },
  };
}
