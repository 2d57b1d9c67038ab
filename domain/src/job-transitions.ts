import type { Job, JobError, JobPatch, JobResult, JobStatus, NewJob } from "./job.js";

/**
 * The job state machine. Every change to a job is one of these named, pure transitions: each
 * says which states it leaves from (the guard a conditional write checks) and what it writes.
 * Repositories apply them with `update(job.id, change.when, change.patch)`; a guard that no longer
 * holds makes the write change nothing and throw STALE_UPDATE, so a lost race is never a silent
 * overwrite.
 */
export interface JobCondition {
  readonly status?: readonly JobStatus[];
  readonly version?: number;
  readonly attempts?: number;
}

export interface JobChange {
  readonly when: JobCondition;
  readonly patch: JobPatch;
}

/** A new job as every repository stores it: QUEUED, nothing done yet, version 1. */
export const initialJob = (job: NewJob, now: Date): Job => ({
  ...job,
  status: "QUEUED",
  progress: 0,
  framesExtracted: 0,
  attempts: 0,
  error: null,
  result: null,
  createdAt: now,
  startedAt: null,
  finishedAt: null,
  updatedAt: now,
  version: 1,
});

const LIVE: readonly JobStatus[] = ["QUEUED", "RUNNING"];
/** Only the attempt that claimed the job may write its progress and outcome. */
const sameAttempt = (job: Pick<Job, "attempts">): JobCondition => ({ status: ["RUNNING"], attempts: job.attempts });

/** A worker starts an attempt: QUEUED (or RUNNING, when the previous attempt's worker died) -> RUNNING. */
export const claim = (job: Job, now: Date): JobChange => ({
  when: { status: LIVE, version: job.version },
  patch: {
    status: "RUNNING",
    attempts: job.attempts + 1,
    startedAt: now,
    progress: 0,
    framesExtracted: 0,
    error: null,
  },
});

/** The running attempt reports how far it is. */
export const progress = (
  job: Pick<Job, "attempts">,
  p: { readonly progress: number; readonly framesExtracted: number },
): JobChange => ({ when: sameAttempt(job), patch: { progress: p.progress, framesExtracted: p.framesExtracted } });

export const succeed = (job: Pick<Job, "attempts">, result: JobResult, now: Date): JobChange => ({
  when: sameAttempt(job),
  patch: { status: "SUCCEEDED", progress: 1, framesExtracted: result.frameCount, finishedAt: now, result },
});

/** The running attempt failed: back to QUEUED for another attempt when `retry`, else FAILED for good. */
export const fail = (
  job: Pick<Job, "attempts">,
  error: JobError,
  now: Date,
  options: { readonly retry: boolean } = { retry: false },
): JobChange => ({
  when: sameAttempt(job),
  patch: options.retry ? { status: "QUEUED", error } : { status: "FAILED", error, finishedAt: now },
});

/** Every attempt so far died with its worker (no outcome recorded): stop, with a reason. */
export const abandon = (job: Job, now: Date): JobChange => ({
  when: { status: LIVE, version: job.version },
  patch: {
    status: "FAILED",
    finishedAt: now,
    error: { code: "WORKER_LOST", message: "The job was interrupted too many times and was stopped.", retryable: true },
  },
});

/**
 * QUEUED/RUNNING -> CANCELLED. The guard is the status only: a worker's concurrent progress
 * write must not make a cancel fail, but a concurrent finish must. The worker notices and stops.
 */
export const cancel = (
  now: Date,
  reason: { readonly message: string; readonly retryable: boolean } = {
    message: "The job was cancelled.",
    retryable: true,
  },
): JobChange => ({
  when: { status: LIVE },
  patch: { status: "CANCELLED", finishedAt: now, error: { code: "CANCELLED", ...reason } },
});

/** A user's retry: FAILED/CANCELLED -> QUEUED with a clean slate (attempts are kept: they bound crashes). */
export const retry = (): JobChange => ({
  when: { status: ["FAILED", "CANCELLED"] },
  patch: {
    status: "QUEUED",
    progress: 0,
    framesExtracted: 0,
    error: null,
    result: null,
    startedAt: null,
    finishedAt: null,
  },
});

/** Shutdown: the attempt did not fail on its own, so the job goes back to the queue without counting it. */
export const handBack = (job: Pick<Job, "attempts">): JobChange => ({
  when: sameAttempt(job),
  patch: { status: "QUEUED", attempts: job.attempts - 1, progress: 0, framesExtracted: 0 },
});

/** Whether `change` may start from `job`'s current state (its status guard holds). */
export const allows = (change: JobChange, job: Pick<Job, "status">): boolean =>
  change.when.status === undefined || change.when.status.includes(job.status);

/** The owner is emailed when a job ends on its own: success or failure, never their own cancel. */
export const notifiesOwner = (job: Pick<Job, "status">): boolean =>
  job.status === "SUCCEEDED" || job.status === "FAILED";
