import type { FieldProblem } from "@vp/domain";
import type { UserErrorCode } from "@vp/domain";

/** A refusal a client can act on; `field` is a path into the mutation's arguments. */
export interface UserErrorData {
  readonly field: readonly string[] | null;
  readonly message: string;
  readonly code: UserErrorCode;
}

export const userError = (
  code: UserErrorCode,
  message: string,
  field: readonly string[] | null = null,
): UserErrorData => ({
  field,
  message,
  code,
});

export const notFound = (what: "video" | "job", field: readonly string[]): UserErrorData =>
  userError("NOT_FOUND", `No ${what} with this id exists.`, field);

/** Option problems come with paths relative to the options object; root them at the mutation input. */
export const optionProblems = (problems: readonly FieldProblem[], root: readonly string[]): UserErrorData[] =>
  problems.map((p) => userError("VALIDATION", p.message, [...root, ...p.field]));
