import { availableParallelism } from "node:os";
import type { Platform } from "@vp/platform";
import { startQueueConsumer, type ConsumerLogger, type QueueConsumer } from "@vp/platform";
import type { ExtractionHandlerDeps } from "./extraction-handler.js";
import { createExtractionHandler } from "./extraction-handler.js";
import type { WorkerMetrics } from "./worker-metrics.js";

export interface WorkerOptions {
  readonly platform: Platform;
  readonly engine: ExtractionHandlerDeps["engine"];
  readonly logger: ConsumerLogger;
  readonly metrics?: WorkerMetrics;
  /** Jobs at once; 0 runs no worker. */
  readonly concurrency: number;
  readonly maxAttempts: number;
  readonly maxFrames: number;
  readonly timeoutSeconds: number;
  /** Per-job bounds (VP_MAX_SOURCE_PIXELS, VP_MAX_OUTPUT_PIXELS, VP_MAX_ARCHIVE_BYTES, VP_JOB_STALL_SECONDS). */
  readonly bounds?: Pick<
    ExtractionHandlerDeps["limits"],
    "maxSourcePixels" | "maxOutputPixels" | "maxArchiveBytes" | "stallSeconds"
  >;
  /** Visibility per delivery, renewed by heartbeat while the job runs. */
  readonly visibilityTimeoutSeconds?: number;
  readonly statusPollMs?: number;
}

/** The worker service: the extraction queue's consumer. */
export function startWorker(options: WorkerOptions): QueueConsumer {
  const handle = createExtractionHandler({
    platform: options.platform,
    engine: options.engine,
    limits: {
      maxFrames: options.maxFrames,
      timeoutSeconds: options.timeoutSeconds,
      ...options.bounds,
      // Jobs already run side by side: each one's ffmpeg fan-out gets its share of the cores.
      concurrency: Math.max(1, Math.floor(availableParallelism() / Math.max(1, options.concurrency))),
    },
    maxAttempts: options.maxAttempts,
    logger: options.logger,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.statusPollMs !== undefined ? { statusPollMs: options.statusPollMs } : {}),
  });
  return startQueueConsumer({
    name: "extractions",
    queue: options.platform.extractionQueue,
    handle,
    concurrency: options.concurrency,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 60,
    logger: options.logger,
  });
}
