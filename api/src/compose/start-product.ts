import { collectDefaultMetrics, Registry } from "prom-client";
import type { Logger } from "pino";
import type { Config } from "@vp/platform/config";
import { createAwsPlatform, startApiEventRelay, type AwsPlatform } from "@vp/platform/aws/index";
import { createLocalPlatform, type LocalPlatform } from "@vp/platform/local/local-platform";
import type { Platform } from "@vp/platform/platform";
import { startQueueConsumer, type QueueConsumer } from "@vp/platform/messaging/queue-consumer";
import { startQueuedJobReconciler } from "@vp/platform/messaging/queued-job-reconciler";
import { createAccountsHandler, TokenBucketRateLimiter, toNodeHandler } from "@vp/auth-lambda";
import { createJobNotifier } from "@vp/notify-lambda";
import { extract, probe, resolveFfmpeg, validatePlan } from "@vp/worker/engine/index";
import { createWorkerMetrics } from "@vp/worker/runner/worker-metrics";
import { startWorker } from "@vp/worker/runner/start-worker";
import { startApiServer } from "../http/server.js";
import { startMetricsServer } from "./metrics-server.js";
import type { Roles } from "./roles.js";

export interface ProductOptions {
  readonly config: Config;
  readonly roles: Roles;
  readonly logger: Logger;
  /** Directory of the bundled GraphiQL; absent in tests that do not need the playground. */
  readonly graphiqlDir?: string;
  /** Test hooks: faster cancellation checks. */
  readonly statusPollMs?: number;
  /**
   * Adapters built by the caller instead of from configuration: tests use it to swap one port
   * (e.g. SNS/SQS, which has no local server) while every other adapter stays real.
   */
  readonly backend?: Backend;
}

export type Backend =
  | { readonly kind: "local"; readonly platform: LocalPlatform }
  | { readonly kind: "aws"; readonly platform: AwsPlatform };

export interface RunningProduct {
  /** Origin of the HTTP server, when this process runs the API. */
  readonly url: string | null;
  readonly platform: Platform;
  close(): Promise<void>;
}

/** Composition root: builds the platform chosen by configuration and starts this process's services. */
export async function startProduct(options: ProductOptions): Promise<RunningProduct> {
  const { config, roles, logger } = options;
  const ffmpeg = await resolveFfmpeg();
  logger[ffmpeg.outdated ? "warn" : "info"](
    { ffmpeg: ffmpeg.ffmpegPath, version: ffmpeg.version, source: ffmpeg.source },
    ffmpeg.outdated
      ? "using the old bundled ffmpeg fallback; install Debian's ffmpeg for untrusted input"
      : "ffmpeg found",
  );

  let publicUrl = config.publicUrl ?? `http://localhost:${config.PORT}`;
  // Adapters are chosen here, by configuration, and nowhere else.
  const backend: Backend =
    options.backend ??
    (config.VP_BACKEND === "aws"
      ? {
          kind: "aws",
          platform: await createAwsPlatform(config, {
            logger: logger.child({ component: "aws" }),
            service: roles.api ? "MSG_SERVICE_API" : "MSG_SERVICE_WORKER",
          }),
        }
      : {
          kind: "local",
          platform: await createLocalPlatform({
            dataDir: config.dataDir,
            publicUrl: () => publicUrl,
            issuer: config.publicUrl ?? "urn:video-processor:local",
            accessTokenTtlSeconds: config.VP_ACCESS_TOKEN_TTL_SECONDS,
            requireEmailConfirmation: config.VP_REQUIRE_EMAIL_CONFIRMATION,
            mailFrom: config.VP_MAIL_FROM,
            smtpUrl: config.SMTP_URL,
            jobMaxAttempts: config.VP_JOB_MAX_ATTEMPTS,
            multipartThresholdBytes: config.VP_MULTIPART_THRESHOLD_BYTES,
          }),
        });
  const { platform } = backend;

  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const stops: Array<() => Promise<void>> = [];

  let url: string | null = null;
  if (roles.api) {
    const accounts = createAccountsHandler({
      identity: platform.identity,
      rateLimiter: new TokenBucketRateLimiter({
        capacity: config.VP_ACCOUNTS_RATE_LIMIT_PER_MINUTE,
        refillPerSecond: config.VP_ACCOUNTS_RATE_LIMIT_PER_MINUTE / 60,
      }),
      logger: logger.child({ component: "accounts" }),
    });
    const server = await startApiServer({
      platform,
      config,
      logger,
      metrics,
      engine: { probe, validatePlan },
      accountsHandler: toNodeHandler(accounts, { maxBodyBytes: 8 * 1024 }),
      // On AWS, S3 serves the signed URLs and Cognito its keys.
      blobHandler: backend.kind === "local" ? backend.platform.blobHttpHandler : async () => false,
      ...(backend.kind === "local" ? { jwks: () => backend.platform.jwks() } : {}),
      ...(options.graphiqlDir ? { graphiqlDir: options.graphiqlDir } : {}),
    });
    url = server.url;
    if (!config.publicUrl) publicUrl = server.url;
    stops.push(() => server.close());
  }

  const consumers: QueueConsumer[] = [];
  if (roles.api && backend.kind === "aws") {
    // Worker events reach every API pod's subscribers through the shared API queue and Redis.
    consumers.push(
      startApiEventRelay({
        queue: backend.platform.apiEventQueue,
        events: platform.events,
        logger: logger.child({ component: "relay" }),
      }),
    );
  }
  if (roles.api) {
    // The API writes a job, then enqueues its request: this re-enqueues jobs a crash left in between.
    const staleAfterSeconds = config.VP_QUEUED_JOB_RECONCILE_SECONDS;
    const reconciler = startQueuedJobReconciler({
      jobs: platform.jobs,
      queue: platform.extractionQueue,
      staleAfterSeconds,
      intervalMs: Math.min(60, Math.max(5, Math.floor(staleAfterSeconds / 5))) * 1000,
      logger: logger.child({ component: "reconciler" }),
    });
    consumers.push({ close: () => reconciler.close() });
  }
  if (roles.worker && config.VP_WORKER_CONCURRENCY > 0) {
    consumers.push(
      startWorker({
        platform,
        engine: { extract },
        logger: logger.child({ component: "worker" }),
        metrics: createWorkerMetrics(metrics),
        concurrency: config.VP_WORKER_CONCURRENCY,
        maxAttempts: config.VP_JOB_MAX_ATTEMPTS,
        maxFrames: config.VP_MAX_FRAMES,
        timeoutSeconds: config.VP_JOB_TIMEOUT_SECONDS,
        visibilityTimeoutSeconds: config.VP_JOB_VISIBILITY_SECONDS,
        ...(options.statusPollMs !== undefined ? { statusPollMs: options.statusPollMs } : {}),
      }),
    );
  }
  // On AWS the notify Lambda consumes the notification queue.
  if (roles.notifier && backend.kind === "local") {
    const notify = createJobNotifier({
      identity: platform.identity,
      mailer: platform.mailer,
      publicUrl: config.publicUrl ?? publicUrl,
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
  let closeMetrics = async (): Promise<void> => {};
  if (!roles.api && config.VP_METRICS_PORT !== undefined) {
    let draining = false;
    const metricsServer = await startMetricsServer(metrics, {
      port: config.VP_METRICS_PORT,
      host: config.HOST,
      isHealthy: () => !draining,
    });
    logger.info({ port: metricsServer.port }, "metrics and health served");
    stops.unshift(async () => {
      draining = true;
    });
    closeMetrics = () => metricsServer.close();
  }
  // Drain order: stop taking HTTP and WebSocket traffic, let jobs finish or hand them back, then close storage.
  stops.push(async () => {
    await Promise.all(consumers.map((c) => c.close({ graceMs: config.VP_SHUTDOWN_GRACE_SECONDS * 1000 })));
  });
  stops.push(() => closeMetrics());

  return {
    url,
    platform,
    async close() {
      for (const stop of stops) await stop();
      await platform.close();
    },
  };
}
