import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const int = (min: number, max: number) => z.coerce.number().int("must be a whole number").min(min).max(max);

/**
 * Every setting the service reads, validated once at start. Anything not set here takes
 * the single-machine default, so `npm start` needs no configuration at all.
 */
export const configSchema = z.object({
  PORT: int(0, 65_535).default(4000),
  HOST: z.string().min(1).default("0.0.0.0"),
  /** Base URL that signed upload/download links point at; defaults to http://localhost:PORT. */
  VP_PUBLIC_URL: z.url().optional(),
  VP_DATA_DIR: z.string().min(1).default("./data"),
  VP_BACKEND: z.enum(["local", "aws"]).default("local"),
  VP_MAX_UPLOAD_BYTES: int(1, Number.MAX_SAFE_INTEGER).default(2 * 1024 ** 3),
  VP_WORKER_CONCURRENCY: int(0, 64).default(availableParallelism()),
  VP_MAX_FRAMES: int(1, 100_000).default(1000),
  VP_JOB_MAX_ATTEMPTS: int(1, 20).default(3),
  VP_JOB_TIMEOUT_SECONDS: int(10, 86_400).default(3600),
  /** How long a crashed worker's job stays invisible before another worker takes it over. */
  VP_JOB_VISIBILITY_SECONDS: int(1, 3600).default(60),
  VP_REQUIRE_EMAIL_CONFIRMATION: bool.default(false),
  VP_ACCESS_TOKEN_TTL_SECONDS: int(60, 86_400).default(3600),
  VP_GRAPHQL_MAX_DEPTH: int(2, 50).default(12),
  VP_GRAPHQL_MAX_COST: int(10, 1_000_000).default(5000),
  VP_ACCOUNTS_RATE_LIMIT_PER_MINUTE: int(1, 100_000).default(30),
  VP_MAIL_FROM: z.string().min(3).default("video-processor <no-reply@localhost>"),
  SMTP_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type RawConfig = z.infer<typeof configSchema>;
export interface Config extends RawConfig {
  readonly dataDir: string;
  readonly publicUrl: string | null;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Throws ConfigError listing every bad setting, one line each, naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join(".")}=${JSON.stringify(present[String(i.path[0])] ?? "")}: ${i.message}`),
    );
  }
  return {
    ...parsed.data,
    dataDir: resolve(parsed.data.VP_DATA_DIR),
    publicUrl: parsed.data.VP_PUBLIC_URL?.replace(/\/$/, "") ?? null,
  };
}
