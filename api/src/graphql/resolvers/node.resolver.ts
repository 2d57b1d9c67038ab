import { fromGlobalId, type Job, type Video } from "@vp/domain";
import { Node } from "@vp/schema";
import { Arg, Authorized, Ctx, ID, Query, Resolver } from "type-graphql";
import { viewerId } from "../auth-checker.js";
import type { ApiContext } from "../context.js";
import { userView, type UserView } from "./user.resolver.js";

@Resolver()
export class NodeResolver {
  /** Malformed and foreign ids answer null, like unknown ones: nothing tells them apart. */
  @Authorized()
  @Query(() => Node, {
    nullable: true,
    description: "Any object by its global id; null when the viewer has none with this id.",
  })
  async node(@Arg("id", () => ID) id: string, @Ctx() ctx: ApiContext): Promise<Video | Job | UserView | null> {
    const owner = viewerId(ctx);
    const decoded = fromGlobalId(id);
    if (decoded === null) return null;
    switch (decoded.type) {
      case "Video":
        return ctx.services.getVideo(owner, decoded.id);
      case "ExtractionJob":
        return ctx.services.getJob(owner, decoded.id);
      case "User":
        return decoded.id === owner ? userView(owner, ctx.viewer?.email ?? null) : null;
    }
  }
}
