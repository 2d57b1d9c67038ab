import type {
  Job,
  JobCondition,
  VideoCondition,
  JobPatch,
  JobStatus,
  NewJob,
  NewVideo,
  Page,
  PageRequest,
  Video,
  VideoPatch,
  VideoStatus,
} from "@vp/domain";

/*
 * Updates are conditional: `when` comes from the domain's named transitions (job-transitions.ts,
 * video.ts). A write whose conditions do not hold changes nothing and throws DomainError
 * STALE_UPDATE; a status change outside the domain's transition table throws ILLEGAL_TRANSITION.
 * Every successful write increments `version`.
 */

/** Reads named `...ForOwner` are owner-scoped: another owner's id answers null, as if absent. */
export interface VideoRepository {
  /** Throws ALREADY_EXISTS for a duplicate id. */
  create(video: NewVideo): Promise<Video>;
  findById(id: string): Promise<Video | null>;
  findForOwner(ownerId: string, id: string): Promise<Video | null>;
  /** Newest first. */
  listForOwner(ownerId: string, query: PageRequest & { readonly status?: VideoStatus | null }): Promise<Page<Video>>;
  update(id: string, when: VideoCondition, patch: VideoPatch): Promise<Video>;
  /** Removes the video and its jobs. Returns false when there was nothing of that owner to delete. */
  deleteForOwner(ownerId: string, id: string): Promise<boolean>;
  /**
   * Bytes the owner stores, for the per-user storage quota: every video's declared `sizeBytes`
   * (whatever its status: an upload in progress has reserved its size) plus the archives of its
   * jobs (`result.archiveSizeBytes`). Exact at the moment of reading; concurrent writes may add more.
   */
  storedBytesForOwner(ownerId: string): Promise<number>;
}

export interface JobCountQuery {
  /** Only jobs in one of these states; absent: every state. */
  readonly statuses?: readonly JobStatus[];
  /** Only jobs created strictly after this instant (a rolling window); absent: every job. */
  readonly createdAfter?: Date;
}

export interface JobRepository {
  /** Throws ALREADY_EXISTS for a duplicate id. New jobs start QUEUED with version 1. */
  create(job: NewJob): Promise<Job>;
  findById(id: string): Promise<Job | null>;
  findForOwner(ownerId: string, id: string): Promise<Job | null>;
  /** Newest first; filtered by video and/or status. */
  listForOwner(
    ownerId: string,
    query: PageRequest & { readonly videoId?: string | null; readonly status?: JobStatus | null },
  ): Promise<Page<Job>>;
  /** The newest job of a video, or null. */
  latestForVideo(ownerId: string, videoId: string): Promise<Job | null>;
  update(id: string, when: JobCondition, patch: JobPatch): Promise<Job>;
  /**
   * QUEUED jobs of every owner last written before `updatedBefore`, oldest `updatedAt` first, at
   * most `limit`. For the reconciler that re-enqueues jobs whose request was lost between the
   * job write and the enqueue. May lag a moment behind writes (a DynamoDB GSI): callers re-check
   * with a conditional update.
   */
  listStaleQueued(query: { readonly updatedBefore: Date; readonly limit: number }): Promise<Job[]>;
  /**
   * How many of the owner's jobs match, for per-user quotas (live jobs, jobs per hour). May lag a
   * moment behind writes (a DynamoDB GSI): concurrent requests can overshoot a quota by a few.
   */
  countForOwner(ownerId: string, query?: JobCountQuery): Promise<number>;
}

export type { JobCondition, VideoCondition };
