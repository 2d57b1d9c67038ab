import { DomainError, MAX_PAGE_SIZE, type Page } from "@vp/domain";

/** Position after which the next newest-first page starts. */
export interface Keyset {
  readonly createdAt: number;
  readonly id: string;
}

/** Cursors are opaque to clients: base64url of the keyset, checked strictly on the way back in. */
export const encodeCursor = (k: Keyset): string =>
  Buffer.from(JSON.stringify([k.createdAt, k.id]), "utf8").toString("base64url");

export function decodeCursor(cursor: string): Keyset {
  const bad = () => new DomainError("VALIDATION", "after is not a cursor of this listing", ["after"]);
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw bad();
  const [createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== "number" || !Number.isSafeInteger(createdAt) || typeof id !== "string" || id.length === 0)
    throw bad();
  return { createdAt, id };
}

export function checkPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE)
    throw new DomainError("VALIDATION", `first must be a whole number from 1 to ${MAX_PAGE_SIZE}`, ["first"]);
}

/** Rows were fetched with LIMIT first+1: the extra row only tells whether another page exists. */
export function toPage<R, T>(rows: readonly R[], first: number, keyOf: (r: R) => Keyset, map: (r: R) => T): Page<T> {
  const hasNextPage = rows.length > first;
  const pageRows = rows.slice(0, first);
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(map),
    hasNextPage,
    endCursor: last === undefined ? null : encodeCursor(keyOf(last)),
  };
}

/** SQL fragment and parameters selecting rows strictly older than the cursor, newest first. */
export function afterClause(after: string | null | undefined): {
  sql: string;
  params: Array<number | string>;
} {
  if (after === undefined || after === null) return { sql: "", params: [] };
  const k = decodeCursor(after);
  return {
    sql: " AND (created_at < ? OR (created_at = ? AND id < ?))",
    params: [k.createdAt, k.createdAt, k.id],
  };
}

/** Bounds a batch read that is not a client-facing page (e.g. the reconciler's scan). */
export function checkLimit(limit: number, max = 1000): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    throw new DomainError("VALIDATION", `limit must be a whole number from 1 to ${max}`, ["limit"]);
}
