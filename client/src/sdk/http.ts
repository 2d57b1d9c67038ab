import { Kind, print, type DocumentNode } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { GraphQLRequestError, NetworkError, networkErrorFrom, type GraphQLErrorEntry } from "./errors.js";

export type FetchLike = typeof fetch;

export interface ExecutionResult<T> {
  readonly data?: T | null;
  readonly errors?: readonly GraphQLErrorEntry[];
}

const printed = new WeakMap<DocumentNode, string>();
/** Documents are printed once; the generated ones are module constants. */
export function documentText(doc: DocumentNode): string {
  let text = printed.get(doc);
  if (text === undefined) printed.set(doc, (text = print(doc)));
  return text;
}

export function operationName(doc: DocumentNode): string {
  for (const d of doc.definitions) if (d.kind === Kind.OPERATION_DEFINITION && d.name) return d.name.value;
  return "operation";
}

/** One GraphQL-over-HTTP POST; answers the raw result (errors included) and throws only when there is none. */
export async function executeHttp<TResult, TVars>(
  options: { readonly url: string; readonly fetch: FetchLike; readonly token: string | undefined },
  doc: TypedDocumentNode<TResult, TVars>,
  variables: TVars,
): Promise<ExecutionResult<TResult>> {
  let res: Response;
  try {
    res = await options.fetch(options.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: JSON.stringify({ query: documentText(doc), variables: variables ?? {}, operationName: operationName(doc) }),
    });
  } catch (err) {
    throw networkErrorFrom(options.url, err);
  }
  const text = await res.text().catch((err: unknown) => {
    throw networkErrorFrom(options.url, err);
  });
  let body: ExecutionResult<TResult>;
  try {
    body = JSON.parse(text) as ExecutionResult<TResult>;
  } catch {
    // A proxy's error page or a server that is not ours.
    throw new NetworkError(`${options.url} answered HTTP ${res.status} without a GraphQL response`);
  }
  if (typeof body !== "object" || body === null || (!("data" in body) && !("errors" in body))) {
    throw new NetworkError(`${options.url} answered HTTP ${res.status} without a GraphQL response`);
  }
  if (!res.ok && !body.errors?.length) throw new GraphQLRequestError([{ message: `HTTP ${res.status}` }], res.status);
  return body;
}

/** Like executeHttp, but any GraphQL error throws. */
export function dataOrThrow<T>(result: ExecutionResult<T>, status?: number): T {
  if (result.errors?.length || result.data == null) {
    throw new GraphQLRequestError(
      result.errors?.length ? result.errors : [{ message: "no data in the response" }],
      status,
    );
  }
  return result.data;
}
