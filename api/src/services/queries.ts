import type { Job, JobResult, JobStatus, Page, Video, VideoStatus } from "@vp/domain";
import type { SignedUrl } from "@vp/platform";
import type { Logger } from "pino";
import { basenameWithoutExtension } from "./filename.js";
import { DOWNLOAD_EXPIRES_IN_SECONDS } from "./deps.js";
import { jobUpdates as jobUpdatesOn, ownerJobUpdates as ownerJobUpdatesOn } from "./job-updates.js";
import type { ServiceDeps } from "./deps.js";

/** Owner-scoped reads: another owner's id answers null, exactly like an unknown one. */
export const getVideo = (deps: ServiceDeps, ownerId: string, id: string): Promise<Video | null> =>
  deps.platform.videos.findForOwner(ownerId, id);

export const getJob = (deps: ServiceDeps, ownerId: string, id: string): Promise<Job | null> =>
  deps.platform.jobs.findForOwner(ownerId, id);

export const listVideos = (
  deps: ServiceDeps,
  ownerId: string,
  query: {
    readonly first: number;
    readonly after?: string | null;
    readonly status?: VideoStatus | null;
  },
): Promise<Page<Video>> => deps.platform.videos.listForOwner(ownerId, query);

export const listJobs = (
  deps: ServiceDeps,
  ownerId: string,
  query: {
    readonly first: number;
    readonly after?: string | null;
    readonly videoId?: string | null;
    readonly status?: JobStatus | null;
  },
): Promise<Page<Job>> => deps.platform.jobs.listForOwner(ownerId, query);

export const latestJob = (deps: ServiceDeps, ownerId: string, videoId: string): Promise<Job | null> =>
  deps.platform.jobs.latestForVideo(ownerId, videoId);

/** A signed, short-lived link to a finished job's archive, named after its video. */
export async function archiveDownloadUrl(
  deps: ServiceDeps,
  job: Pick<Job, "ownerId" | "videoId">,
  result: Pick<JobResult, "archiveKey">,
): Promise<SignedUrl> {
  const video = await deps.platform.videos.findForOwner(job.ownerId, job.videoId);
  return deps.platform.blobs.archives.createDownloadUrl(result.archiveKey, {
    filename: `${basenameWithoutExtension(video?.filename ?? "video")}-frames.zip`,
    expiresInSeconds: DOWNLOAD_EXPIRES_IN_SECONDS,
    contentType: "application/zip",
  });
}

/** One of the owner's jobs, live: its current state first, then every newer version; null when not theirs. */
export const jobUpdates = (deps: ServiceDeps, ownerId: string, jobId: string, logger: Logger) =>
  jobUpdatesOn(deps.platform.events, {
    ownerId,
    jobId,
    logger,
    loadCurrent: () => getJob(deps, ownerId, jobId),
  });

/** How many recent jobs a replay looks at, at most (newest first). */
const REPLAY_MAX_JOBS = 100;

/**
 * Every change to any of the owner's jobs, from now on; with `replaySeconds`, first the current
 * state of the jobs that are live or changed within that many seconds (at most the newest 100).
 */
export const ownerJobUpdates = (deps: ServiceDeps, ownerId: string, logger: Logger, replaySeconds = 0) =>
  ownerJobUpdatesOn(deps.platform.events, {
    ownerId,
    logger,
    ...(replaySeconds > 0
      ? {
          loadRecent: async () => {
            const since = (deps.now ?? (() => new Date()))().getTime() - replaySeconds * 1000;
            const page = await listJobs(deps, ownerId, { first: REPLAY_MAX_JOBS });
            return page.items.filter(
              (j) => j.status === "QUEUED" || j.status === "RUNNING" || j.updatedAt.getTime() >= since,
            );
          },
        }
      : {}),
  });
