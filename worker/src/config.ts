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
  /**
   * Largest source picture, width x height, a worker decodes; a larger video is REJECTED at its probe
   * (SOURCE_TOO_LARGE) before ffmpeg decodes anything. 8192x4320 (8K DCI, 35.4 MP) by default.
   */
  VP_MAX_SOURCE_PIXELS: envInt(1, 1_000_000_000).default(8192 * 4320),
  /** Largest output frame, width x height (4096x2160, 8.8 MP: DCI 4K and UHD). Also an API setting. */
  VP_MAX_OUTPUT_PIXELS: envInt(1, 1_000_000_000).default(4096 * 2160),
  /** Largest archive of one job (2 GiB): the extraction stops before crossing it (ARCHIVE_TOO_LARGE). */
  VP_MAX_ARCHIVE_BYTES: envInt(1024, Number.MAX_SAFE_INTEGER).default(2 * 1024 ** 3),
  /** Seconds without a new frame before a job fails as STALLED (0: no watchdog; SCENES is exempt). */
  VP_JOB_STALL_SECONDS: envInt(0, 86_400).default(60),
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
