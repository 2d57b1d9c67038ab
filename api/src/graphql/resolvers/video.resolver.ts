import { toGlobalId, type Job, type Video } from "@vp/domain";
import {
  CompleteVideoUploadInput,
  CompleteVideoUploadPayload,
  CreateVideoUploadInput,
  CreateVideoUploadPayload,
  DeleteVideoInput,
  DeleteVideoPayload,
  ExtractionJobConnection,
  ExtractionJobType,
  JobListArgs,
  VideoConnection,
  VideoListArgs,
  VideoType,
} from "@vp/schema";
import type { Connection } from "@vp/schema";
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { viewerId } from "../auth-checker.js";
import type { ApiContext } from "../context.js";
import { decodeGlobalId } from "../global-id.js";
import { connectionFrom } from "../pagination.js";
import { badIdError, toUserErrors } from "./mutation-results.js";

const VIDEO_ID_FIELD = ["input", "videoId"];

@Resolver(() => VideoType)
export class VideoResolver {
  @FieldResolver(() => ID)
  id(@Root() video: Video): string {
    return toGlobalId("Video", video.id);
  }

  @FieldResolver(() => ExtractionJobConnection, {
    description: "Extraction jobs of this video, newest first.",
  })
  jobs(
    @Root() video: Video,
    @Ctx() ctx: ApiContext,
    @Args(() => JobListArgs) { first, after, status }: JobListArgs,
  ): Promise<Connection<Job>> {
    return connectionFrom({ first, after }, (page) =>
      ctx.services.listJobs(video.ownerId, {
        ...page,
        videoId: video.id,
        status,
      }),
    );
  }

  @FieldResolver(() => ExtractionJobType, {
    nullable: true,
    description: "The newest extraction job of this video.",
  })
  latestJob(@Root() video: Video, @Ctx() ctx: ApiContext): Promise<Job | null> {
    return ctx.services.latestJob(video.ownerId, video.id);
  }

  @Authorized()
  @Query(() => VideoType, {
    nullable: true,
    description: "One of the viewer's videos; null when there is none with this id.",
  })
  async video(@Arg("id", () => ID) id: string, @Ctx() ctx: ApiContext): Promise<Video | null> {
    const owner = viewerId(ctx);
    const videoId = decodeGlobalId(id, "Video");
    return videoId === null ? null : ctx.services.getVideo(owner, videoId);
  }

  @Authorized()
  @Query(() => VideoConnection, {
    description: "The viewer's videos, newest first (same as `viewer { videos }`).",
  })
  videos(
    @Ctx() ctx: ApiContext,
    @Args(() => VideoListArgs) { first, after, status }: VideoListArgs,
  ): Promise<Connection<Video>> {
    const owner = viewerId(ctx);
    return connectionFrom({ first, after }, (page) => ctx.services.listVideos(owner, { ...page, status }));
  }

  @Authorized()
  @Mutation(() => CreateVideoUploadPayload, {
    description: "Registers a video and returns where to send its bytes. Then call completeVideoUpload.",
  })
  async createVideoUpload(
    @Arg("input", () => CreateVideoUploadInput) input: CreateVideoUploadInput,
    @Ctx() ctx: ApiContext,
  ) {
    const result = await ctx.services.createVideoUpload(viewerId(ctx), {
      filename: input.filename,
      contentType: input.contentType,
      sizeBytes: input.sizeBytes,
      extraction: input.extraction ? { ...input.extraction } : null,
    });
    return {
      video: result.video,
      upload:
        result.upload === null
          ? null
          : {
              ...result.upload,
              headers: result.upload.headers.map((h) => ({ ...h })),
              // The parts are sent with the target's method and headers.
              multipart:
                result.upload.multipart === undefined
                  ? null
                  : {
                      uploadId: result.upload.multipart.uploadId,
                      method: result.upload.method,
                      headers: result.upload.headers.map((h) => ({ ...h })),
                      parts: result.upload.multipart.parts.map((p) => ({ ...p })),
                    },
            },
      userErrors: toUserErrors(result.userErrors),
    };
  }

  @Authorized()
  @Mutation(() => CompleteVideoUploadPayload, {
    description:
      "Checks the bytes arrived whole and queues the extraction chosen at upload; the video is PROCESSING until that job's worker has probed it (READY), or REJECTED when it is not a video. Idempotent.",
  })
  async completeVideoUpload(
    @Arg("input", () => CompleteVideoUploadInput)
    input: CompleteVideoUploadInput,
    @Ctx() ctx: ApiContext,
  ) {
    const owner = viewerId(ctx);
    const videoId = decodeGlobalId(input.videoId, "Video");
    if (videoId === null)
      return {
        video: null,
        job: null,
        userErrors: toUserErrors([badIdError(VIDEO_ID_FIELD, "video")]),
      };
    const { multipart } = input;
    const result = await ctx.services.completeVideoUpload(owner, {
      videoId,
      multipart: multipart
        ? {
            uploadId: multipart.uploadId,
            parts: multipart.parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })),
          }
        : null,
    });
    return { ...result, userErrors: toUserErrors(result.userErrors) };
  }

  @Authorized()
  @Mutation(() => DeleteVideoPayload, {
    description: "Cancels the video's running jobs and deletes it with every archive.",
  })
  async deleteVideo(@Arg("input", () => DeleteVideoInput) input: DeleteVideoInput, @Ctx() ctx: ApiContext) {
    const owner = viewerId(ctx);
    const videoId = decodeGlobalId(input.videoId, "Video");
    if (videoId === null)
      return {
        deletedVideoId: null,
        userErrors: toUserErrors([badIdError(VIDEO_ID_FIELD, "video")]),
      };
    const result = await ctx.services.deleteVideo(owner, { videoId });
    return {
      deletedVideoId: result.deletedVideoId === null ? null : toGlobalId("Video", result.deletedVideoId),
      userErrors: toUserErrors(result.userErrors),
    };
  }
}
