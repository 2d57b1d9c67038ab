import type { ExtractionOptions } from "./extraction-options.js";

export const JOB_STATUSES = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ["SUCCEEDED", "FAILED", "CANCELLED"];
export const isTerminal = (s: JobStatus): boolean => TERMINAL_JOB_STATUSES.includes(s);

/**
 * The only legal moves. RUNNING -> RUNNING is a re-claim after a crashed attempt
 * (the queue redelivered the message); RUNNING -> QUEUED hands a job back on shutdown;
 * FAILED/CANCELLED -> QUEUED is a user's retry.
 */
export const JOB_TRANSITIONS: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  QUEUED: ["RUNNING", "CANCELLED", "FAILED"],
  RUNNING: ["RUNNING", "QUEUED", "SUCCEEDED", "FAILED", "CANCELLED"],
  SUCCEEDED: [],
  FAILED: ["QUEUED"],
  CANCELLED: ["QUEUED"],
};

export const canTransition = (from: JobStatus, to: JobStatus): boolean => JOB_TRANSITIONS[from].includes(to);

/** Stable failure codes of an extraction; `retryable` says whether running it again can help. */
export const EXTRACTION_ERROR_CODES = [
  "INVALID_OPTIONS",
  "INPUT_NOT_FOUND",
  "INPUT_EMPTY",
  "INPUT_CORRUPT",
  "NO_VIDEO_STREAM",
  "UNSUPPORTED_CODEC",
  "UNSAFE_INPUT",
  /** The source's width x height is over the server's limit (checked on the probe, before decoding). */
  "SOURCE_TOO_LARGE",
  /** The archive would have crossed the server's per-job byte limit; nothing was stored. */
  "ARCHIVE_TOO_LARGE",
  "OUT_OF_DISK",
  "TIMEOUT",
  /** No frame reached the archive for the server's stall limit (a decoder making no progress). */
  "STALLED",
  "CANCELLED",
  "WORKER_LOST",
  "INTERNAL",
] as const;
export type ExtractionErrorCode = (typeof EXTRACTION_ERROR_CODES)[number];

export interface JobError {
  readonly code: ExtractionErrorCode;
  readonly message: string;
  readonly retryable: boolean;
}

export interface JobResult {
  readonly frameCount: number;
  /** Key of the ZIP in the archives BlobStore. */
  readonly archiveKey: string;
  readonly archiveSizeBytes: number;
  /** Which extraction strategy the engine chose (e.g. "seek-parallel", "segmented-decode"). */
  readonly strategy: string;
}

export interface Job {
  readonly id: string;
  readonly ownerId: string;
  readonly videoId: string;
  readonly status: JobStatus;
  /** 0..1, monotonic within an attempt. */
  readonly progress: number;
  readonly framesExtracted: number;
  readonly options: ExtractionOptions;
  /** Attempts started so far (a claim by a worker increments it). */
  readonly attempts: number;
  readonly error: JobError | null;
  readonly result: JobResult | null;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly updatedAt: Date;
  /** Incremented on every write: events carry it so a late event never moves a view backwards. */
  readonly version: number;
}

export type NewJob = Pick<Job, "id" | "ownerId" | "videoId" | "options">;

export type JobPatch = Partial<
  Pick<Job, "status" | "progress" | "framesExtracted" | "attempts" | "error" | "result" | "startedAt" | "finishedAt">
>;
