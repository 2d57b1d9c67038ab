import { z } from "zod";
import { apiConfigSchema } from "@vp/api";
import { completeSettings, parseEnv } from "@vp/platform";
import { workerConfigSchema } from "@vp/worker";
import type { StandaloneConfig } from "./start-product.js";

/** Every role's settings together: one process runs them all. */
export const standaloneConfigSchema = z.object({ ...apiConfigSchema.shape, ...workerConfigSchema.shape });

/** Throws ConfigError listing every bad setting. */
export const loadStandaloneConfig = (env: Record<string, string | undefined> = process.env): StandaloneConfig =>
  completeSettings(parseEnv(standaloneConfigSchema, env));
