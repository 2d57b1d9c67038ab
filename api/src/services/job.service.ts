import { allows, cancel, isDomainError, retry, type Job, type JobChange, type Video } from "@vp/domain";
import { newId } from "@vp/domain";
import type { ServiceDeps } from "./deps.js";
import { parseExtractionInput } from "./extraction-input.js";
import { createAndQueueJob, enqueueJob, publishJob, unreadableVideo } from "./job-lifecycle.js";
import { jobQuotaProblem } from "./quotas.js";
import { notFound, optionProblems, userError, type UserErrorData } from "./user-errors.js";

export interface JobResultData {
  readonly job: Job | null;
  readonly userErrors: UserErrorData[];
}

const JOB_ID_FIELD = ["input", "jobId"] as const;
const VIDEO_ID_FIELD = ["input", "videoId"] as const;

/** A new extraction of a READY video with new options. */
export async function startExtraction(
  deps: ServiceDeps,
  ownerId: string,
  input: {
    readonly videoId: string;
    readonly extraction?: Readonly<Record<string, unknown>> | null;
  },
): Promise<JobResultData> {
  const video = await deps.platform.videos.findForOwner(ownerId, input.videoId);
  if (video === null) return { job: null, userErrors: [notFound("video", VIDEO_ID_FIELD)] };
  const options = parseExtractionInput(input.extraction, deps.limits.maxFrames);
  if (!options.ok)
    return {
      job: null,
      userErrors: optionProblems(options.problems, ["input", "extraction"]),
    };
  if (video.status === "REJECTED")
    return {
      job: null,
      userErrors: [unreadableVideo(video.rejectionReason, VIDEO_ID_FIELD)],
    };
  if (video.status === "AWAITING_UPLOAD")
    return {
      job: null,
      userErrors: [
        userError(
          "ILLEGAL_TRANSITION",
          "The upload of this video is not complete yet: call completeVideoUpload first.",
          VIDEO_ID_FIELD,
        ),
      ],
    };
  // READY: checked against the stored probe now; PROCESSING: by the worker, right after its probe.
  return createAndQueueJob(deps, video, options.value, newId(), ["input", "extraction"]);
}

/** QUEUED/RUNNING -> CANCELLED. The worker notices the status change and stops. */
export function cancelJob(
  deps: ServiceDeps,
  ownerId: string,
  input: { readonly jobId: string },
): Promise<JobResultData> {
  const now = (deps.now ?? (() => new Date()))();
  return changeStatus(deps, ownerId, input.jobId, cancel(now), { verb: "cancelled", allowed: "a queued or running" });
}

/** FAILED/CANCELLED -> QUEUED with a clean slate, and back on the queue. */
export function retryJob(
  deps: ServiceDeps,
  ownerId: string,
  input: { readonly jobId: string },
): Promise<JobResultData> {
  return changeStatus(
    deps,
    ownerId,
    input.jobId,
    retry(),
    { verb: "retried", allowed: "a failed or cancelled" },
    (job) => enqueueJob(deps, job),
    // A retry runs a job again: it counts against the live-jobs and storage limits like a new one.
    () => jobQuotaProblem(deps, ownerId),
  );
}

/** The owner's job, moved by `change` when its guard allows, then `after` (if any), then published. */
async function changeStatus(
  deps: ServiceDeps,
  ownerId: string,
  jobId: string,
  change: JobChange,
  words: { readonly verb: string; readonly allowed: string },
  after?: (job: Job) => Promise<void>,
  guard?: () => Promise<UserErrorData | null>,
): Promise<JobResultData> {
  const job = await deps.platform.jobs.findForOwner(ownerId, jobId);
  if (job === null) return { job: null, userErrors: [notFound("job", JOB_ID_FIELD)] };
  if (!allows(change, job)) return { job, userErrors: [illegal(job, words.verb, words.allowed)] };
  const refused = await guard?.();
  if (refused) return { job, userErrors: [refused] };
  const outcome = await transition(deps, job, change);
  if ("userError" in outcome) return { job: outcome.current, userErrors: [outcome.userError] };
  await after?.(outcome.job);
  await publishJob(deps, outcome.job, await filenameOf(deps, outcome.job));
  return { job: outcome.job, userErrors: [] };
}

function illegal(job: Job, verb: string, allowed: string): UserErrorData {
  return userError("ILLEGAL_TRANSITION", `The job is ${job.status}: only ${allowed} job can be ${verb}.`, [
    ...JOB_ID_FIELD,
  ]);
}

/** The transition's conditional write; a lost race answers with the job as it now is. */
async function transition(
  deps: ServiceDeps,
  job: Job,
  change: JobChange,
): Promise<{ job: Job } | { current: Job | null; userError: UserErrorData }> {
  try {
    return { job: await deps.platform.jobs.update(job.id, change.when, change.patch) };
  } catch (e) {
    if (!isDomainError(e, "STALE_UPDATE") && !isDomainError(e, "ILLEGAL_TRANSITION")) throw e;
    const current = await deps.platform.jobs.findForOwner(job.ownerId, job.id);
    const status = current?.status ?? "deleted";
    return {
      current,
      userError: userError("STALE_UPDATE", `The job changed meanwhile (it is now ${status}); nothing was done.`, [
        ...JOB_ID_FIELD,
      ]),
    };
  }
}

export async function filenameOf(deps: ServiceDeps, job: Job): Promise<string> {
  const video: Video | null = await deps.platform.videos.findForOwner(job.ownerId, job.videoId);
  return video?.filename ?? "video";
}
