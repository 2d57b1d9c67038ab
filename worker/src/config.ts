import { availableParallelism } from "node:os";
import { z } from "zod";
import {
  completeSettings,
  envInt,
  type PlatformSettings,
  parseEnv,
  platformSettingsShape,
  processSettingsShape,
} from "@vp/platform";

/** The worker role's own settings: how many jobs at once, and how long each may take. */
export const workerSettingsShape = {
  /** Jobs run at once by one worker process (0: none). */
  VP_WORKER_CONCURRENCY: envInt(0, 64).default(availableParallelism()),
  /** Default and maximum frames per job. */
  VP_MAX_FRAMES: envInt(1, 100_000).default(1000),
  VP_JOB_TIMEOUT_SECONDS: envInt(10, 86_400).default(3600),
  /** How long a crashed worker's job stays invisible before another worker takes it over. */
  VP_JOB_VISIBILITY_SECONDS: envInt(1, 3600).default(60),
  /** Serves /metrics and /healthz of a process that runs no API; unset: none. */
  VP_METRICS_PORT: envInt(0, 65_535).optional(),
} as const;

export const workerConfigSchema = z.object({
  ...platformSettingsShape,
  ...processSettingsShape,
  ...workerSettingsShape,
});
export type WorkerConfig = z.output<typeof workerConfigSchema> & PlatformSettings;

/** Throws ConfigError listing every bad setting. */
export const loadWorkerConfig = (env: Record<string, string | undefined> = process.env): WorkerConfig =>
  completeSettings(parseEnv(workerConfigSchema, env));
