// Ports, their adapters (local: one machine; aws: S3, DynamoDB, SNS/SQS, Cognito, SES, Redis), and
// the one place that chooses between them. Contract suites are exported from "@vp/platform/testing".
export * from "./ports/index.js";
export type { Platform } from "./platform.js";
export * from "./settings.js";
export * from "./select-platform.js";
export { ConfigError, envBool, envInt, parseEnv } from "./shared/env-config.js";
export { checkLimit } from "./shared/pagination.js";
export { parseByteRange, type ByteRange } from "./shared/byte-range.js";
export * from "./auth/index.js";
export * from "./messaging/queue-consumer.js";
export * from "./local/index.js";
export { createLocalPlatform, type LocalPlatform, type LocalPlatformOptions } from "./local/local-platform.js";
export { createLocalJobEventPublisher } from "./local/local-job-event-publisher.js";
export { LocalIdentityProvider, SqliteSessionRevocations, loadOrCreateSigningKeys } from "./local/identity/index.js";
export * from "./aws/index.js";
export { processSettingsShape } from "./shared/process-settings.js";
export { createLogger } from "./shared/logger.js";
export { runMain } from "./shared/run-main.js";
export * from "./shared/metrics-server.js";
export * from "./webhooks/index.js";
