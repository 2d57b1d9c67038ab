import { isDomainError, type ExtractionRequested } from "@vp/domain";
import type { JobQueue } from "@vp/platform";
import type { JobRepository } from "@vp/platform";
import type { ConsumerLogger } from "@vp/platform";

export interface QueuedJobReconcilerOptions {
  readonly jobs: Pick<JobRepository, "listStaleQueued" | "update">;
  readonly queue: Pick<JobQueue<ExtractionRequested>, "enqueue">;
  /** A QUEUED job untouched for this long is assumed to have lost its request. */
  readonly staleAfterSeconds: number;
  /** Pause between rounds; the first round runs one interval after start. */
  readonly intervalMs: number;
  readonly logger: ConsumerLogger;
  /** @default Date.now */
  readonly clock?: () => number;
  /** Jobs re-enqueued per round at most. @default 100 */
  readonly batchSize?: number;
}

export interface QueuedJobReconciler {
  /** Stops the rounds; waits for one in progress. */
  close(): Promise<void>;
}

/**
 * One round: every QUEUED job older than the cutoff is touched (a conditional, empty update that
 * bumps version and updatedAt, so the next round skips it and a concurrent claim wins cleanly) and
 * its EXTRACTION_REQUESTED enqueued again. Returns the jobs re-enqueued. A job that moved since
 * it was listed (STALE_UPDATE, NOT_FOUND) is someone else's business and is skipped.
 */
export async function reconcileQueuedJobs(options: Omit<QueuedJobReconcilerOptions, "intervalMs">): Promise<string[]> {
  const { jobs, queue, logger } = options;
  const now = (options.clock ?? Date.now)();
  const stale = await jobs.listStaleQueued({
    updatedBefore: new Date(now - options.staleAfterSeconds * 1000),
    limit: options.batchSize ?? 100,
  });
  const requeued: string[] = [];
  for (const job of stale) {
    try {
      await jobs.update(job.id, { status: ["QUEUED"], version: job.version }, {});
    } catch (err) {
      if (isDomainError(err, "STALE_UPDATE") || isDomainError(err, "NOT_FOUND")) continue;
      throw err;
    }
    // A crash here leaves the job touched but not enqueued: a later round finds it again.
    const { deduplicated } = await queue.enqueue(
      { jobId: job.id, videoId: job.videoId, ownerId: job.ownerId },
      { dedupeKey: job.id },
    );
    requeued.push(job.id);
    logger.warn(
      { jobId: job.id, queuedSinceMs: now - job.updatedAt.getTime(), deduplicated },
      "re-enqueued a QUEUED job whose extraction request looked lost",
    );
  }
  return requeued;
}

/**
 * Closes the gap between "job written QUEUED" and "request enqueued" (two stores, no shared
 * transaction): a process that dies in between would leave the job QUEUED forever. Safe to run in
 * several processes at once: the conditional touch lets one of them re-enqueue a given job per
 * round, and workers ack a first delivery for a job already RUNNING (see the extraction handler).
 */
export function startQueuedJobReconciler(options: QueuedJobReconcilerOptions): QueuedJobReconciler {
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  let round: Promise<void> | null = null;

  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => {
      round = reconcileQueuedJobs(options)
        .then(
          () => undefined,
          (err: unknown) => options.logger.error({ err }, "queued-job reconciliation failed; will try again"),
        )
        .finally(() => {
          round = null;
          schedule();
        });
    }, options.intervalMs);
    timer.unref();
  };
  schedule();

  return {
    async close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      await round;
    },
  };
}
