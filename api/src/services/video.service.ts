import { cancel, isDomainError, type Job } from "@vp/domain";
import type { ServiceDeps } from "./deps.js";
import { publishJob } from "./job-lifecycle.js";
import { notFound, type UserErrorData } from "./user-errors.js";

/**
 * Cancels the video's live jobs (their workers stop on the status change), deletes the original
 * and every archive, then the records. Blobs go first: a crash in between leaves records that
 * a repeat deletes, never orphaned blobs nobody can reach.
 */
export async function deleteVideo(
  deps: ServiceDeps,
  ownerId: string,
  input: { readonly videoId: string },
): Promise<{ deletedVideoId: string | null; userErrors: UserErrorData[] }> {
  const { videos, jobs, blobs } = deps.platform;
  const video = await videos.findForOwner(ownerId, input.videoId);
  if (video === null)
    return {
      deletedVideoId: null,
      userErrors: [notFound("video", ["input", "videoId"])],
    };

  const all: Job[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await jobs.listForOwner(ownerId, {
      first: 100,
      after,
      videoId: video.id,
    });
    all.push(...page.items);
    if (!page.hasNextPage || page.endCursor === null) break;
    after = page.endCursor;
  }

  const now = (deps.now ?? (() => new Date()))();
  for (const job of all) {
    if (job.status !== "QUEUED" && job.status !== "RUNNING") continue;
    try {
      const change = cancel(now, { message: "The video was deleted.", retryable: false });
      const cancelled = await jobs.update(job.id, change.when, change.patch);
      await publishJob(deps, cancelled, video.filename);
    } catch (e) {
      // Finished meanwhile: its archive (if any) is deleted below from a fresh read.
      if (!isDomainError(e, "STALE_UPDATE") && !isDomainError(e, "ILLEGAL_TRANSITION")) throw e;
    }
  }

  await blobs.videos.delete(video.blobKey);
  for (const job of all) {
    const fresh = job.status === "QUEUED" || job.status === "RUNNING" ? await jobs.findById(job.id) : job;
    if (fresh?.result) await blobs.archives.delete(fresh.result.archiveKey);
  }
  await videos.deleteForOwner(ownerId, video.id);
  return { deletedVideoId: video.id, userErrors: [] };
}
