export { blobStoreContract, type BlobStoreFixture } from "./blob-store.contract.js";
export { repositoriesContract, type RepositoriesFixture } from "./repositories.contract.js";
export {
  jobQueueContract,
  testMessageSchema,
  type JobQueueFixture,
  type JobQueueSettings,
  type TestMessage,
} from "./job-queue.contract.js";
export { eventBusContract, type EventBusFixture } from "./event-bus.contract.js";
export { mailerContract, type DeliveredMail, type MailerFixture } from "./mailer.contract.js";
export { expectDomainError, until, readAll, bytes } from "./helpers.js";
export { sessionRevocationsContract, type SessionRevocationsFixture } from "./session-revocations.contract.js";
export { webhookStoreContract, type WebhookStoreFixture } from "./webhook-store.contract.js";
