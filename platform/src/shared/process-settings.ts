import { z } from "zod";
import { envInt } from "./env-config.js";

/** Settings every process reads, whatever its role. */
export const processSettingsShape = {
  /** Interface the HTTP servers of this process listen on. */
  HOST: z.string().min(1).default("0.0.0.0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** On SIGTERM, how long running work may finish before it is handed back. */
  VP_SHUTDOWN_GRACE_SECONDS: envInt(0, 3600).default(20),
} as const;
