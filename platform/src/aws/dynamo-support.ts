import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { DomainError, MAX_PAGE_SIZE, type Page } from "@vp/domain";
import { explainNoUpdate, legalSources } from "../shared/conditional-update.js";
import { pointerKey } from "./dynamo-table.js";

export type Item = Record<string, unknown>;
export type Key = Record<string, string>;

export interface TableRef {
  readonly doc: () => DynamoDBDocumentClient;
  readonly tableName: string;
}

const isConditionFailure = (e: unknown): boolean =>
  e instanceof ConditionalCheckFailedException ||
  (e as { name?: unknown } | null)?.name === "ConditionalCheckFailedException";

export async function getItem(t: TableRef, key: Key): Promise<Item | null> {
  const res = await t.doc().send(new GetCommand({ TableName: t.tableName, Key: key, ConsistentRead: true }));
  return res.Item ?? null;
}

/** Puts `item` only where nothing is stored under its key; false when something was. */
export async function putNew(t: TableRef, item: Item): Promise<boolean> {
  try {
    await t
      .doc()
      .send(new PutCommand({ TableName: t.tableName, Item: item, ConditionExpression: "attribute_not_exists(pk)" }));
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

export interface Pointer {
  readonly ownerId: string;
  readonly sk: string;
}

/**
 * Creates the id pointer, then the record. The pointer goes first and is conditional, so a
 * duplicate id is refused before anything else is written; a crash in between leaves a pointer
 * to nothing, which reads as "not found" (ids are fresh UUIDs, never reused by a retry).
 */
export async function createWithPointer(
  t: TableRef,
  kind: "VIDEO" | "JOB",
  id: string,
  pointer: Pointer,
  record: Item,
): Promise<void> {
  if (!(await putNew(t, { ...pointerKey(kind, id), ownerId: pointer.ownerId, recordSk: pointer.sk })))
    throw new DomainError("ALREADY_EXISTS", `${kind.toLowerCase()} ${id} already exists`);
  try {
    if (!(await putNew(t, record)))
      throw new DomainError("ALREADY_EXISTS", `${kind.toLowerCase()} ${id} already exists`);
  } catch (e) {
    await deleteKeys(t, [pointerKey(kind, id)]).catch(() => undefined);
    throw e;
  }
}

export async function readPointer(t: TableRef, kind: "VIDEO" | "JOB", id: string): Promise<Pointer | null> {
  const item = await getItem(t, pointerKey(kind, id));
  if (item === null || typeof item.ownerId !== "string" || typeof item.recordSk !== "string") return null;
  return { ownerId: item.ownerId, sk: item.recordSk };
}

export async function deleteKeys(t: TableRef, keys: readonly Key[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 25) {
    let requests: Array<{ DeleteRequest: { Key: Key } }> = keys
      .slice(i, i + 25)
      .map((Key) => ({ DeleteRequest: { Key } }));
    for (let round = 0; requests.length > 0; round++) {
      if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** round)));
      const res = await t.doc().send(new BatchWriteCommand({ RequestItems: { [t.tableName]: requests } }));
      requests = (res.UnprocessedItems?.[t.tableName] ?? []) as typeof requests;
      if (round > 8 && requests.length > 0) throw new Error("DynamoDB kept throttling a batch delete");
    }
  }
}

/**
 * A conditional update: the caller's conditions and the transition table become one
 * ConditionExpression, so the check and the write are atomic. When it fails, the item is read
 * again (consistently) to say why, with the same rules as the SQLite adapter.
 */
export async function conditionalUpdate<S extends string>(
  t: TableRef,
  args: {
    readonly kind: string;
    readonly id: string;
    readonly key: Key;
    readonly set: Readonly<Record<string, unknown>>;
    /** Attributes to delete in the same write. */
    readonly remove?: readonly string[];
    readonly when: { readonly status?: readonly S[]; readonly version?: number; readonly attempts?: number };
    readonly to: S | undefined;
    readonly table: Readonly<Record<S, readonly S[]>>;
  },
): Promise<Item> {
  const { when, to, table } = args;
  const names: Record<string, string> = { "#version": "version" };
  const values: Record<string, unknown> = { ":one": 1 };
  const sets: string[] = [];
  Object.entries(args.set).forEach(([attr, value], i) => {
    names[`#s${i}`] = attr;
    values[`:s${i}`] = value;
    sets.push(`#s${i} = :s${i}`);
  });
  const removes = (args.remove ?? []).map((attr, i) => {
    names[`#r${i}`] = attr;
    return `#r${i}`;
  });
  const conditions = ["attribute_exists(pk)"];
  let impossible = false;
  const statusIn = (label: string, statuses: readonly S[]) => {
    if (statuses.length === 0) {
      impossible = true;
      return;
    }
    names["#status"] = "status";
    const refs = statuses.map((s, i) => {
      values[`:${label}${i}`] = s;
      return `:${label}${i}`;
    });
    conditions.push(`#status IN (${refs.join(", ")})`);
  };
  if (when.status !== undefined) statusIn("w", when.status);
  if (when.version !== undefined) {
    values[":wv"] = when.version;
    conditions.push("#version = :wv");
  }
  if (when.attempts !== undefined) {
    names["#attempts"] = "attempts";
    values[":wa"] = when.attempts;
    conditions.push("#attempts = :wa");
  }
  if (to !== undefined) statusIn("f", legalSources(table, to));

  if (!impossible) {
    try {
      const res = await t.doc().send(
        new UpdateCommand({
          TableName: t.tableName,
          Key: args.key,
          UpdateExpression:
            `SET ${[...sets, "#version = #version + :one"].join(", ")}` +
            (removes.length > 0 ? ` REMOVE ${removes.join(", ")}` : ""),
          ConditionExpression: conditions.join(" AND "),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_NEW",
        }),
      );
      if (res.Attributes !== undefined) return res.Attributes;
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }
  const current = await getItem(t, args.key);
  throw explainNoUpdate({
    kind: args.kind,
    id: args.id,
    current:
      current === null
        ? undefined
        : {
            status: current.status as S,
            version: Number(current.version),
            ...(typeof current.attempts === "number" ? { attempts: current.attempts } : {}),
          },
    when,
    to,
    table,
  });
}

export function checkPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE)
    throw new DomainError("VALIDATION", `first must be a whole number from 1 to ${MAX_PAGE_SIZE}`, ["first"]);
}

const badCursor = () => new DomainError("VALIDATION", "after is not a cursor of this listing", ["after"]);

/** Cursors are the query's ExclusiveStartKey, base64url-encoded; checked strictly on the way back in. */
export const encodeCursor = (key: Key): string => Buffer.from(JSON.stringify(key), "utf8").toString("base64url");

export function decodeCursor(cursor: string, keyNames: readonly string[], belongs: (key: Key) => boolean): Key {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw badCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw badCursor();
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw badCursor();
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length !== keyNames.length) throw badCursor();
  const key: Key = {};
  for (const name of keyNames) {
    const v = (parsed as Record<string, unknown>)[name];
    if (typeof v !== "string" || v.length === 0) throw badCursor();
    key[name] = v;
  }
  if (!belongs(key)) throw badCursor();
  return key;
}

/**
 * One newest-first page. Reads `first + 1` matching items (looping when a filter thins the
 * results) so hasNextPage is exact, and makes the cursor from the last item returned, never from
 * DynamoDB's LastEvaluatedKey, which may lie past items a filter consumed.
 */
export async function queryPage<T>(
  t: TableRef,
  args: {
    readonly input: Omit<QueryCommandInput, "TableName" | "Limit" | "ExclusiveStartKey">;
    readonly first: number;
    readonly after: string | null | undefined;
    readonly keyNames: readonly string[];
    readonly belongs: (key: Key) => boolean;
    readonly map: (item: Item) => T;
  },
): Promise<Page<T>> {
  checkPageSize(args.first);
  let start: Key | undefined =
    args.after === undefined || args.after === null ? undefined : decodeCursor(args.after, args.keyNames, args.belongs);
  const found: Item[] = [];
  do {
    const res = await t.doc().send(
      new QueryCommand({
        ...args.input,
        TableName: t.tableName,
        ScanIndexForward: false,
        Limit: args.first + 1 - found.length,
        ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
      }),
    );
    found.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey as Key | undefined;
  } while (start !== undefined && found.length <= args.first);
  const items = found.slice(0, args.first);
  const last = items[items.length - 1];
  return {
    items: items.map(args.map),
    hasNextPage: found.length > args.first,
    endCursor:
      last === undefined ? null : encodeCursor(Object.fromEntries(args.keyNames.map((k) => [k, String(last[k])]))),
  };
}

export const msOrNull = (d: Date | null): number | null => (d === null ? null : d.getTime());
export const dateOrNull = (v: unknown): Date | null => (typeof v === "number" ? new Date(v) : null);
