import type { ExtractionRequested, JobEvent } from "@vp/domain";
import type {
  AccessTokenVerifier,
  BlobStore,
  EventBus,
  IdentityProvider,
  JobEventPublisher,
  JobQueue,
  JobRepository,
  Mailer,
  VideoRepository,
} from "./ports/index.js";
import type { WebhookPlatform } from "./webhooks/webhook-platform.js";

/**
 * Everything the services need from the outside world, built by one adapter family
 * (local or aws) chosen by configuration. Services take what they use from here; nothing
 * imports an adapter directly.
 */
export interface Platform {
  readonly videos: VideoRepository;
  readonly jobs: JobRepository;
  readonly blobs: { readonly videos: BlobStore; readonly archives: BlobStore };
  /** API -> worker: extraction requests. */
  readonly extractionQueue: JobQueue<ExtractionRequested>;
  /** worker -> notify: terminal job events. */
  readonly notificationQueue: JobQueue<JobEvent>;
  /** Live fan-out to subscribers, across processes. */
  readonly events: EventBus;
  /** Job news: to live subscribers and, for terminal states, to notifications. */
  readonly jobEvents: JobEventPublisher;
  readonly identity: IdentityProvider;
  readonly tokens: AccessTokenVerifier;
  readonly mailer: Mailer;
  /** Users' webhook endpoints, their deliveries, and the queue deliveries leave from. */
  readonly webhooks: WebhookPlatform;
  close(): Promise<void>;
}
