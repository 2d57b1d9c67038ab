import { toGlobalId, type Job, type Video } from "@vp/domain";
import { ExtractionJobConnection, JobListArgs, UserType, VideoConnection, VideoListArgs } from "@vp/schema";
import type { Connection } from "@vp/schema";
import { Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { viewerId } from "../auth-checker.js";
import type { ApiContext } from "../context.js";
import { connectionFrom } from "../pagination.js";

/** The signed-in user as the resolvers see it. */
export interface UserView {
  readonly id: string;
  readonly userId: string;
  readonly email: string | null;
}

export const userView = (userId: string, email: string | null): UserView => ({
  id: toGlobalId("User", userId),
  userId,
  email,
});

@Resolver(() => UserType)
export class UserResolver {
  @Authorized()
  @Query(() => UserType, { description: "The signed-in user." })
  viewer(@Ctx() ctx: ApiContext): UserView {
    return userView(viewerId(ctx), ctx.viewer?.email ?? null);
  }

  @FieldResolver(() => VideoConnection, {
    description: "The user's videos, newest first.",
  })
  videos(
    @Root() user: UserView,
    @Ctx() ctx: ApiContext,
    @Args(() => VideoListArgs) { first, after, status }: VideoListArgs,
  ): Promise<Connection<Video>> {
    return connectionFrom({ first, after }, (page) => ctx.services.listVideos(user.userId, { ...page, status }));
  }

  @FieldResolver(() => ExtractionJobConnection, {
    description: "The user's extraction jobs, newest first.",
  })
  jobs(
    @Root() user: UserView,
    @Ctx() ctx: ApiContext,
    @Args(() => JobListArgs) { first, after, status }: JobListArgs,
  ): Promise<Connection<Job>> {
    return connectionFrom({ first, after }, (page) => ctx.services.listJobs(user.userId, { ...page, status }));
  }
}
