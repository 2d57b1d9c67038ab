import { createHash } from "node:crypto";
import { hasTiming, isDomainError, toJobSnapshot, type ExtractionOptions, type Job, type Video } from "@vp/domain";
import type { ServiceDeps } from "./deps.js";
import { jobQuotaProblem } from "./quotas.js";
import { optionProblems, userError, type UserErrorData } from "./user-errors.js";

/**
 * The first job of a video has an id derived from the video's, so concurrent or repeated
 * completeVideoUpload calls converge on one job instead of queueing several.
 */
export function firstJobId(videoId: string): string {
  const h = createHash("sha256").update(`first-job:${videoId}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Puts the job on the queue. The dedupe key makes a repeat while it still waits harmless. */
export async function enqueueJob(deps: ServiceDeps, job: Job): Promise<void> {
  await deps.platform.extractionQueue.enqueue(
    { jobId: job.id, videoId: job.videoId, ownerId: job.ownerId },
    { dedupeKey: job.id },
  );
}

/** Live news is best effort (state is durable in the repositories): a failed publish is logged, not fatal. */
export async function publishJob(deps: ServiceDeps, job: Job, videoFilename: string): Promise<void> {
  try {
    await deps.platform.jobEvents.publish({
      job: toJobSnapshot(job),
      videoFilename,
    });
  } catch (e) {
    deps.logger.warn({ err: e, jobId: job.id }, "could not publish a job event");
  }
}

/**
 * Validates the options against the video's stored probe when there is one (a video still
 * PROCESSING has none yet: its worker checks the plan right after probing), then creates, queues
 * and announces a job. Plan problems come back as VALIDATION userErrors under `optionsField`.
 */
export async function createAndQueueJob(
  deps: ServiceDeps,
  video: Video,
  options: ExtractionOptions,
  jobId: string,
  optionsField: readonly string[],
): Promise<{ job: Job | null; userErrors: UserErrorData[] }> {
  if (hasTiming(video.metadata)) {
    const { maxFrames, maxOutputPixels } = deps.limits;
    const plan = deps.engine.validatePlan(options, video.metadata, {
      maxFrames,
      ...(maxOutputPixels !== undefined ? { maxOutputPixels } : {}),
    });
    if (!plan.ok) return { job: null, userErrors: optionProblems(plan.problems, optionsField) };
  }
  // Before the write: a refused job leaves nothing behind (completeVideoUpload can be called again).
  const overQuota = await jobQuotaProblem(deps, video.ownerId);
  if (overQuota) return { job: null, userErrors: [overQuota] };
  let job: Job;
  try {
    job = await deps.platform.jobs.create({
      id: jobId,
      ownerId: video.ownerId,
      videoId: video.id,
      options,
    });
  } catch (e) {
    if (!isDomainError(e, "ALREADY_EXISTS")) throw e;
    const existing = await deps.platform.jobs.findForOwner(video.ownerId, jobId);
    if (existing === null) throw e;
    // Someone else created it a moment ago; queueing again is harmless (dedupe key).
    if (existing.status === "QUEUED") await enqueueJob(deps, existing);
    return { job: existing, userErrors: [] };
  }
  await enqueueJob(deps, job);
  await publishJob(deps, job, video.filename);
  return { job, userErrors: [] };
}

export const unreadableVideo = (reason: string | null, field: readonly string[]): UserErrorData =>
  userError("UNREADABLE_VIDEO", reason ?? "The file could not be read as a video.", field);
