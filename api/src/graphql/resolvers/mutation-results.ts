import type { UserErrorData } from "../../services/index.js";

/** GraphQL lists are mutable arrays; the services' readonly paths are copied out. */
export const toUserErrors = (errors: readonly UserErrorData[]) =>
  errors.map((e) => ({
    field: e.field === null ? null : [...e.field],
    message: e.message,
    code: e.code,
  }));

export const badIdError = (field: readonly string[], what: "video" | "job"): UserErrorData => ({
  field,
  message: `No ${what} with this id exists.`,
  code: "NOT_FOUND",
});
