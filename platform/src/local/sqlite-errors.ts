import { DomainError } from "@vp/domain";

/** better-sqlite3 reports constraint failures as SqliteError with a `code` string. */
export const isUniqueViolation = (e: unknown): boolean =>
  typeof e === "object" &&
  e !== null &&
  "code" in e &&
  (e.code === "SQLITE_CONSTRAINT_PRIMARYKEY" || e.code === "SQLITE_CONSTRAINT_UNIQUE");

export const alreadyExists = (what: string, id: string): DomainError =>
  new DomainError("ALREADY_EXISTS", `${what} ${id} already exists`);
