import type Database from "better-sqlite3";
import { DomainError } from "@vp/domain";

/** Columns to set, in SQL, from a patch whose absent keys mean "leave unchanged". */
export interface Assignment {
  readonly column: string;
  readonly value: string | number | null;
}

/** Statuses from which `to` may be reached, according to a domain transition table. */
export function legalSources<S extends string>(table: Readonly<Record<S, readonly S[]>>, to: S): S[] {
  return (Object.keys(table) as S[]).filter((from) => table[from].includes(to));
}

/**
 * Explains why a conditional UPDATE touched no row, from the row as it is now. The caller's own
 * conditions are checked first: if they fail, its view is outdated (STALE_UPDATE) whatever the move.
 * When they hold and the move is legal, another writer got in between: also STALE_UPDATE.
 */
export function explainNoUpdate<S extends string>(args: {
  readonly kind: string;
  readonly id: string;
  readonly current:
    | {
        readonly status: S;
        readonly version: number;
        readonly attempts?: number;
      }
    | undefined;
  readonly when: {
    readonly status?: readonly S[];
    readonly version?: number;
    readonly attempts?: number;
  };
  readonly to: S | undefined;
  readonly table: Readonly<Record<S, readonly S[]>>;
}): DomainError {
  const { kind, id, current, when, to, table } = args;
  if (current === undefined) return new DomainError("NOT_FOUND", `${kind} ${id} not found`);
  const stale =
    (when.status !== undefined && !when.status.includes(current.status)) ||
    (when.version !== undefined && when.version !== current.version) ||
    (when.attempts !== undefined && when.attempts !== current.attempts);
  if (stale)
    return new DomainError(
      "STALE_UPDATE",
      `${kind} ${id} changed since it was read (now ${current.status}, version ${current.version})`,
    );
  if (to !== undefined && !table[current.status].includes(to))
    return new DomainError("ILLEGAL_TRANSITION", `${kind} ${id} cannot go from ${current.status} to ${to}`);
  return new DomainError("STALE_UPDATE", `${kind} ${id} changed while being updated`);
}

export const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
export const parseJson = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));
export const date = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));
export const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());

/**
 * One conditional UPDATE ... RETURNING for a versioned, status-carrying row: the caller's
 * conditions plus the transition table become the WHERE clause, so check and write are one
 * statement. When no row matches, the row as it is now explains why (see explainNoUpdate).
 */
export function conditionalUpdate<S extends string, R>(args: {
  readonly db: Database.Database;
  readonly table: "videos" | "jobs";
  readonly kind: string;
  readonly id: string;
  readonly set: readonly Assignment[];
  readonly when: { readonly status?: readonly S[]; readonly version?: number; readonly attempts?: number };
  readonly to: S | undefined;
  readonly transitions: Readonly<Record<S, readonly S[]>>;
}): R {
  const { db, table, kind, id, set, when, to, transitions } = args;
  const where: string[] = ["id = ?"];
  const params: Array<string | number> = [id];
  const statusIn = (statuses: readonly S[]) => {
    where.push(statuses.length === 0 ? "0" : `status IN (${statuses.map(() => "?").join(", ")})`);
    params.push(...statuses);
  };
  if (when.status !== undefined) statusIn(when.status);
  if (when.version !== undefined) {
    where.push("version = ?");
    params.push(when.version);
  }
  if (when.attempts !== undefined) {
    where.push("attempts = ?");
    params.push(when.attempts);
  }
  if (to !== undefined) statusIn(legalSources(transitions, to));
  const sql = `UPDATE ${table} SET ${set.map((a) => `${a.column} = ?`).join(", ")}, version = version + 1
               WHERE ${where.join(" AND ")} RETURNING *`;
  const row = db.prepare(sql).get(...set.map((a) => a.value), ...params) as R | undefined;
  if (row !== undefined) return row;
  const columns = when.attempts !== undefined ? "status, version, attempts" : "status, version";
  const current = db.prepare(`SELECT ${columns} FROM ${table} WHERE id = ?`).get(id) as
    { status: S; version: number; attempts?: number } | undefined;
  throw explainNoUpdate({ kind, id, current, when, to, table: transitions });
}
