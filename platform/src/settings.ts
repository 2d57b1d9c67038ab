import { resolve } from "node:path";
import { z } from "zod";
import { ConfigError, envBool, envInt, parseEnv } from "./shared/env-config.js";

/**
 * Which adapters serve the ports, and where their resources are: the part of the configuration
 * the platform reads. Product settings (limits, ports, concurrency) belong to the roles that use them.
 */
export const platformSettingsShape = {
  VP_DATA_DIR: z.string().min(1).default("./data"),
  VP_BACKEND: z.enum(["local", "aws"]).default("local"),
  /** Base URL that signed upload/download links and emails point at; defaults to http://localhost:PORT. */
  VP_PUBLIC_URL: z.url().optional(),
  /** Uploads larger than this get one signed URL per part (multipart, parts up to 64 MiB and this size) instead of a single PUT. */
  VP_MULTIPART_THRESHOLD_BYTES: envInt(1, Number.MAX_SAFE_INTEGER).default(256 * 1024 ** 2),
  /**
   * VP_BACKEND=local: an upload body (single PUT or part) arriving slower than this, averaged over
   * VP_UPLOAD_RATE_WINDOW_SECONDS, is cut off with 408 and nothing is stored; 0 turns the check off.
   * 16 KiB/s (128 kbit/s) is far below any usable uplink, so only a trickle (slowloris) is cut.
   */
  VP_UPLOAD_MIN_BYTES_PER_SECOND: envInt(0, Number.MAX_SAFE_INTEGER).default(16 * 1024),
  /** The window of VP_UPLOAD_MIN_BYTES_PER_SECOND: rides out short stalls (Wi-Fi handover, TCP backoff). */
  VP_UPLOAD_RATE_WINDOW_SECONDS: envInt(1, 3600).default(30),
  /**
   * VP_BACKEND=local: temp files (half-written uploads and archives) untouched this long are a dead
   * write's and are swept, at start and every 10 minutes. Keep it above VP_JOB_TIMEOUT_SECONDS: a live
   * job's archive is touched at every frame, a live upload at least every VP_UPLOAD_RATE_WINDOW_SECONDS.
   */
  VP_TEMP_MAX_AGE_SECONDS: envInt(600, 30 * 86_400).default(6 * 3600),
  /** VP_BACKEND=local: multipart uploads neither completed nor aborted are dropped this long after they began, as S3's lifecycle rule does (1 day). */
  VP_MULTIPART_ABORT_SECONDS: envInt(3600, 30 * 86_400).default(86_400),
  /** Attempts a job gets; the extraction queue redelivers once more so the worker records the failure itself. */
  VP_JOB_MAX_ATTEMPTS: envInt(1, 20).default(3),
  VP_REQUIRE_EMAIL_CONFIRMATION: envBool.default(false),
  VP_ACCESS_TOKEN_TTL_SECONDS: envInt(60, 86_400).default(3600),
  VP_MAIL_FROM: z.string().min(3).default("video-processor <no-reply@localhost>"),
  SMTP_URL: z.url().optional(),

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
  VP_S3_FORCE_PATH_STYLE: envBool.default(false),
  /**
   * VP_BACKEND=aws only: `local` keeps queues and job news in SQLite under VP_DATA_DIR instead of
   * SNS/SQS (every other port stays on AWS). For one host running several roles, and for tests,
   * since SNS and SQS have no local server.
   */
  VP_MESSAGING: z.enum(["aws", "local"]).optional(),

  // Webhooks (see README "Webhooks"): read by the API (endpoint checks) and the delivery consumer.
  /** Development only: webhook URLs may be plain http and reach loopback (never private, link-local or metadata addresses). */
  VP_WEBHOOK_ALLOW_LOCAL_TARGETS: envBool.default(false),
  /** Multiplies the retry schedule (5 s ... 10 h); e.g. 0.001 compresses a day and a half into two minutes. */
  VP_WEBHOOK_RETRY_SCALE: z.coerce.number({ error: "must be a number" }).min(0.000001).max(10).default(1),
  /** One delivery attempt's limit (connect, send, answer). */
  VP_WEBHOOK_TIMEOUT_SECONDS: envInt(1, 60).default(15),
  /** An endpoint failing with no success for this long is disabled and its owner emailed. */
  VP_WEBHOOK_DISABLE_AFTER_SECONDS: envInt(1, 90 * 86_400).default(5 * 86_400),
  /** After rotateWebhookSecret, the old secret keeps signing beside the new one this long. */
  VP_WEBHOOK_ROTATION_OVERLAP_SECONDS: envInt(0, 30 * 86_400).default(86_400),
  VP_WEBHOOK_MAX_ENDPOINTS_PER_USER: envInt(1, 100).default(20),
  /** VP_BACKEND=aws: the webhooks queue (job news to fan out, deliveries' attempts); unset with VP_MESSAGING=local. */
  VP_SQS_WEBHOOK_QUEUE_URL: z.url().optional(),
} as const;

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

/** The AWS settings only SNS/SQS messaging needs. */
export const MESSAGING_SETTINGS: ReadonlySet<string> = new Set([
  "VP_SNS_API_TOPIC_ARN",
  "VP_SNS_WORKER_TOPIC_ARN",
  "VP_SQS_WORKER_QUEUE_URL",
  "VP_SQS_API_QUEUE_URL",
  "VP_SQS_NOTIFY_QUEUE_URL",
]);

type RawSettings = z.output<z.ZodObject<typeof platformSettingsShape>>;

export interface PlatformSettings extends RawSettings {
  /** VP_DATA_DIR, absolute. */
  readonly dataDir: string;
  /** VP_PUBLIC_URL without a trailing slash, or null. */
  readonly publicUrl: string | null;
}

/** Adds the derived fields and checks that an AWS backend has every resource it needs. */
export function completeSettings<T extends RawSettings>(raw: T): T & PlatformSettings {
  if (raw.VP_BACKEND === "aws") {
    const missing = AWS_REQUIRED_SETTINGS.filter(
      (name) => raw[name] === undefined && !(raw.VP_MESSAGING === "local" && MESSAGING_SETTINGS.has(name)),
    );
    if (missing.length > 0) throw new ConfigError(missing.map((name) => `${name}: is required when VP_BACKEND=aws`));
  }
  return { ...raw, dataDir: resolve(raw.VP_DATA_DIR), publicUrl: raw.VP_PUBLIC_URL?.replace(/\/$/, "") ?? null };
}

/** The platform's settings alone (tests, tools); roles parse them together with their own. */
export const loadPlatformSettings = (env: Record<string, string | undefined> = process.env): PlatformSettings =>
  completeSettings(parseEnv(z.object(platformSettingsShape), env));
