import type { Job, JobStatus, Page, Video, VideoStatus } from "@vp/domain";
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
