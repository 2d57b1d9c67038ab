import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { extract, probe, resolveFfmpeg, resolvePicker } from "@vp/engine";
import { startQueueConsumer, startWebhookConsumer, type Backend, type QueueConsumer } from "@vp/platform";
import { createJobNotifier } from "@vp/notify-lambda";
import type { WorkerConfig } from "./config.js";
import { startWorker } from "./runner/start-worker.js";
import { createWorkerMetrics } from "./runner/worker-metrics.js";

export interface WorkerRoleOptions {
  readonly config: WorkerConfig;
  readonly backend: Backend;
  readonly logger: Logger;
  readonly metrics: Registry;
  /** Origin that links in emails point at. */
  readonly publicUrl: () => string;
  /** Test hook: faster cancellation checks. */
  readonly statusPollMs?: number;
}

/**
 * The worker role: the extraction queue's consumer and, when job news stays on this host, the
 * notifier that turns finished jobs into emails (on AWS messaging the notify Lambda does).
 */
export async function startWorkerRole(options: WorkerRoleOptions): Promise<{ close(): Promise<void> }> {
  const { config, backend, logger } = options;
  const { platform } = backend;
  const consumers: QueueConsumer[] = [];
  if (config.VP_WORKER_CONCURRENCY > 0) {
    // Only the role that runs ffmpeg looks for it: the API's machine needs none.
    const ffmpeg = await resolveFfmpeg();
    logger[ffmpeg.outdated ? "warn" : "info"](
      { ffmpeg: ffmpeg.ffmpegPath, version: ffmpeg.version, source: ffmpeg.source },
      ffmpeg.outdated
        ? "using the old bundled ffmpeg fallback; install Debian's ffmpeg for untrusted input"
        : "ffmpeg found",
    );
    // Built (or found) now, not by the first job: compiling it takes seconds.
    const picker = await resolvePicker();
    logger.info(
      { picker: picker ?? "none" },
      picker
        ? "frame picker ready"
        : "no frame picker (VP_FRAME_PICKER=off or no libav* headers): ffmpeg's command line alone",
    );
    consumers.push(
      startWorker({
        platform,
        engine: { extract, probe },
        logger: logger.child({ component: "worker" }),
        metrics: createWorkerMetrics(options.metrics),
        concurrency: config.VP_WORKER_CONCURRENCY,
        maxAttempts: config.VP_JOB_MAX_ATTEMPTS,
        maxFrames: config.VP_MAX_FRAMES,
        timeoutSeconds: config.VP_JOB_TIMEOUT_SECONDS,
        bounds: {
          maxSourcePixels: config.VP_MAX_SOURCE_PIXELS,
          maxOutputPixels: config.VP_MAX_OUTPUT_PIXELS,
          maxArchiveBytes: config.VP_MAX_ARCHIVE_BYTES,
          ...(config.VP_JOB_STALL_SECONDS > 0 ? { stallSeconds: config.VP_JOB_STALL_SECONDS } : {}),
        },
        visibilityTimeoutSeconds: config.VP_JOB_VISIBILITY_SECONDS,
        ...(options.statusPollMs !== undefined ? { statusPollMs: options.statusPollMs } : {}),
      }),
    );
  }
  if (backend.kind === "local" || backend.messaging === "local") {
    const notify = createJobNotifier({
      identity: platform.identity,
      mailer: platform.mailer,
      publicUrl: config.publicUrl ?? options.publicUrl(),
      logger: logger.child({ component: "notify" }),
    });
    consumers.push(
      startQueueConsumer({
        name: "notifications",
        queue: platform.notificationQueue,
        concurrency: 2,
        visibilityTimeoutSeconds: 60,
        logger: logger.child({ component: "notify" }),
        handle: async (message) => {
          await notify(message.body);
          return { kind: "ack" };
        },
      }),
    );
  }
  // Webhook deliveries leave from their own queue, never from a job's path (README "Webhooks").
  const webhooks = startWebhookConsumer({
    webhooks: platform.webhooks,
    identity: platform.identity,
    mailer: platform.mailer,
    publicUrl: () => config.publicUrl ?? options.publicUrl(),
    logger: logger.child({ component: "webhooks" }),
  });
  if (webhooks !== null) consumers.push(webhooks);
  return {
    async close() {
      await Promise.all(consumers.map((c) => c.close({ graceMs: config.VP_SHUTDOWN_GRACE_SECONDS * 1000 })));
    },
  };
}
