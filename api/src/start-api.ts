import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { createAccountsHandler, TokenBucketRateLimiter, toNodeHandler } from "@vp/auth-lambda";
import { classifyHead, validatePlan } from "@vp/engine";
import type { Backend } from "@vp/platform";
import type { ApiConfig } from "./config.js";
import { startApiServer } from "./http/server.js";
import { startApiEventRelay } from "./messaging/api-event-relay.js";
import { startQueuedJobReconciler } from "./messaging/queued-job-reconciler.js";

export interface ApiRoleOptions {
  readonly config: ApiConfig;
  readonly backend: Backend;
  readonly logger: Logger;
  readonly metrics: Registry;
  /** Directory of the bundled GraphiQL; absent in tests that do not need the playground. */
  readonly graphiqlDir?: string;
}

export interface RunningApi {
  readonly url: string;
  /** Stops taking HTTP and WebSocket traffic, then stops the background consumers. */
  close(): Promise<void>;
}

/** The API role: the HTTP server, plus what keeps the API's side of the queues honest. */
export async function startApi(options: ApiRoleOptions): Promise<RunningApi> {
  const { config, backend, logger } = options;
  const { platform } = backend;
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
    metrics: options.metrics,
    // Pure functions only: the API role needs no ffmpeg and never starts one.
    engine: { validatePlan, classifyHead },
    accountsHandler: toNodeHandler(accounts, { maxBodyBytes: 8 * 1024 }),
    // On AWS, S3 serves the signed URLs and Cognito its keys.
    blobHandler: backend.kind === "local" ? backend.platform.blobHttpHandler : async () => false,
    ...(backend.kind === "local" ? { jwks: () => backend.platform.jwks() } : {}),
    ...(options.graphiqlDir ? { graphiqlDir: options.graphiqlDir } : {}),
  });

  const background: Array<{ close(options?: { graceMs?: number }): Promise<void> }> = [];
  if (backend.kind === "aws" && backend.platform.apiEventQueue !== null) {
    // Worker events reach every API pod's subscribers through the shared API queue and Redis.
    background.push(
      startApiEventRelay({
        queue: backend.platform.apiEventQueue,
        events: platform.events,
        logger: logger.child({ component: "relay" }),
      }),
    );
  }
  // The API writes a job, then enqueues its request: this re-enqueues jobs a crash left in between.
  const staleAfterSeconds = config.VP_QUEUED_JOB_RECONCILE_SECONDS;
  background.push(
    startQueuedJobReconciler({
      jobs: platform.jobs,
      queue: platform.extractionQueue,
      staleAfterSeconds,
      intervalMs: Math.min(60, Math.max(5, Math.floor(staleAfterSeconds / 5))) * 1000,
      logger: logger.child({ component: "reconciler" }),
    }),
  );
  return {
    url: server.url,
    async close() {
      await server.close();
      await Promise.all(background.map((b) => b.close({ graceMs: config.VP_SHUTDOWN_GRACE_SECONDS * 1000 })));
    },
  };
}
