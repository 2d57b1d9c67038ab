import { MAX_PAGE_SIZE, type Page, type PageRequest } from "@vp/domain";
import type { Connection, Edge } from "@vp/schema";
import { badUserInput } from "./errors.js";

/**
 * Relay wants a cursor on every edge; repositories return one cursor per page. An API cursor
 * is therefore (repository cursor, items to skip after it), opaque to clients.
 */
interface ApiCursor {
  readonly after: string | null;
  readonly skip: number;
}

const encode = (c: ApiCursor): string => Buffer.from(JSON.stringify([c.after, c.skip]), "utf8").toString("base64url");

function decode(cursor: string): ApiCursor {
  const bad = badUserInput("`after` is not a cursor of this listing.", "after");
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw bad;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw bad;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw bad;
  const [after, skip] = parsed as unknown[];
  if (
    (after !== null && typeof after !== "string") ||
    typeof skip !== "number" ||
    !Number.isInteger(skip) ||
    skip < 0 ||
    skip > MAX_PAGE_SIZE
  )
    throw bad;
  return { after, skip };
}

export function checkFirst(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE)
    throw badUserInput(`\`first\` must be between 1 and ${MAX_PAGE_SIZE} (got ${first}).`, "first");
}

/** Builds one connection page from as many repository pages as needed. */
export async function connectionFrom<T>(
  args: { readonly first: number; readonly after?: string | null },
  fetch: (req: PageRequest) => Promise<Page<T>>,
): Promise<Connection<T>> {
  checkFirst(args.first);
  const start = args.after ? decode(args.after) : { after: null, skip: 0 };
  const edges: Array<Edge<T>> = [];
  let position = start.after;
  let skip = start.skip;
  let hasNextPage = false;
  for (;;) {
    const want = args.first - edges.length;
    const page = await fetch({
      first: Math.min(MAX_PAGE_SIZE, skip + want),
      after: position,
    });
    const taken = page.items.slice(skip, skip + want);
    taken.forEach((node, k) =>
      edges.push({
        node,
        cursor: encode({ after: position, skip: skip + k + 1 }),
      }),
    );
    const consumedPage = skip + taken.length >= page.items.length;
    if (edges.length >= args.first) {
      hasNextPage = consumedPage ? page.hasNextPage : true;
      break;
    }
    if (!page.hasNextPage || page.endCursor === null) break;
    skip = Math.max(0, skip - page.items.length);
    position = page.endCursor;
  }
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
