import type {
  NewWebhookDelivery,
  NewWebhookEndpoint,
  Page,
  PageRequest,
  WebhookDelivery,
  WebhookDeliveryPatch,
  WebhookEndpoint,
  WebhookEndpointPatch,
} from "@vp/domain";

/**
 * Users' webhook endpoints. Writes are conditional on `version` when given: a write whose version
 * does not match changes nothing and throws STALE_UPDATE; an absent record throws NOT_FOUND.
 */
export interface WebhookEndpointRepository {
  /** Throws ALREADY_EXISTS for a duplicate id. Starts enabled, version 1, with `secret` as its only secret. */
  create(endpoint: NewWebhookEndpoint): Promise<WebhookEndpoint>;
  findById(id: string): Promise<WebhookEndpoint | null>;
  /** Another owner's id answers null, as if absent. */
  findForOwner(ownerId: string, id: string): Promise<WebhookEndpoint | null>;
  /** Newest first. */
  listForOwner(ownerId: string, query: PageRequest): Promise<Page<WebhookEndpoint>>;
  /** Every endpoint of the owner, enabled or not (for fan-out; owners have few). At most `limit`. */
  allForOwner(ownerId: string, limit: number): Promise<WebhookEndpoint[]>;
  countForOwner(ownerId: string): Promise<number>;
  update(id: string, when: { readonly version?: number }, patch: WebhookEndpointPatch): Promise<WebhookEndpoint>;
  /** False when the owner had no such endpoint. Its deliveries stay until they expire. */
  deleteForOwner(ownerId: string, id: string): Promise<boolean>;
}

/** One event's delivery to one endpoint, with its attempts. */
export interface WebhookDeliveryRepository {
  /**
   * Idempotent: a delivery with this id already stored is returned as it is (`created: false`), so a
   * redelivered event never makes a second delivery.
   */
  create(
    delivery: NewWebhookDelivery & { readonly nextAttemptAt: Date },
  ): Promise<{ readonly delivery: WebhookDelivery; readonly created: boolean }>;
  findById(id: string): Promise<WebhookDelivery | null>;
  /** Newest first; only the owner's. */
  listForEndpoint(ownerId: string, endpointId: string, query: PageRequest): Promise<Page<WebhookDelivery>>;
  /** Conditional on `version` (STALE_UPDATE otherwise): two consumers never both record one attempt. */
  update(id: string, when: { readonly version: number }, patch: WebhookDeliveryPatch): Promise<WebhookDelivery>;
}

export interface WebhookStore {
  readonly endpoints: WebhookEndpointRepository;
  readonly deliveries: WebhookDeliveryRepository;
}
