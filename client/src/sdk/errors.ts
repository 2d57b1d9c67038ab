/** Every error the sdk throws on purpose; `code` is stable and machine-readable. */
export abstract class ClientError extends Error {
  abstract readonly code: string;
}

export interface GraphQLErrorEntry {
  readonly message: string;
  readonly path?: ReadonlyArray<string | number>;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** The server answered, but with GraphQL errors (UNAUTHENTICATED, BAD_USER_INPUT, ...). */
export class GraphQLRequestError extends ClientError {
  override readonly name = "GraphQLRequestError";
  /** extensions.code of the first error, or GRAPHQL_ERROR when it has none. */
  readonly code: string;
  readonly codes: readonly string[];
  constructor(
    readonly errors: readonly GraphQLErrorEntry[],
    /** HTTP status when the errors came over HTTP. */
    readonly status?: number,
  ) {
    super(errors.map((e) => e.message).join("; ") || "GraphQL request failed");
    this.codes = errors.map((e) =>
      typeof e.extensions?.["code"] === "string" ? e.extensions["code"] : "GRAPHQL_ERROR",
    );
    this.code = this.codes[0] ?? "GRAPHQL_ERROR";
  }
}

/** The server could not be reached, or answered something that is not the API (connection refused, 502 page, reset). */
export class NetworkError extends ClientError {
  override readonly name = "NetworkError";
  readonly code = "NETWORK";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface UserErrorEntry {
  readonly code: string;
  readonly message: string;
  readonly field?: readonly string[] | null;
}

/** A mutation refused its input (the payload's userErrors). */
export class UserErrorsError extends ClientError {
  override readonly name = "UserErrorsError";
  readonly code: string;
  constructor(
    readonly operation: string,
    readonly userErrors: readonly UserErrorEntry[],
    /** The whole payload (e.g. the REJECTED video beside UNREADABLE_VIDEO). */
    readonly payload?: unknown,
  ) {
    super(
      userErrors.map((e) => (e.field?.length ? `${e.field.join(".")}: ${e.message}` : e.message)).join("; ") ||
        `${operation} refused`,
    );
    this.code = userErrors[0]?.code ?? "USER_ERROR";
  }
}

/** A REST call (accounts, upload target, download) answered with an HTTP error: `{ error: { code, message } }`. */
export class HttpError extends ClientError {
  override readonly name = "HttpError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The parsed body, when it was JSON. */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/** Reads `{ error: { code, message } }`, falling back to the status line. */
export function httpErrorFrom(status: number, statusText: string, text: string): HttpError {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof body.error?.code === "string" ? body.error.code : `HTTP_${status}`;
    const message = typeof body.error?.message === "string" ? body.error.message : `HTTP ${status} ${statusText}`;
    return new HttpError(status, code, message, body);
  } catch {
    return new HttpError(status, `HTTP_${status}`, `HTTP ${status} ${statusText}`.trim());
  }
}

/** fetch() rejects with a TypeError whose cause says why ("ECONNREFUSED 127.0.0.1:4000"). */
export function networkErrorFrom(url: string, err: unknown): NetworkError {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  return new NetworkError(`cannot reach ${new URL(url).origin} (${why})`, { cause: err });
}
