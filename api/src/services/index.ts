import type { ServiceDeps } from "./deps.js";
import * as frames from "./frames.service.js";
import * as jobs from "./job.service.js";
import * as queries from "./queries.js";
import * as uploads from "./upload.service.js";
import * as videos from "./video.service.js";
import { createWebhookService, type WebhookService } from "./webhook.service.js";

export * from "./deps.js";
export * from "./user-errors.js";
export {
  blobKeySegment,
  sanitizeFilename,
  basenameWithoutExtension,
  normalizeVideoContentType,
  MAX_FILENAME_LENGTH,
} from "./filename.js";
export { firstJobId } from "./job-lifecycle.js";
export type { CreateVideoUploadInput, CreateVideoUploadResult, CompleteVideoUploadResult } from "./upload.service.js";
export type { JobResultData } from "./job.service.js";
export type { FramePage, FrameView } from "./frames.service.js";

type Bound<F> = F extends (deps: ServiceDeps, ...args: infer A) => infer R ? (...args: A) => R : never;

/** The application services with their dependencies bound: what resolvers call. */
export interface Services {
  readonly createVideoUpload: Bound<typeof uploads.createVideoUpload>;
  readonly completeVideoUpload: (
    ownerId: string,
    input: uploads.CompleteVideoUploadInput,
  ) => ReturnType<typeof uploads.completeVideoUpload>;
  readonly startExtraction: Bound<typeof jobs.startExtraction>;
  readonly cancelJob: Bound<typeof jobs.cancelJob>;
  readonly retryJob: Bound<typeof jobs.retryJob>;
  readonly deleteVideo: Bound<typeof videos.deleteVideo>;
  readonly getVideo: Bound<typeof queries.getVideo>;
  readonly getJob: Bound<typeof queries.getJob>;
  readonly listVideos: Bound<typeof queries.listVideos>;
  readonly listJobs: Bound<typeof queries.listJobs>;
  readonly latestJob: Bound<typeof queries.latestJob>;
  readonly archiveDownloadUrl: Bound<typeof queries.archiveDownloadUrl>;
  readonly listFrames: Bound<typeof frames.listFrames>;
  readonly jobUpdates: Bound<typeof queries.jobUpdates>;
  readonly ownerJobUpdates: Bound<typeof queries.ownerJobUpdates>;
  /** The viewer's webhook endpoints and deliveries. */
  readonly webhooks: WebhookService;
}

export function createServices(deps: ServiceDeps): Services {
  return {
    createVideoUpload: (ownerId, input) => uploads.createVideoUpload(deps, ownerId, input),
    completeVideoUpload: (ownerId, input) => uploads.completeVideoUpload(deps, ownerId, input),
    startExtraction: (ownerId, input) => jobs.startExtraction(deps, ownerId, input),
    cancelJob: (ownerId, input) => jobs.cancelJob(deps, ownerId, input),
    retryJob: (ownerId, input) => jobs.retryJob(deps, ownerId, input),
    deleteVideo: (ownerId, input) => videos.deleteVideo(deps, ownerId, input),
    getVideo: (ownerId, id) => queries.getVideo(deps, ownerId, id),
    getJob: (ownerId, id) => queries.getJob(deps, ownerId, id),
    listVideos: (ownerId, query) => queries.listVideos(deps, ownerId, query),
    listJobs: (ownerId, query) => queries.listJobs(deps, ownerId, query),
    latestJob: (ownerId, videoId) => queries.latestJob(deps, ownerId, videoId),
    archiveDownloadUrl: (job, result) => queries.archiveDownloadUrl(deps, job, result),
    listFrames: (job, result, page) => frames.listFrames(deps, job, result, page),
    jobUpdates: (ownerId, jobId, logger) => queries.jobUpdates(deps, ownerId, jobId, logger),
    ownerJobUpdates: (ownerId, logger, replaySeconds) => queries.ownerJobUpdates(deps, ownerId, logger, replaySeconds),
    webhooks: createWebhookService({ webhooks: deps.platform.webhooks, ...(deps.now ? { now: deps.now } : {}) }),
  };
}
