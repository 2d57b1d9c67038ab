import { z } from "zod";
import {
  completeSettings,
  envBool,
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
  /** Largest output frame, width x height (4096x2160, 8.8 MP), checked against a READY video's probe. */
  VP_MAX_OUTPUT_PIXELS: envInt(1, 1_000_000_000).default(4096 * 2160),
  /** Jobs of one user QUEUED or RUNNING at once; a new one is refused (QUOTA_EXCEEDED) at the limit. */
  VP_MAX_LIVE_JOBS_PER_USER: envInt(1, 100_000).default(10),
  /** Jobs one user may create in any rolling hour (QUOTA_EXCEEDED beyond). */
  VP_MAX_JOBS_PER_USER_PER_HOUR: envInt(1, 1_000_000).default(100),
  /** Bytes one user may store: declared sizes of their videos plus their archives (20 GiB). */
  VP_MAX_STORED_BYTES_PER_USER: envInt(1, Number.MAX_SAFE_INTEGER).default(20 * 1024 ** 3),
  /**
   * API processes re-enqueue a job left QUEUED this long without a write (its request may have been
   * lost between the job write and the enqueue). Jobs can wait legitimately behind a backlog; a
   * re-enqueue is then a harmless duplicate, so this only bounds how long a lost request stalls.
   */
  VP_QUEUED_JOB_RECONCILE_SECONDS: envInt(30, 86_400).default(300),
  VP_GRAPHQL_MAX_DEPTH: envInt(2, 50).default(12),
  VP_GRAPHQL_MAX_COST: envInt(10, 1_000_000).default(5000),
  /** Lexical tokens per document (graphql's parse maxTokens); counted before anything else is done with it. */
  VP_GRAPHQL_MAX_TOKENS: envInt(100, 1_000_000).default(5000),
  /** Aliased fields per operation, fragments expanded (aliases are how one request repeats work). */
  VP_GRAPHQL_MAX_ALIASES: envInt(1, 10_000).default(30),
  /** Root fields of a mutation (fragments expanded): each may write, so 100 aliases must not make 100 jobs. */
  VP_GRAPHQL_MAX_ROOT_MUTATION_FIELDS: envInt(1, 100).default(1),
  /** Directives per document. */
  VP_GRAPHQL_MAX_DIRECTIVES: envInt(1, 10_000).default(50),
  /**
   * `__schema` / `__type` allowed (GraphiQL needs them). Either way introspection is charged: at most
   * one full introspection's worth per operation.
   */
  VP_GRAPHQL_INTROSPECTION: envBool.default(true),
  /** HTTP: time to receive a request's headers (slow-headers clients are cut off after it). */
  VP_HTTP_HEADERS_TIMEOUT_SECONDS: envInt(1, 600).default(10),
  /**
   * HTTP: time to receive a whole request, body included, on every route. Generous because signed
   * upload PUTs (one machine) come through this server; slow bodies are cut by the blob handler's
   * minimum rate, and GraphQL/accounts bodies by VP_HTTP_BODY_TIMEOUT_SECONDS.
   */
  VP_HTTP_REQUEST_TIMEOUT_SECONDS: envInt(1, 86_400).default(3600),
  /** HTTP: time for the body of any request other than a blob upload (GraphQL, accounts) to arrive. */
  VP_HTTP_BODY_TIMEOUT_SECONDS: envInt(1, 3600).default(30),
  /** HTTP: an idle keep-alive connection is closed after this (behind a load balancer: above its idle timeout). */
  VP_HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: envInt(1, 3600).default(5),
  /** HTTP: requests served on one keep-alive connection before it is closed (0: no limit). */
  VP_HTTP_MAX_REQUESTS_PER_SOCKET: envInt(0, 1_000_000).default(1000),
  /** WebSocket: largest message accepted (ws closes the socket with 1009 above it). */
  VP_WS_MAX_PAYLOAD_BYTES: envInt(1024, 100 * 1024 * 1024).default(64 * 1024),
  /** WebSocket: operations running at once on one connection. */
  VP_WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: envInt(1, 10_000).default(50),
  /** WebSocket: open connections per user (across this process). */
  VP_WS_MAX_CONNECTIONS_PER_USER: envInt(1, 10_000).default(20),
  /** WebSocket: a connection's token is verified again this often (revoked sessions close within it). */
  VP_WS_REVERIFY_SECONDS: envInt(1, 3600).default(30),
  /** /metrics and /healthz on their own port; unset: /metrics is not served by the API (404). */
  VP_METRICS_PORT: envInt(0, 65_535).optional(),
  /** When set, /metrics (on whichever port) answers only `Authorization: Bearer <this>`. */
  VP_METRICS_TOKEN: z.string().min(16, { error: "must be at least 16 characters" }).optional(),
  VP_ACCOUNTS_RATE_LIMIT_PER_MINUTE: envInt(1, 100_000).default(30),
  /**
   * HMAC key of frame URLs (/frames/<token>), shared by every API process that serves them; unset:
   * a random key kept under VP_DATA_DIR (one machine). On AWS it comes from Secrets Manager.
   */
  VP_URL_SIGNING_SECRET: z.string().min(32, { error: "must be at least 32 characters" }).optional(),
} as const;

export const apiConfigSchema = z.object({ ...platformSettingsShape, ...processSettingsShape, ...apiSettingsShape });
export type ApiConfig = z.output<typeof apiConfigSchema> & PlatformSettings;

/** Throws ConfigError listing every bad setting. */
export const loadApiConfig = (env: Record<string, string | undefined> = process.env): ApiConfig =>
  completeSettings(parseEnv(apiConfigSchema, env));

/** The services' limits from the settings (VP_MAX_UPLOAD_BYTES, VP_MAX_FRAMES, the per-user quotas). */
export const serviceLimitsOf = (config: z.output<typeof apiConfigSchema>) => ({
  maxUploadBytes: config.VP_MAX_UPLOAD_BYTES,
  maxFrames: config.VP_MAX_FRAMES,
  maxOutputPixels: config.VP_MAX_OUTPUT_PIXELS,
  quotas: {
    maxLiveJobs: config.VP_MAX_LIVE_JOBS_PER_USER,
    maxJobsPerHour: config.VP_MAX_JOBS_PER_USER_PER_HOUR,
    maxStoredBytes: config.VP_MAX_STORED_BYTES_PER_USER,
  },
});
