import type { Job } from "@vp/domain";
import { ExtractionJobType } from "@vp/schema";
import { Arg, Authorized, ID, Int, Resolver, Root, Subscription, type SubscribeResolverData } from "type-graphql";
import { viewerId } from "../auth-checker.js";
import type { ApiContext } from "../context.js";
import { notFoundError } from "../errors.js";
import { decodeGlobalId } from "../global-id.js";

interface JobUpdatedArgs {
  readonly jobId: string;
}

interface MyJobUpdatesArgs {
  readonly replaySeconds?: number | null;
}

/** Ownership is checked when subscribing: an unknown or foreign job fails with NOT_FOUND. */
async function subscribeJobUpdated({ args, context }: SubscribeResolverData<unknown, JobUpdatedArgs, ApiContext>) {
  const owner = viewerId(context);
  const jobId = decodeGlobalId(args.jobId, "ExtractionJob");
  const notFound = notFoundError("No job with this id exists.");
  if (jobId === null) throw notFound;
  const updates = await context.services.jobUpdates(owner, jobId, context.logger);
  if (updates === null) throw notFound;
  return updates;
}

/** The longest replay a subscriber may ask for. */
const MAX_REPLAY_SECONDS = 3600;

function subscribeMyJobUpdates({ args, context }: SubscribeResolverData<unknown, MyJobUpdatesArgs, ApiContext>) {
  const replay = Math.max(0, Math.min(MAX_REPLAY_SECONDS, args.replaySeconds ?? 0));
  return context.services.ownerJobUpdates(viewerId(context), context.logger, replay);
}

@Resolver()
export class SubscriptionResolver {
  @Authorized()
  @Subscription(() => ExtractionJobType, {
    subscribe: subscribeJobUpdated,
    description: "The job's current state at once, then every change (status, progress) as the worker reports it.",
  })
  jobUpdated(@Root() job: Job, @Arg("jobId", () => ID) _jobId: string): Job {
    return job;
  }

  @Authorized()
  @Subscription(() => ExtractionJobType, {
    subscribe: subscribeMyJobUpdates,
    description:
      "Every change to any of the viewer's jobs, from now on. With `replaySeconds`, first the current state of the viewer's live jobs and of those changed within that many seconds (at most 3600; the newest 100 jobs): clients pass it so that re-subscribing after a dropped connection loses no change.",
  })
  myJobUpdates(
    @Root() job: Job,
    @Arg("replaySeconds", () => Int, { nullable: true }) _replaySeconds?: number | null,
  ): Job {
    return job;
  }
}
