import { ExtractionResultType, FrameConnection, PageArgs, type Connection } from "@vp/schema";
import { Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { FrameView } from "../../services/index.js";
import type { ApiContext } from "../context.js";
import { badUserInput } from "../errors.js";
import { checkFirst } from "../pagination.js";
import type { ResultView } from "./job.resolver.js";

/** A frame cursor is its index, opaque to clients: `f<index>` in base64url. */
const cursorOf = (index: number): string => Buffer.from(`f${index}`, "utf8").toString("base64url");

function indexOf(cursor: string): number {
  const decoded = /^[A-Za-z0-9_-]{1,32}$/.test(cursor) ? Buffer.from(cursor, "base64url").toString("utf8") : "";
  const m = /^f([1-9][0-9]{0,8})$/.exec(decoded);
  if (m === null) throw badUserInput("`after` is not a cursor of this listing.", "after");
  return Number(m[1]);
}

@Resolver(() => ExtractionResultType)
export class FramesResolver {
  @FieldResolver(() => FrameConnection, {
    description:
      "The frames in index order, each with a short-lived signed URL to its image alone: no need to download the archive.",
  })
  async frames(
    @Root() result: ResultView,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<Connection<FrameView>> {
    checkFirst(args.first);
    const afterIndex = args.after ? indexOf(args.after) : 0;
    const page = await ctx.services.listFrames(result.job, result, { first: args.first, afterIndex });
    const edges = page.frames.map((node) => ({ node, cursor: cursorOf(node.index) }));
    return {
      edges,
      nodes: page.frames,
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: afterIndex > 0,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  }
}
