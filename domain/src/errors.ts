/**
 * Every failure that crosses a module boundary is a DomainError with a stable code.
 * The API maps codes to GraphQL userErrors / HTTP statuses; nothing above the adapters
 * ever inspects a driver's own error type.
 */
export const ERROR_CODES = [
  "VALIDATION",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "CONFLICT",
  "STALE_UPDATE",
  "ILLEGAL_TRANSITION",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "INVALID_CREDENTIALS",
  "NOT_CONFIRMED",
  "CODE_MISMATCH",
  "WEAK_PASSWORD",
  "INVALID_EMAIL",
  "INVALID_TOKEN",
  "TOKEN_EXPIRED",
  "RATE_LIMITED",
  "PAYLOAD_TOO_LARGE",
  "SIZE_MISMATCH",
  "UPLOAD_MISSING",
  "INVALID_SIGNATURE",
  "URL_EXPIRED",
  "UNREADABLE_VIDEO",
  "QUOTA_EXCEEDED",
  "INTERNAL",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The input field the error is about, as a path (`["input", "sizeBytes"]`). */
    readonly field: readonly string[] | null = null,
  ) {
    super(message);
  }
}

export const isDomainError = (e: unknown, code?: ErrorCode): e is DomainError =>
  e instanceof DomainError && (code === undefined || e.code === code);

/** The codes a mutation can answer with in `userErrors` (a subset of the domain's ErrorCode). */
export const USER_ERROR_CODES = [
  "VALIDATION",
  "NOT_FOUND",
  "ILLEGAL_TRANSITION",
  "STALE_UPDATE",
  "UPLOAD_MISSING",
  "SIZE_MISMATCH",
  "PAYLOAD_TOO_LARGE",
  "UNREADABLE_VIDEO",
  /** A per-user limit (live jobs, jobs per hour, stored bytes): the message names it and its value. */
  "QUOTA_EXCEEDED",
] as const;
export type UserErrorCode = (typeof USER_ERROR_CODES)[number];
