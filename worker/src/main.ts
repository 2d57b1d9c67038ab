import { collectDefaultMetrics, Registry } from "prom-client";
import { createLogger, runMain, selectPlatform, startMetricsServer } from "@vp/platform";
import { loadWorkerConfig } from "./config.js";
import { startWorkerRole } from "./start-worker-role.js";

/** `node dist/worker.js`: the worker role alone, with /metrics and /healthz on VP_METRICS_PORT. */
await runMain(async () => {
  const config = loadWorkerConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const publicUrl = (): string => config.publicUrl ?? "http://localhost:4000";
  const backend = await selectPlatform(config, {
    logger: logger.child({ component: "platform" }),
    service: "MSG_SERVICE_WORKER",
    publicUrl,
  });
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const worker = await startWorkerRole({ config, backend, logger, metrics, publicUrl });
  let draining = false;
  const metricsServer =
    config.VP_METRICS_PORT === undefined
      ? null
      : await startMetricsServer(metrics, {
          port: config.VP_METRICS_PORT,
          host: config.HOST,
          isHealthy: () => !draining,
        });
  if (metricsServer) logger.info({ port: metricsServer.port }, "metrics and health served");
  process.stdout.write(`\nvideo-processor (worker) is running. Data dir: ${config.dataDir}\n\n`);
  return {
    logger,
    async close() {
      draining = true;
      await worker.close();
      await metricsServer?.close();
      await backend.platform.close();
    },
  };
});
