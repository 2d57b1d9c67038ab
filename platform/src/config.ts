import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const int = (min: number, max: number) =>
  z.coerce
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

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
  /** Uploads larger than this get one signed URL per part (multipart, parts up to 64 MiB and this size) instead of a single PUT. */
  VP_MULTIPART_THRESHOLD_BYTES: int(1, Number.MAX_SAFE_INTEGER).default(256 * 1024 ** 2),
  VP_WORKER_CONCURRENCY: int(0, 64).default(availableParallelism()),
  VP_MAX_FRAMES: int(1, 100_000).default(1000),
  VP_JOB_MAX_ATTEMPTS: int(1, 20).default(3),
  VP_JOB_TIMEOUT_SECONDS: int(10, 86_400).default(3600),
  /** How long a crashed worker's job stays invisible before another worker takes it over. */
  VP_JOB_VISIBILITY_SECONDS: int(1, 3600).default(60),
  /**
   * API processes re-enqueue a job left QUEUED this long without a write (its request may have been
   * lost between the job write and the enqueue). Jobs can wait legitimately behind a backlog; a
   * re-enqueue is then a harmless duplicate, so this only bounds how long a lost request stalls.
   */
  VP_QUEUED_JOB_RECONCILE_SECONDS: int(30, 86_400).default(300),
  /** On SIGTERM, how long running jobs may finish before they are handed back to the queue. */
  VP_SHUTDOWN_GRACE_SECONDS: int(0, 3600).default(20),
  VP_REQUIRE_EMAIL_CONFIRMATION: bool.default(false),
  VP_ACCESS_TOKEN_TTL_SECONDS: int(60, 86_400).default(3600),
  VP_GRAPHQL_MAX_DEPTH: int(2, 50).default(12),
  VP_GRAPHQL_MAX_COST: int(10, 1_000_000).default(5000),
  VP_ACCOUNTS_RATE_LIMIT_PER_MINUTE: int(1, 100_000).default(30),
  VP_MAIL_FROM: z.string().min(3).default("video-processor <no-reply@localhost>"),
  SMTP_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Serves /metrics and /healthz from a process that runs no API (`--role worker`); unset: none. */
  VP_METRICS_PORT: int(0, 65_535).optional(),

  // VP_BACKEND=aws: the names of the resources the CDK app creates (infra/). Endpoints can be
  // pointed elsewhere (LocalStack, test servers) with the SDK's own AWS_ENDPOINT_URL_<SERVICE>.
  AWS_REGION: z.string().min(1).optional(),
  VP_S3_VIDEOS_BUCKET: z.string().min(3).optional(),
  VP_S3_ARCHIVES_BUCKET: z.string().min(3).optional(),
  VP_DYNAMODB_TABLE: z.string().min(3).optional(),
  VP_SNS_API_TOPIC_ARN: z.string().startsWith("arn:").optional(),
  VP_SNS_WORKER_TOPIC_ARN: z.string().startsWith("arn:").optional(),
  VP_SQS_WORKER_QUEUE_URL: z.url().optional(),
  VP_SQS_API_QUEUE_URL: z.url().optional(),
  VP_SQS_NOTIFY_QUEUE_URL: z.url().optional(),
  VP_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  VP_COGNITO_USER_POOL_ID: z.string().min(3).optional(),
  VP_COGNITO_CLIENT_ID: z.string().min(3).optional(),
  /** Optional, VP_BACKEND=aws: the worker queue's dead-letter queue, for queue-depth metrics. */
  VP_SQS_WORKER_DLQ_URL: z.url().optional(),
  /** Optional: `iss` of the pool's tokens when not https://cognito-idp.<region>.amazonaws.com/<pool> (LocalStack, cognito-local). */
  VP_COGNITO_ISSUER: z.url().optional(),
  /** Optional: path-style S3 URLs, for LocalStack and other S3-compatible servers. */
  VP_S3_FORCE_PATH_STYLE: bool.default(false),
});

/** Settings without which VP_BACKEND=aws cannot start. */
export const AWS_REQUIRED_SETTINGS = [
  "AWS_REGION",
  "VP_PUBLIC_URL",
  "VP_S3_VIDEOS_BUCKET",
  "VP_S3_ARCHIVES_BUCKET",
  "VP_DYNAMODB_TABLE",
  "VP_SNS_API_TOPIC_ARN",
  "VP_SNS_WORKER_TOPIC_ARN",
  "VP_SQS_WORKER_QUEUE_URL",
  "VP_SQS_API_QUEUE_URL",
  "VP_SQS_NOTIFY_QUEUE_URL",
  "VP_REDIS_URL",
  "VP_COGNITO_USER_POOL_ID",
  "VP_COGNITO_CLIENT_ID",
] as const;

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
      parsed.error.issues.map(
        (i) => `${i.path.join(".")}=${JSON.stringify(present[String(i.path[0])] ?? "")}: ${i.message}`,
      ),
    );
  }
  if (parsed.data.VP_BACKEND === "aws") {
    const missing = AWS_REQUIRED_SETTINGS.filter((name) => parsed.data[name] === undefined);
    if (missing.length > 0) throw new ConfigError(missing.map((name) => `${name}: is required when VP_BACKEND=aws`));
  }
  return {
    ...parsed.data,
    dataDir: resolve(parsed.data.VP_DATA_DIR),
    publicUrl: parsed.data.VP_PUBLIC_URL?.replace(/\/$/, "") ?? null,
  };
}
