import { toGlobalId, type Job, type JobResult, type Video } from "@vp/domain";
import type { SignedUrl } from "@vp/platform";
import {
  CancelJobInput,
  CancelJobPayload,
  ExtractionJobType,
  ExtractionResultType,
  RetryJobInput,
  RetryJobPayload,
  StartExtractionInput,
  StartExtractionPayload,
  VideoType,
} from "@vp/schema";
import { DateTimeScalar } from "@vp/schema";
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { UserErrorData } from "../../services/index.js";
import { viewerId } from "../auth-checker.js";
import type { ApiContext } from "../context.js";
import { decodeGlobalId } from "../global-id.js";
import { badIdError, toUserErrors } from "./mutation-results.js";

/** A job's result plus a lazily minted download link, shared by `downloadUrl` and `downloadUrlExpiresAt`. */
export interface ResultView extends JobResult {
  /** The job this is the result of (its frames are signed for its owner). */
  readonly job: Job;
  download(): Promise<SignedUrl>;
}

const JOB_ID_FIELD = ["input", "jobId"];

/** Runs a mutation on the job a global id names; an id that names no job is a NOT_FOUND userError. */
async function onJob(
  globalId: string,
  run: (jobId: string) => Promise<{ readonly job: Job | null; readonly userErrors: readonly UserErrorData[] }>,
) {
  const jobId = decodeGlobalId(globalId, "ExtractionJob");
  if (jobId === null) return { job: null, userErrors: toUserErrors([badIdError(JOB_ID_FIELD, "job")]) };
  const result = await run(jobId);
  return { job: result.job, userErrors: toUserErrors(result.userErrors) };
}

@Resolver(() => ExtractionJobType)
export class JobResolver {
  @FieldResolver(() => ID)
  id(@Root() job: Job): string {
    return toGlobalId("ExtractionJob", job.id);
  }

  @FieldResolver(() => VideoType, {
    nullable: true,
    description: "The video this job extracts from; null once it is deleted.",
  })
  video(@Root() job: Job, @Ctx() ctx: ApiContext): Promise<Video | null> {
    return ctx.services.getVideo(job.ownerId, job.videoId);
  }

  @FieldResolver(() => ExtractionResultType, {
    nullable: true,
    description: "Set when the job SUCCEEDED.",
  })
  result(@Root() job: Job, @Ctx() ctx: ApiContext): ResultView | null {
    const result = job.result;
    if (result === null) return null;
    let minted: Promise<SignedUrl> | null = null;
    const mint = (): Promise<SignedUrl> => ctx.services.archiveDownloadUrl(job, result);
    return { ...result, job, download: () => (minted ??= mint()) };
  }

  @Authorized()
  @Query(() => ExtractionJobType, {
    nullable: true,
    description: "One of the viewer's jobs; null when there is none with this id.",
  })
  async job(@Arg("id", () => ID) id: string, @Ctx() ctx: ApiContext): Promise<Job | null> {
    const owner = viewerId(ctx);
    const jobId = decodeGlobalId(id, "ExtractionJob");
    return jobId === null ? null : ctx.services.getJob(owner, jobId);
  }

  @Authorized()
  @Mutation(() => StartExtractionPayload, {
    description: "Queues a new extraction of an uploaded video (READY or PROCESSING) with the given options.",
  })
  async startExtraction(@Arg("input", () => StartExtractionInput) input: StartExtractionInput, @Ctx() ctx: ApiContext) {
    const owner = viewerId(ctx);
    const videoId = decodeGlobalId(input.videoId, "Video");
    if (videoId === null)
      return {
        job: null,
        userErrors: toUserErrors([badIdError(["input", "videoId"], "video")]),
      };
    const result = await ctx.services.startExtraction(owner, {
      videoId,
      extraction: input.extraction ? { ...input.extraction } : null,
    });
    return { job: result.job, userErrors: toUserErrors(result.userErrors) };
  }

  @Authorized()
  @Mutation(() => CancelJobPayload, {
    description: "Cancels a QUEUED or RUNNING job.",
  })
  async cancelJob(@Arg("input", () => CancelJobInput) input: CancelJobInput, @Ctx() ctx: ApiContext) {
    const owner = viewerId(ctx);
    return onJob(input.jobId, (jobId) => ctx.services.cancelJob(owner, { jobId }));
  }

  @Authorized()
  @Mutation(() => RetryJobPayload, {
    description: "Queues a FAILED or CANCELLED job again.",
  })
  async retryJob(@Arg("input", () => RetryJobInput) input: RetryJobInput, @Ctx() ctx: ApiContext) {
    const owner = viewerId(ctx);
    return onJob(input.jobId, (jobId) => ctx.services.retryJob(owner, { jobId }));
  }
}

@Resolver(() => ExtractionResultType)
export class ExtractionResultResolver {
  @FieldResolver(() => String, {
    description: "A short-lived signed link to the ZIP of frames, minted on request.",
  })
  async downloadUrl(@Root() result: ResultView): Promise<string> {
    return (await result.download()).url;
  }

  @FieldResolver(() => DateTimeScalar)
  async downloadUrlExpiresAt(@Root() result: ResultView): Promise<Date> {
    return (await result.download()).expiresAt;
  }
}
