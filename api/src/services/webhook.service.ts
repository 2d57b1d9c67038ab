import {
  generateWebhookSecret,
  isDomainError,
  newId,
  toWebhookGlobalId,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_TEST_EVENT,
  type Page,
  type PageRequest,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEndpointPatch,
  type WebhookEventType,
} from "@vp/domain";
import { randomWebhookDeliveryId, refusedWebhookUrl, type WebhookPlatform } from "@vp/platform";
import { userError, type UserErrorData } from "./user-errors.js";

export interface WebhookServiceDeps {
  readonly webhooks: WebhookPlatform;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

type EndpointResult = { readonly endpoint: WebhookEndpoint | null; readonly userErrors: readonly UserErrorData[] };
type DeliveryResult = { readonly delivery: WebhookDelivery | null; readonly userErrors: readonly UserErrorData[] };

const MAX_DESCRIPTION = 200;
const ENDPOINT_FIELD = ["input", "endpointId"];
const noEndpoint = (): UserErrorData =>
  userError("NOT_FOUND", "No webhook endpoint with this id exists.", ENDPOINT_FIELD);

/** Null or empty means every event; duplicates are dropped and the order made stable. */
const normalizeEvents = (events: readonly WebhookEventType[] | null | undefined): WebhookEventType[] =>
  events === null || events === undefined || events.length === 0
    ? [...WEBHOOK_EVENT_TYPES]
    : WEBHOOK_EVENT_TYPES.filter((t) => events.includes(t));

/**
 * The viewer's webhook endpoints: create (the secret is answered once), update, rotate, delete,
 * and test or redeliver (queued like every delivery, never sent from the request).
 */
export function createWebhookService(deps: WebhookServiceDeps) {
  const { store, queue, settings } = deps.webhooks;
  const now = () => deps.now?.() ?? new Date();

  const checkUrl = (url: string, field: readonly string[]): UserErrorData | null => {
    const refused = refusedWebhookUrl(url.trim(), { allowLocalTargets: settings.allowLocalTargets });
    return refused === null ? null : userError("VALIDATION", `The URL ${refused}.`, field);
  };
  const checkDescription = (d: string | null | undefined): UserErrorData | null =>
    d !== null && d !== undefined && d.length > MAX_DESCRIPTION
      ? userError("VALIDATION", `The description must be at most ${MAX_DESCRIPTION} characters.`, [
          "input",
          "description",
        ])
      : null;

  async function queueAttempt(delivery: WebhookDelivery): Promise<void> {
    await queue.enqueue(
      { kind: "DELIVER", deliveryId: delivery.id, attempts: delivery.attempts },
      { dedupeKey: `${delivery.id}:${delivery.attempts}` },
    );
  }

  return {
    async create(
      ownerId: string,
      input: {
        readonly url: string;
        readonly events?: readonly WebhookEventType[] | null;
        readonly description?: string | null;
      },
    ): Promise<EndpointResult & { readonly secret: string | null }> {
      const problems = [checkUrl(input.url, ["input", "url"]), checkDescription(input.description)].filter(
        (p): p is UserErrorData => p !== null,
      );
      if (problems.length > 0) return { endpoint: null, secret: null, userErrors: problems };
      if ((await store.endpoints.countForOwner(ownerId)) >= settings.maxEndpointsPerUser)
        return {
          endpoint: null,
          secret: null,
          userErrors: [
            userError(
              "QUOTA_EXCEEDED",
              `You already have ${settings.maxEndpointsPerUser} webhook endpoints, the most allowed.`,
            ),
          ],
        };
      const secret = generateWebhookSecret();
      const endpoint = await store.endpoints.create({
        id: newId(),
        ownerId,
        url: input.url.trim(),
        description: input.description ?? "",
        events: normalizeEvents(input.events),
        secret,
      });
      return { endpoint, secret, userErrors: [] };
    },

    async update(
      ownerId: string,
      input: {
        readonly endpointId: string;
        readonly url?: string | null;
        readonly events?: readonly WebhookEventType[] | null;
        readonly description?: string | null;
        readonly enabled?: boolean | null;
      },
    ): Promise<EndpointResult> {
      const current = await store.endpoints.findForOwner(ownerId, input.endpointId);
      if (current === null) return { endpoint: null, userErrors: [noEndpoint()] };
      const problems = [
        input.url === null || input.url === undefined ? null : checkUrl(input.url, ["input", "url"]),
        checkDescription(input.description),
      ].filter((p): p is UserErrorData => p !== null);
      if (problems.length > 0) return { endpoint: current, userErrors: problems };
      const patch: WebhookEndpointPatch = {
        ...(input.url !== null && input.url !== undefined ? { url: input.url.trim() } : {}),
        ...(input.events !== null && input.events !== undefined ? { events: normalizeEvents(input.events) } : {}),
        ...(input.description !== null && input.description !== undefined ? { description: input.description } : {}),
        ...(input.enabled === true ? { enabled: true, disabledReason: null, failingSince: null } : {}),
        ...(input.enabled === false ? { enabled: false, disabledReason: "USER" as const } : {}),
      };
      return { endpoint: await store.endpoints.update(current.id, {}, patch), userErrors: [] };
    },

    /** A new current secret; the old one keeps signing for settings.rotationOverlapMs, older ones stop. */
    async rotateSecret(
      ownerId: string,
      endpointId: string,
    ): Promise<EndpointResult & { readonly secret: string | null; readonly previousSecretExpiresAt: Date | null }> {
      for (let tries = 0; ; tries++) {
        const current = await store.endpoints.findForOwner(ownerId, endpointId);
        if (current === null)
          return { endpoint: null, secret: null, previousSecretExpiresAt: null, userErrors: [noEndpoint()] };
        const at = now();
        const expiresAt = new Date(at.getTime() + settings.rotationOverlapMs);
        const secret = generateWebhookSecret();
        const previous = current.secrets[0];
        const secrets = [
          { secret, createdAt: at, expiresAt: null },
          ...(previous !== undefined && settings.rotationOverlapMs > 0 ? [{ ...previous, expiresAt }] : []),
        ];
        try {
          const endpoint = await store.endpoints.update(current.id, { version: current.version }, { secrets });
          return { endpoint, secret, previousSecretExpiresAt: secrets.length > 1 ? expiresAt : null, userErrors: [] };
        } catch (e) {
          // A delivery's bookkeeping wrote in between: read again, never drop its write or ours.
          if (!isDomainError(e, "STALE_UPDATE") || tries >= 3) throw e;
        }
      }
    },

    async delete(
      ownerId: string,
      endpointId: string,
    ): Promise<{ readonly deleted: boolean; readonly userErrors: readonly UserErrorData[] }> {
      const deleted = await store.endpoints.deleteForOwner(ownerId, endpointId);
      return { deleted, userErrors: deleted ? [] : [noEndpoint()] };
    },

    async sendTest(ownerId: string, endpointId: string): Promise<DeliveryResult> {
      const endpoint = await store.endpoints.findForOwner(ownerId, endpointId);
      if (endpoint === null) return { delivery: null, userErrors: [noEndpoint()] };
      if (!endpoint.enabled)
        return {
          delivery: null,
          userErrors: [userError("ILLEGAL_TRANSITION", "The endpoint is disabled: enable it first.", ENDPOINT_FIELD)],
        };
      const at = now();
      const body = JSON.stringify({
        type: WEBHOOK_TEST_EVENT,
        timestamp: at.toISOString(),
        data: {
          endpointId: toWebhookGlobalId("WebhookEndpoint", endpoint.id),
          message: "A test delivery from video-processor.",
        },
      });
      const { delivery } = await store.deliveries.create({
        id: randomWebhookDeliveryId(),
        endpointId: endpoint.id,
        ownerId,
        type: WEBHOOK_TEST_EVENT,
        body,
        nextAttemptAt: at,
      });
      await queueAttempt(delivery);
      return { delivery, userErrors: [] };
    },

    /** A FAILED delivery again, same id and body, with a fresh retry schedule. */
    async redeliver(ownerId: string, deliveryId: string): Promise<DeliveryResult> {
      const field = ["input", "deliveryId"];
      const delivery = await store.deliveries.findById(deliveryId);
      if (delivery === null || delivery.ownerId !== ownerId)
        return {
          delivery: null,
          userErrors: [userError("NOT_FOUND", "No webhook delivery with this id exists.", field)],
        };
      if (delivery.status !== "FAILED")
        return {
          delivery,
          userErrors: [
            userError(
              "ILLEGAL_TRANSITION",
              `Only a FAILED delivery can be redelivered (this one is ${delivery.status}).`,
              field,
            ),
          ],
        };
      const endpoint = await store.endpoints.findForOwner(ownerId, delivery.endpointId);
      if (endpoint === null || !endpoint.enabled)
        return {
          delivery,
          userErrors: [
            userError(
              "ILLEGAL_TRANSITION",
              endpoint === null ? "Its endpoint was deleted." : "Its endpoint is disabled: enable it first.",
              field,
            ),
          ],
        };
      try {
        const again = await store.deliveries.update(
          delivery.id,
          { version: delivery.version },
          { status: "PENDING", scheduleOffset: delivery.attempts, nextAttemptAt: now() },
        );
        await queueAttempt(again);
        return { delivery: again, userErrors: [] };
      } catch (e) {
        if (isDomainError(e, "STALE_UPDATE"))
          return {
            delivery,
            userErrors: [userError("STALE_UPDATE", "The delivery changed meanwhile; try again.", field)],
          };
        throw e;
      }
    },

    get: (ownerId: string, endpointId: string): Promise<WebhookEndpoint | null> =>
      store.endpoints.findForOwner(ownerId, endpointId),
    list: (ownerId: string, page: PageRequest): Promise<Page<WebhookEndpoint>> =>
      store.endpoints.listForOwner(ownerId, page),
    deliveries: (ownerId: string, endpointId: string, page: PageRequest): Promise<Page<WebhookDelivery>> =>
      store.deliveries.listForEndpoint(ownerId, endpointId, page),
    async delivery(ownerId: string, deliveryId: string): Promise<WebhookDelivery | null> {
      const d = await store.deliveries.findById(deliveryId);
      return d !== null && d.ownerId === ownerId ? d : null;
    },
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
