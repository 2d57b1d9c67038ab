import type { Message, ServiceName, WebhookTask } from "@vp/domain";
import { AWS_REQUIRED_SETTINGS, MESSAGING_SETTINGS, type PlatformSettings } from "../settings.js";
import type { EventBus } from "../ports/event-bus.js";
import { ConfigError } from "../shared/env-config.js";
import type { ConsumerLogger } from "../messaging/queue-consumer.js";
import type { Platform } from "../platform.js";
import type { JobQueue } from "../ports/job-queue.js";
import { createAwsClients, type AwsClients } from "./clients.js";
import { CognitoIdentityProvider, cognitoIssuer, createCognitoTokenVerifier } from "./cognito-identity-provider.js";
import { cachedSessionRevocations } from "../auth/cached-session-revocations.js";
import { DynamoJobRepository } from "./dynamo-job-repository.js";
import { DynamoSessionRevocations } from "./dynamo-session-revocations.js";
import { DynamoVideoRepository } from "./dynamo-video-repository.js";
import { createApiEventQueue, createExtractionQueue, createNotificationQueue } from "./queues.js";
import { RedisEventBus } from "./redis-event-bus.js";
import { S3BlobStore } from "./s3-blob-store.js";
import { DEFAULT_PART_SIZE_BYTES } from "../shared/multipart.js";
import { SesMailer } from "./ses-mailer.js";
import { createDynamoWebhookStore } from "./dynamo-webhook-store.js";
import { createSqsWebhookQueue } from "./sqs-webhook-queue.js";
import { webhookSettingsFrom } from "../webhooks/webhook-settings.js";
import { unconfiguredQueue } from "../webhooks/unconfigured-queue.js";
import { createSnsJobEventPublisher, createSnsPublisher } from "./sns-publisher.js";

export interface AwsPlatformOptions {
  readonly logger: ConsumerLogger;
  /**
   * Who this process is, as `sender` of the job events it publishes (the API publishes the
   * changes it makes itself, e.g. cancel). @default MSG_SERVICE_WORKER
   */
  readonly service?: ServiceName;
  /** Clients to use instead of the default ones (tests: local servers). */
  readonly clients?: AwsClients;
  /**
   * Queues and job news from elsewhere than SNS/SQS (VP_MESSAGING=local: SQLite on this host);
   * the SNS and SQS settings are then not needed. @default SNS topics and SQS queues
   */
  readonly messaging?: (events: EventBus) => AwsMessaging;
}

/** The ports SNS and SQS serve on AWS. */
export interface AwsMessaging extends Pick<Platform, "extractionQueue" | "notificationQueue" | "jobEvents"> {
  /** The API pods' shared queue (worker topic -> API queue); null when job news needs no relay. */
  readonly apiEventQueue: JobQueue<Message> | null;
  /** Job news to fan out and webhook deliveries' attempts (SQS: fed by the worker topic). */
  readonly webhookQueue: JobQueue<WebhookTask>;
  close?(): Promise<void>;
}

export interface AwsPlatform extends Platform {
  /**
   * The API pods' shared queue (worker topic -> API queue): feed it to startApiEventRelay in API
   * processes. Workers never receive from it. Null with local messaging (news goes straight to Redis).
   */
  readonly apiEventQueue: JobQueue<Message> | null;
  readonly clients: AwsClients;
}

type Setting<K extends (typeof AWS_REQUIRED_SETTINGS)[number]> = NonNullable<PlatformSettings[K]>;

/**
 * S3, DynamoDB, SNS/SQS, Cognito, SES and Redis behind the same ports as the single-machine
 * platform. Nothing connects until used, except Redis (checked here, so a wrong URL fails at start).
 *
 * - extractionQueue: enqueue publishes to the API topic; receive/extend/ack/retry work the worker queue.
 * - notificationQueue: fed by the worker topic and consumed by the notify Lambda; API and worker
 *   never receive from it (jobEvents reaches it through SNS).
 * - jobEvents: one SNS publish to the worker topic; API pods relay it into `events` (Redis).
 */
export async function createAwsPlatform(config: PlatformSettings, options: AwsPlatformOptions): Promise<AwsPlatform> {
  const missing = AWS_REQUIRED_SETTINGS.filter(
    (name) =>
      name !== "VP_PUBLIC_URL" &&
      config[name] === undefined &&
      !(options.messaging !== undefined && MESSAGING_SETTINGS.has(name)),
  );
  if (missing.length > 0) throw new ConfigError(missing.map((name) => `${name}: is required when VP_BACKEND=aws`));
  const need = <K extends (typeof AWS_REQUIRED_SETTINGS)[number]>(name: K): Setting<K> => config[name] as Setting<K>;
  const region = need("AWS_REGION");
  const { logger } = options;

  const clients = options.clients ?? createAwsClients({ region, forcePathStyle: config.VP_S3_FORCE_PATH_STYLE });
  const tableName = need("VP_DYNAMODB_TABLE");
  const events = new RedisEventBus({ url: need("VP_REDIS_URL"), logger });
  try {
    await events.connect();
  } catch (e) {
    await events.close();
    throw new Error(`cannot reach Redis at VP_REDIS_URL: ${(e as Error).message}`);
  }

  const messaging = (options.messaging ?? snsAndSqs)(events);
  function snsAndSqs(): AwsMessaging {
    return {
      extractionQueue: createExtractionQueue({
        sqs: clients.sqs,
        sns: clients.sns,
        queueUrl: need("VP_SQS_WORKER_QUEUE_URL"),
        topicArn: need("VP_SNS_API_TOPIC_ARN"),
        // As on one machine: one delivery more than attempts, so the worker records the failure itself.
        maxAttempts: config.VP_JOB_MAX_ATTEMPTS + 1,
        ...(config.VP_SQS_WORKER_DLQ_URL !== undefined ? { deadLetterQueueUrl: config.VP_SQS_WORKER_DLQ_URL } : {}),
        logger,
      }),
      notificationQueue: createNotificationQueue({
        sqs: clients.sqs,
        queueUrl: need("VP_SQS_NOTIFY_QUEUE_URL"),
        maxAttempts: 5,
        logger,
      }),
      apiEventQueue: createApiEventQueue({ sqs: clients.sqs, queueUrl: need("VP_SQS_API_QUEUE_URL"), logger }),
      webhookQueue:
        config.VP_SQS_WEBHOOK_QUEUE_URL === undefined
          ? unconfiguredQueue("VP_SQS_WEBHOOK_QUEUE_URL")
          : createSqsWebhookQueue({
              sqs: clients.sqs,
              queueUrl: config.VP_SQS_WEBHOOK_QUEUE_URL,
              maxAttempts: 10,
              logger,
            }),
      jobEvents: createSnsJobEventPublisher({
        publisher: createSnsPublisher({ sns: clients.sns, topicArn: need("VP_SNS_WORKER_TOPIC_ARN") }),
        ...(options.service !== undefined ? { sender: options.service } : {}),
      }),
    };
  }

  const issuer = config.VP_COGNITO_ISSUER?.replace(/\/$/, "") ?? cognitoIssuer(region, need("VP_COGNITO_USER_POOL_ID"));
  // Signed-out sessions, items of the records table; the accounts Lambda writes them too.
  const revocations = cachedSessionRevocations(new DynamoSessionRevocations({ doc: clients.documents, tableName }));
  const mailer = new SesMailer({ ses: clients.ses, from: config.VP_MAIL_FROM });
  return {
    videos: new DynamoVideoRepository({ doc: clients.documents, tableName }),
    jobs: new DynamoJobRepository({ doc: clients.documents, tableName }),
    blobs: {
      videos: new S3BlobStore({
        s3: clients.s3,
        bucket: need("VP_S3_VIDEOS_BUCKET"),
        multipartThresholdBytes: config.VP_MULTIPART_THRESHOLD_BYTES,
        // Parts are never larger than the threshold (nor, as S3 requires, smaller than 5 MiB).
        uploadPartSizeBytes: Math.min(DEFAULT_PART_SIZE_BYTES, config.VP_MULTIPART_THRESHOLD_BYTES),
      }),
      archives: new S3BlobStore({ s3: clients.s3, bucket: need("VP_S3_ARCHIVES_BUCKET") }),
    },
    events,
    ...messaging,
    webhooks: {
      store: createDynamoWebhookStore({ doc: clients.documents, tableName }),
      queue: messaging.webhookQueue,
      settings: webhookSettingsFrom(config),
    },
    identity: new CognitoIdentityProvider({
      cognito: clients.cognito,
      userPoolId: need("VP_COGNITO_USER_POOL_ID"),
      clientId: need("VP_COGNITO_CLIENT_ID"),
      autoConfirm: !config.VP_REQUIRE_EMAIL_CONFIRMATION,
      mailer,
      sessions: { revocations, issuer },
    }),
    tokens: createCognitoTokenVerifier({ issuer, clientId: need("VP_COGNITO_CLIENT_ID"), revocations }),
    mailer,
    clients,
    async close() {
      await messaging.close?.();
      await events.close();
      if (options.clients === undefined) clients.destroy();
    },
  };
}
