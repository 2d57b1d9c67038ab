import { collectDefaultMetrics, Registry } from "prom-client";
import type { Logger } from "pino";
import { startApi, type ApiConfig } from "@vp/api";
import { selectPlatform, type Backend, type Platform } from "@vp/platform";
import { startWorkerRole, type WorkerConfig } from "@vp/worker";
import type { Roles } from "./roles.js";

export type StandaloneConfig = ApiConfig & WorkerConfig;

export interface ProductOptions {
  readonly config: StandaloneConfig;
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

export interface RunningProduct {
  /** Origin of the HTTP server, when this process runs the API. */
  readonly url: string | null;
  readonly platform: Platform;
  close(): Promise<void>;
}

/** Several roles in one process, sharing one platform: `npm start` runs them all on one machine. */
export async function startProduct(options: ProductOptions): Promise<RunningProduct> {
  const { config, roles, logger } = options;
  let publicUrl = config.publicUrl ?? `http://localhost:${config.PORT}`;
  const backend =
    options.backend ??
    (await selectPlatform(config, {
      logger: logger.child({ component: "platform" }),
      service: roles.api ? "MSG_SERVICE_API" : "MSG_SERVICE_WORKER",
      publicUrl: () => publicUrl,
    }));
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });

  const api = roles.api
    ? await startApi({
        config,
        backend,
        logger,
        metrics,
        ...(options.graphiqlDir ? { graphiqlDir: options.graphiqlDir } : {}),
      })
    : null;
  if (api && !config.publicUrl) publicUrl = api.url;
  const worker = roles.worker
    ? await startWorkerRole({
        config,
        backend,
        logger,
        metrics,
        publicUrl: () => publicUrl,
        ...(options.statusPollMs !== undefined ? { statusPollMs: options.statusPollMs } : {}),
      })
    : null;

  return {
    url: api?.url ?? null,
    platform: backend.platform,
    // Drain order: stop taking HTTP and WebSocket traffic, let jobs finish or hand them back, then close storage.
    async close() {
      await api?.close();
      await worker?.close();
      await backend.platform.close();
    },
  };
}
