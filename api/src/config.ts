import { z } from "zod";
import {
  completeSettings,
  envInt,
  type PlatformSettings,
  parseEnv,
  platformSettingsShape,
  processSettingsShape,
} from "@vp/platform";

/** The API role's own settings: its port, request limits and how it watches the queue. */
export const apiSettingsShape = {
  PORT: envInt(0, 65_535).default(4000),
  VP_MAX_UPLOAD_BYTES: envInt(1, Number.MAX_SAFE_INTEGER).default(2 * 1024 ** 3),
  /** Default and maximum frames per job. */
  VP_MAX_FRAMES: envInt(1, 100_000).default(1000),
  /**
   * API processes re-enqueue a job left QUEUED this long without a write (its request may have been
   * lost between the job write and the enqueue). Jobs can wait legitimately behind a backlog; a
   * re-enqueue is then a harmless duplicate, so this only bounds how long a lost request stalls.
   */
  VP_QUEUED_JOB_RECONCILE_SECONDS: envInt(30, 86_400).default(300),
  VP_GRAPHQL_MAX_DEPTH: envInt(2, 50).default(12),
  VP_GRAPHQL_MAX_COST: envInt(10, 1_000_000).default(5000),
  VP_ACCOUNTS_RATE_LIMIT_PER_MINUTE: envInt(1, 100_000).default(30),
} as const;

export const apiConfigSchema = z.object({ ...platformSettingsShape, ...processSettingsShape, ...apiSettingsShape });
export type ApiConfig = z.output<typeof apiConfigSchema> & PlatformSettings;

/** Throws ConfigError listing every bad setting. */
export const loadApiConfig = (env: Record<string, string | undefined> = process.env): ApiConfig =>
  completeSettings(parseEnv(apiConfigSchema, env));
