export { startWorkerRole, type WorkerRoleOptions } from "./start-worker-role.js";
export { loadWorkerConfig, workerConfigSchema, workerSettingsShape, type WorkerConfig } from "./config.js";
export { startWorker, type WorkerOptions } from "./runner/start-worker.js";
export { createExtractionHandler, archiveKeyFor, type ExtractionHandlerDeps } from "./runner/extraction-handler.js";
export { createWorkerMetrics, type WorkerMetrics } from "./runner/worker-metrics.js";
