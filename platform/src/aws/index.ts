export * from "./clients.js";
export * from "./dynamo-table.js";
export { DynamoVideoRepository, type DynamoRepositoryOptions } from "./dynamo-video-repository.js";
export { DynamoJobRepository } from "./dynamo-job-repository.js";
export { S3BlobStore, type S3BlobStoreOptions } from "./s3-blob-store.js";
export { RedisEventBus, type RedisEventBusOptions } from "./redis-event-bus.js";
export {
  CognitoIdentityProvider,
  cognitoIssuer,
  createCognitoTokenVerifier,
  type CognitoIdentityProviderOptions,
} from "./cognito-identity-provider.js";
export { decodeEnvelope, envelopeAttributes, payloadDecoder, unwrapSqsBody, type Decoded } from "./envelope.js";
export { createSnsPublisher, createSnsJobEventPublisher } from "./sns-publisher.js";
export { SqsJobQueue, sendToQueue, type SqsJobQueueOptions } from "./sqs-job-queue.js";
export { createApiEventQueue, createExtractionQueue, createNotificationQueue } from "./queues.js";
export { SesMailer, type SesMailerOptions } from "./ses-mailer.js";
export { DynamoSessionRevocations, type DynamoSessionRevocationsOptions } from "./dynamo-session-revocations.js";
export { createAwsPlatform, type AwsMessaging, type AwsPlatform, type AwsPlatformOptions } from "./aws-platform.js";
export {
  createDynamoWebhookStore,
  DynamoWebhookDeliveryRepository,
  DynamoWebhookEndpointRepository,
} from "./dynamo-webhook-store.js";
export { createSqsWebhookQueue, decodeWebhookBody } from "./sqs-webhook-queue.js";
