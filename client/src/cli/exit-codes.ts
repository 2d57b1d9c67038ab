import { GraphQLRequestError, HttpError, NetworkError, UserErrorsError } from "../sdk/index.js";
import { EXIT, UsageError, type ExitCode } from "./io.js";

/** The user must (re)authenticate: not logged in, or the session can no longer be refreshed. */
export class NotLoggedInError extends Error {
  override readonly name = "NotLoggedInError";
}

/** A job ended FAILED or CANCELLED. */
export class JobFailedError extends Error {
  override readonly name = "JobFailedError";
}

const SERVER_SIDE_GRAPHQL = new Set([
  "INTERNAL_SERVER_ERROR",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "GRAPHQL_ERROR",
]);

/**
 * 0 success; 1 failed: the job failed, or the server refused (wrong password, not a video, not
 * found, not logged in); 2 usage error (also options the server refuses as invalid);
 * 3 server or network error (unreachable, 5xx, an answer we cannot use).
 */
export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof UsageError) return EXIT.USAGE;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) return EXIT.USAGE;
  if (err instanceof NetworkError) return EXIT.SERVER;
  if (err instanceof HttpError) return err.status >= 500 || err.status === 0 ? EXIT.SERVER : EXIT.FAILED;
  if (err instanceof UserErrorsError) return err.code === "VALIDATION" ? EXIT.USAGE : EXIT.FAILED;
  if (err instanceof GraphQLRequestError) {
    if (err.code === "BAD_USER_INPUT") return EXIT.USAGE;
    return SERVER_SIDE_GRAPHQL.has(err.code) ? EXIT.SERVER : EXIT.FAILED;
  }
  return EXIT.FAILED;
}

/** The one line on stderr: what went wrong, with the server's code when there is one. */
export function describeError(err: unknown): string {
  return oneLine(describe(err));
}

/** parseArgs and some servers answer in several lines; stderr gets one. */
const oneLine = (text: string): string =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join(" ");

function describe(err: unknown): string {
  if (err instanceof GraphQLRequestError && err.code === "UNAUTHENTICATED")
    return `not logged in or the session expired: run vproc login (${err.message})`;
  if (err instanceof UserErrorsError || err instanceof HttpError || err instanceof GraphQLRequestError)
    return `${err.message.replace(/\.$/, "")} (${err.code})`;
  if (err instanceof Error) return err.message;
  return String(err);
}
