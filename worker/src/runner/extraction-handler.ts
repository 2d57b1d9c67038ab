import { PassThrough } from "node:stream";
import {
  abandon,
  acceptProbe,
  claim,
  fail,
  handBack as handBackJob,
  hasKeyframeIndex,
  hasTiming,
  isDomainError,
  isTerminal,
  jobChannel,
  jobEventSchema,
  progress as progressOf,
  rejectVideo,
  succeed,
  toJobSnapshot,
  type ExtractionRequested,
  type Job,
  type JobChange,
  type JobError,
  type Video,
  type VideoProbe,
  withContactSheetTitle,
} from "@vp/domain";
import type { Platform } from "@vp/platform";
import type { QueueMessage } from "@vp/platform";
import type { Disposition, HandlerContext } from "@vp/platform";
import { ExtractionError, type ExtractRequest, type ExtractResult } from "@vp/engine";
import { createProgressReporter } from "./progress-reporter.js";
import type { WorkerMetrics } from "./worker-metrics.js";

export interface ExtractionHandlerDeps {
  readonly platform: Pick<Platform, "jobs" | "videos" | "blobs" | "events" | "jobEvents">;
  readonly engine: {
    extract(req: ExtractRequest): Promise<ExtractResult>;
    probe(
      path: string,
      options?: { readonly signal?: AbortSignal; readonly maxSourcePixels?: number },
    ): Promise<VideoProbe>;
  };
  /** What the engine is given for every job; `maxSourcePixels` is also checked at the probe. */
  readonly limits: ExtractRequest["limits"];
  /** Attempts a job gets before it fails for good (crashes included). */
  readonly maxAttempts: number;
  readonly logger: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
  readonly metrics?: WorkerMetrics;
  /** Seconds before a retryable failure runs again, by attempt number. */
  readonly backoffSeconds?: (attempt: number) => number;
  /** How often the job's status is re-read to notice a cancellation (events notice sooner). */
  readonly statusPollMs?: number;
}

export const archiveKeyFor = (job: Pick<Job, "ownerId" | "id">): string => `${job.ownerId}/${job.id}/frames.zip`;

const ack: Disposition = { kind: "ack" };

/**
 * Runs one extraction request end to end: claim the job, stream the archive into the
 * BlobStore, record the outcome, publish every change. Idempotent under redelivery:
 * a message for a finished job only re-publishes its final state. A message for a RUNNING job
 * re-claims it only when delivered before (its worker died); a first delivery is a duplicate.
 */
export function createExtractionHandler(deps: ExtractionHandlerDeps) {
  const { platform, engine, logger } = deps;
  const backoff = deps.backoffSeconds ?? ((attempt: number) => Math.min(300, 5 * 2 ** (attempt - 1)));
  const statusPollMs = deps.statusPollMs ?? 2000;

  const apply = (job: Pick<Job, "id">, change: JobChange): Promise<Job> =>
    platform.jobs.update(job.id, change.when, change.patch);

  const publish = async (job: Job, video: Pick<Video, "filename">): Promise<void> => {
    await platform.jobEvents.publish({ job: toJobSnapshot(job), videoFilename: video.filename });
  };

  return async function handle(message: QueueMessage<ExtractionRequested>, ctx: HandlerContext): Promise<Disposition> {
    const { jobId } = message.body;
    const log = { jobId, messageId: message.id, delivery: message.attempts };
    const job = await platform.jobs.findById(jobId);
    if (!job) {
      logger.info(log, "job no longer exists; dropping request");
      return ack;
    }
    const video = await platform.videos.findById(job.videoId);
    if (!video) {
      logger.info(log, "video no longer exists; dropping request");
      return ack;
    }
    if (isTerminal(job.status)) {
      // A redelivery after the outcome was recorded: the publish may have been lost with the process.
      await publish(job, video);
      return ack;
    }
    if (job.status === "RUNNING" && message.attempts <= 1) {
      // A first delivery cannot be a crashed worker's (that message was delivered before): the
      // reconciler raced the original request, or the queue delivered twice. The running
      // attempt's own message covers its crash, so this one is dropped without touching the job.
      logger.info({ ...log, attempt: job.attempts }, "job already running; duplicate request dropped");
      return ack;
    }
    if (job.status === "RUNNING" && job.attempts >= deps.maxAttempts) {
      // Every attempt so far died with its worker (no outcome recorded): stop, with a reason.
      const failed = await apply(job, abandon(job, new Date()));
      await publish(failed, video);
      deps.metrics?.jobs.inc({ outcome: "failed" });
      return ack;
    }

    let claimed: Job;
    try {
      claimed = await apply(job, claim(job, new Date()));
    } catch (err) {
      if (isDomainError(err, "STALE_UPDATE")) {
        // Another delivery of the same job claimed it first: that one runs it, this copy is done.
        const now = await platform.jobs.findById(job.id);
        if (now?.status !== "QUEUED") {
          logger.info(log, "job claimed by another delivery; dropping this one");
          return ack;
        }
        logger.info(log, "job changed while claiming; will look again");
        return { kind: "retry", delaySeconds: 1, reason: "claim raced" };
      }
      throw err;
    }
    await publish(claimed, video);
    logger.info({ ...log, attempt: claimed.attempts }, "job started");
    return runClaimed(claimed, video, ctx);
  };

  async function runClaimed(claimed: Job, video: Video, ctx: HandlerContext): Promise<Disposition> {
    const log = { jobId: claimed.id, attempt: claimed.attempts };
    const abort = new AbortController();
    let cancelled = false;
    const onShutdown = () => abort.abort(new Error("shutdown"));
    ctx.signal.addEventListener("abort", onShutdown, { once: true });

    // Cancelled, deleted, or re-claimed by another worker: this attempt no longer owns the job.
    const stopIfNotOurs = (j: Pick<Job, "status" | "attempts"> | null | undefined) => {
      if (!j || j.status !== "RUNNING" || j.attempts !== claimed.attempts) {
        cancelled = true;
        abort.abort(new Error("cancelled"));
      }
    };
    const recheck = () =>
      platform.jobs
        .findById(claimed.id)
        .then(stopIfNotOurs, (err: unknown) => logger.warn({ ...log, err }, "status poll failed"));
    const unsubscribe = await platform.events.subscribe(jobChannel(claimed.id), (payload) => {
      const parsed = jobEventSchema.safeParse(payload);
      if (parsed.success && parsed.data.job.version > claimed.version) stopIfNotOurs(parsed.data.job);
    });
    const poll = setInterval(() => void recheck(), statusPollMs);

    const progress = createProgressReporter<{ progress: number; framesExtracted: number }>(
      async (p) => publish(await apply(claimed, progressOf(claimed, p)), video),
      (err) => {
        if (isDomainError(err, "STALE_UPDATE")) void recheck();
        else logger.warn({ ...log, err }, "progress update failed");
      },
    );

    const started = performance.now();
    const archiveKey = archiveKeyFor(claimed);
    const archive = new PassThrough();
    // The engine stops before its limit; the store's own limit is the backstop.
    const stored = platform.blobs.archives.put(archiveKey, archive, {
      contentType: "application/zip",
      ...(deps.limits.maxArchiveBytes !== undefined ? { maxBytes: deps.limits.maxArchiveBytes } : {}),
    });
    // The engine's error is the one worth reporting; the store's rejection then only says "aborted".
    stored.catch(() => undefined);
    try {
      const input = await platform.blobs.videos.openAsFile(video.blobKey);
      let result: ExtractResult;
      try {
        const probe = await probeOnce(video, input.path, abort.signal);
        result = await engine.extract({
          inputPath: input.path,
          options: withContactSheetTitle(claimed.options, video.filename),
          output: archive,
          probe,
          signal: abort.signal,
          onProgress: (p) =>
            progress.report({ progress: Math.min(p.progress, 0.99), framesExtracted: p.framesExtracted }),
          limits: deps.limits,
        });
      } finally {
        await input.release();
      }
      const info = await stored;
      progress.discard();
      await progress.flush();
      const seconds = (performance.now() - started) / 1000;
      let done: Job;
      try {
        done = await apply(
          claimed,
          succeed(
            claimed,
            { frameCount: result.frameCount, archiveKey, archiveSizeBytes: info.sizeBytes, strategy: result.strategy },
            new Date(),
          ),
        );
      } catch (err) {
        if (!isDomainError(err, "STALE_UPDATE") && !isDomainError(err, "NOT_FOUND")) throw err;
        // Cancelled or deleted just as it finished: the user asked for nothing, so keep nothing.
        await platform.blobs.archives.delete(archiveKey);
        logger.info(log, "job finished after cancellation; archive discarded");
        return ack;
      }
      await publish(done, video);
      deps.metrics?.jobs.inc({ outcome: "succeeded" });
      deps.metrics?.jobDuration.observe({ outcome: "succeeded" }, seconds);
      deps.metrics?.frames.inc(result.frameCount);
      if (seconds > 0) deps.metrics?.framesPerSecond.observe(result.frameCount / seconds);
      logger.info({ ...log, frames: result.frameCount, strategy: result.strategy, seconds }, "job succeeded");
      return ack;
    } catch (err) {
      archive.destroy(err instanceof Error ? err : new Error(String(err)));
      await stored.catch(() => undefined);
      progress.discard();
      await progress.flush();
      const seconds = (performance.now() - started) / 1000;
      if (cancelled) {
        logger.info(log, "job cancelled; extraction stopped");
        deps.metrics?.jobs.inc({ outcome: "cancelled" });
        return ack;
      }
      if (ctx.signal.aborted) {
        await handBack(claimed, video);
        return { kind: "handback" };
      }
      const error = toJobError(err);
      logger[error.retryable ? "warn" : "error"]({ ...log, err, code: error.code }, "extraction failed");
      deps.metrics?.jobDuration.observe({ outcome: "failed" }, seconds);
      const retry = error.retryable && claimed.attempts < deps.maxAttempts;
      const next = await apply(claimed, fail(claimed, error, new Date(), { retry })).catch((e: unknown) => {
        if (isDomainError(e, "STALE_UPDATE")) return null;
        throw e;
      });
      if (next) await publish(next, video);
      if (!retry) deps.metrics?.jobs.inc({ outcome: "failed" });
      return retry && next ? { kind: "retry", delaySeconds: backoff(claimed.attempts), reason: error.code } : ack;
    } finally {
      clearInterval(poll);
      unsubscribe();
      ctx.signal.removeEventListener("abort", onShutdown);
    }
  }

  /**
   * The first step of a video's first job: the worker is the only role with ffprobe, so it probes
   * here, once, and stores the whole probe (timing included) with the video for every later step.
   * A file ffprobe cannot read rejects the video; the job then fails with the probe's precise code.
   */
  async function probeOnce(video: Video, path: string, signal: AbortSignal): Promise<VideoProbe> {
    // A stored probe without a keyframe index (made before it was kept) is made again, once.
    if (hasTiming(video.metadata) && hasKeyframeIndex(video.metadata)) return video.metadata;
    let probe: VideoProbe;
    try {
      // A picture over the limit is refused here, from the headers, before ffmpeg decodes a frame.
      probe = await engine.probe(path, {
        signal,
        ...(deps.limits.maxSourcePixels !== undefined ? { maxSourcePixels: deps.limits.maxSourcePixels } : {}),
      });
    } catch (err) {
      if (err instanceof ExtractionError && FILE_FAULTS.has(err.code)) {
        const change = rejectVideo(err.message);
        await platform.videos.update(video.id, change.when, change.patch).catch(ignoreRace);
      }
      throw err;
    }
    const change = acceptProbe(probe);
    await platform.videos.update(video.id, change.when, change.patch).catch(ignoreRace);
    return probe;
  }

  /** Shutdown: the attempt did not fail on its own, so it goes back to the queue without counting against the job. */
  async function handBack(claimed: Job, video: Video): Promise<void> {
    try {
      const queued = await apply(claimed, handBackJob(claimed));
      await publish(queued, video);
      logger.info({ jobId: claimed.id }, "job handed back on shutdown");
    } catch (err) {
      logger.warn({ jobId: claimed.id, err }, "could not hand job back; the queue will redeliver it");
    }
  }
}

/** Probe failures that are the file's fault (not ours, not the machine's): they reject the video. */
const FILE_FAULTS: ReadonlySet<string> = new Set([
  "INPUT_EMPTY",
  "INPUT_CORRUPT",
  "NO_VIDEO_STREAM",
  "UNSUPPORTED_CODEC",
  "UNSAFE_INPUT",
  "SOURCE_TOO_LARGE",
]);

/** A concurrent attempt (or a delete) changed the video first: its state stands. */
function ignoreRace(err: unknown): void {
  if (
    !isDomainError(err, "STALE_UPDATE") &&
    !isDomainError(err, "ILLEGAL_TRANSITION") &&
    !isDomainError(err, "NOT_FOUND")
  )
    throw err;
}

function toJobError(err: unknown): JobError {
  if (err instanceof ExtractionError) return { code: err.code, message: err.message, retryable: err.retryable };
  if (isDomainError(err, "NOT_FOUND"))
    return { code: "INPUT_NOT_FOUND", message: "The uploaded video is missing.", retryable: false };
  return { code: "INTERNAL", message: "Extraction failed unexpectedly; it will be retried.", retryable: true };
}
