import { join } from "node:path";
import {
  extractionRequestedSchema,
  jobEventSchema,
  webhookTaskSchema,
  type JobEvent,
  type ServiceName,
} from "@vp/domain";
import { createAwsPlatform, type AwsMessaging, type AwsPlatform } from "./aws/aws-platform.js";
import type { EventBus } from "./ports/event-bus.js";
import { createLocalJobEventPublisher } from "./local/local-job-event-publisher.js";
import { createLocalPlatform, type LocalPlatform } from "./local/local-platform.js";
import { SqliteJobQueue } from "./local/sqlite-job-queue.js";
import type { ConsumerLogger } from "./messaging/queue-consumer.js";
import type { PlatformSettings } from "./settings.js";
import { openDatabase } from "./sqlite/index.js";
import { withWebhookEvents } from "./webhooks/webhook-event-source.js";
import { webhookSettingsFrom } from "./webhooks/webhook-settings.js";

/**
 * The adapters one process runs on. `local` messaging means queues and job news stay on this host
 * (SQLite), so the process that runs the worker also sends the emails; with `aws` messaging the
 * notify Lambda does, and API pods relay job news from their SQS queue.
 */
export type Backend =
  | { readonly kind: "local"; readonly platform: LocalPlatform }
  | { readonly kind: "aws"; readonly messaging: "aws" | "local"; readonly platform: AwsPlatform };

export interface SelectPlatformOptions {
  readonly logger: ConsumerLogger;
  /** Who this process is, as the sender of the job events it publishes. */
  readonly service: ServiceName;
  /** Origin of this machine's HTTP server (local blob URLs); known only after listen when the port is 0. */
  readonly publicUrl: () => string;
}

/** Adapters are chosen here, by configuration, and nowhere else. */
export async function selectPlatform(settings: PlatformSettings, options: SelectPlatformOptions): Promise<Backend> {
  if (settings.VP_BACKEND === "local")
    return {
      kind: "local",
      platform: await createLocalPlatform({
        dataDir: settings.dataDir,
        publicUrl: options.publicUrl,
        issuer: settings.publicUrl ?? "urn:video-processor:local",
        accessTokenTtlSeconds: settings.VP_ACCESS_TOKEN_TTL_SECONDS,
        requireEmailConfirmation: settings.VP_REQUIRE_EMAIL_CONFIRMATION,
        mailFrom: settings.VP_MAIL_FROM,
        smtpUrl: settings.SMTP_URL,
        jobMaxAttempts: settings.VP_JOB_MAX_ATTEMPTS,
        multipartThresholdBytes: settings.VP_MULTIPART_THRESHOLD_BYTES,
        uploadMinBytesPerSecond: settings.VP_UPLOAD_MIN_BYTES_PER_SECOND,
        uploadRateWindowSeconds: settings.VP_UPLOAD_RATE_WINDOW_SECONDS,
        tempMaxAgeSeconds: settings.VP_TEMP_MAX_AGE_SECONDS,
        multipartAbortSeconds: settings.VP_MULTIPART_ABORT_SECONDS,
        webhooks: webhookSettingsFrom(settings),
        onSweep: (r) =>
          "error" in r
            ? options.logger.warn({ err: r.error }, "temp sweep failed")
            : options.logger.info(r, "swept temp files of dead uploads and jobs"),
      }),
    };
  const base = { logger: options.logger, service: options.service };
  if (settings.VP_MESSAGING !== "local")
    return { kind: "aws", messaging: "aws", platform: await createAwsPlatform(settings, base) };
  return {
    kind: "aws",
    messaging: "local",
    platform: await createAwsPlatform(settings, { ...base, messaging: (events) => sqliteMessaging(settings, events) }),
  };
}

/** Queues in one SQLite file under the data dir; job news straight onto the (Redis) event bus. */
function sqliteMessaging(settings: PlatformSettings, events: EventBus): AwsMessaging {
  const db = openDatabase(join(settings.dataDir, "messaging.db"));
  const notificationQueue = new SqliteJobQueue<JobEvent>({
    db,
    name: "notifications",
    schema: jobEventSchema,
    maxAttempts: 5,
  });
  const webhookQueue = new SqliteJobQueue({ db, name: "webhooks", schema: webhookTaskSchema, maxAttempts: 10 });
  return {
    extractionQueue: new SqliteJobQueue({
      db,
      name: "extractions",
      schema: extractionRequestedSchema,
      maxAttempts: settings.VP_JOB_MAX_ATTEMPTS + 1,
    }),
    notificationQueue,
    apiEventQueue: null,
    jobEvents: withWebhookEvents(
      createLocalJobEventPublisher({ events, notifications: notificationQueue }),
      webhookQueue,
    ),
    webhookQueue,
    close: async () => void db.close(),
  };
}
