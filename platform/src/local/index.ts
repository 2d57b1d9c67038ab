export { SqliteVideoRepository, type SqliteRepositoryOptions } from "./sqlite-video-repository.js";
export { SqliteJobRepository } from "./sqlite-job-repository.js";
export { SqliteJobQueue, type SqliteJobQueueOptions } from "./sqlite-job-queue.js";
export { SqliteEventBus, type SqliteEventBusOptions } from "./sqlite-event-bus.js";
export { LocalDiskBlobStore, type LocalDiskBlobStoreOptions } from "./local-disk-blob-store.js";
export { createBlobHttpHandler } from "./blob-http-handler.js";
export { contentDisposition } from "../shared/content-disposition.js";
export { checkKey as checkBlobKey } from "../shared/blob-keys.js";
export { OutboxMailer, type OutboxMailerOptions } from "./outbox-mailer.js";
export { readOutbox, type OutboxMail } from "./read-outbox.js";
export { openDatabase, migrate, type Migration, type Database } from "../sqlite/index.js";
export {
  createSqliteWebhookStore,
  SqliteWebhookDeliveryRepository,
  SqliteWebhookEndpointRepository,
} from "./sqlite-webhook-store.js";
