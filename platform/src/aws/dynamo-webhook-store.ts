import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import {
  DomainError,
  type NewWebhookDelivery,
  type NewWebhookEndpoint,
  type Page,
  type PageRequest,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookDeliveryPatch,
  type WebhookDeliveryStatus,
  type WebhookDeliveryType,
  type WebhookDisabledReason,
  type WebhookEndpoint,
  type WebhookEndpointPatch,
  type WebhookEventType,
  type WebhookSecret,
} from "@vp/domain";
import type { WebhookDeliveryRepository, WebhookEndpointRepository, WebhookStore } from "../ports/webhook-store.js";
import { checkLimit } from "../shared/pagination.js";
import { conditionalUpdate, getItem, putNew, queryPage, type Item, type TableRef } from "./dynamo-support.js";
import { GSI_OWNER, timeKey } from "./dynamo-table.js";

/*
 * Webhook items in the records table, using its existing owner index (GSI1), so the table needs
 * no change. Reads by id are strongly consistent GetItems; listings go through the index and may
 * lag a write by a moment.
 *
 *   endpoint  pk WEBHOOK#<id>           sk ENDPOINT  gsi1pk OWNER#<owner>#WEBHOOK            gsi1sk <createdAt>#<id>
 *   delivery  pk WEBHOOK_DELIVERY#<id>  sk DELIVERY  gsi1pk WEBHOOK#<endpoint>#DELIVERY      gsi1sk <createdAt>#<id>
 */
const endpointKey = (id: string) => ({ pk: `WEBHOOK#${id}`, sk: "ENDPOINT" });
const deliveryKey = (id: string) => ({ pk: `WEBHOOK_DELIVERY#${id}`, sk: "DELIVERY" });
const endpointsIndexPk = (ownerId: string) => `OWNER#${ownerId}#WEBHOOK`;
const deliveriesIndexPk = (endpointId: string) => `WEBHOOK#${endpointId}#DELIVERY`;
const KEY_NAMES = ["pk", "sk", "gsi1pk", "gsi1sk"] as const;
/** Webhook items have no status machine: conditions are on version alone. */
const NO_TRANSITIONS: Readonly<Record<never, readonly never[]>> = {};

const dateOrNull = (v: unknown): Date | null => (typeof v === "number" ? new Date(v) : null);

const toEndpoint = (i: Item): WebhookEndpoint => ({
  id: String(i.id),
  ownerId: String(i.ownerId),
  url: String(i.url),
  description: String(i.description),
  events: i.events as WebhookEventType[],
  secrets: (i.secrets as Array<{ secret: string; createdAt: number; expiresAt: number | null }>).map(
    (s): WebhookSecret => ({ secret: s.secret, createdAt: new Date(s.createdAt), expiresAt: dateOrNull(s.expiresAt) }),
  ),
  enabled: i.enabled === true,
  disabledReason: (i.disabledReason ?? null) as WebhookDisabledReason | null,
  failingSince: dateOrNull(i.failingSince),
  createdAt: new Date(Number(i.createdAt)),
  updatedAt: new Date(Number(i.updatedAt)),
  version: Number(i.version),
});

const storeSecrets = (secrets: readonly WebhookSecret[]) =>
  secrets.map((s) => ({
    secret: s.secret,
    createdAt: s.createdAt.getTime(),
    expiresAt: s.expiresAt?.getTime() ?? null,
  }));

const toDelivery = (i: Item): WebhookDelivery => ({
  id: String(i.id),
  endpointId: String(i.endpointId),
  ownerId: String(i.ownerId),
  type: i.type as WebhookDeliveryType,
  body: String(i.body),
  status: i.status as WebhookDeliveryStatus,
  attempts: Number(i.attempts),
  scheduleOffset: Number(i.scheduleOffset),
  nextAttemptAt: dateOrNull(i.nextAttemptAt),
  attemptLog: (i.attemptLog as Array<Omit<WebhookAttempt, "at"> & { at: number }>).map((a) => ({
    at: new Date(a.at),
    responseStatus: a.responseStatus ?? null,
    durationMs: a.durationMs,
    error: a.error ?? null,
  })),
  createdAt: new Date(Number(i.createdAt)),
  updatedAt: new Date(Number(i.updatedAt)),
  version: Number(i.version),
});

const storeAttempts = (log: readonly WebhookAttempt[]) =>
  log.map((a) => ({ at: a.at.getTime(), responseStatus: a.responseStatus, durationMs: a.durationMs, error: a.error }));

export interface DynamoWebhookStoreOptions extends TableRef {
  readonly clock?: () => number;
}

export class DynamoWebhookEndpointRepository implements WebhookEndpointRepository {
  private readonly clock: () => number;
  constructor(private readonly t: DynamoWebhookStoreOptions) {
    this.clock = t.clock ?? Date.now;
  }

  async create(e: NewWebhookEndpoint): Promise<WebhookEndpoint> {
    const now = this.clock();
    const item: Item = {
      ...endpointKey(e.id),
      gsi1pk: endpointsIndexPk(e.ownerId),
      gsi1sk: timeKey(now, e.id),
      id: e.id,
      ownerId: e.ownerId,
      url: e.url,
      description: e.description,
      events: [...e.events],
      secrets: storeSecrets([{ secret: e.secret, createdAt: new Date(now), expiresAt: null }]),
      enabled: true,
      disabledReason: null,
      failingSince: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    if (!(await putNew(this.t, item)))
      throw new DomainError("ALREADY_EXISTS", `webhook endpoint ${e.id} already exists`);
    return toEndpoint(item);
  }

  async findById(id: string): Promise<WebhookEndpoint | null> {
    const item = await getItem(this.t, endpointKey(id));
    return item === null ? null : toEndpoint(item);
  }

  async findForOwner(ownerId: string, id: string): Promise<WebhookEndpoint | null> {
    const e = await this.findById(id);
    return e !== null && e.ownerId === ownerId ? e : null;
  }

  listForOwner(ownerId: string, query: PageRequest): Promise<Page<WebhookEndpoint>> {
    const gsi1pk = endpointsIndexPk(ownerId);
    return queryPage(this.t, {
      input: {
        IndexName: GSI_OWNER,
        KeyConditionExpression: "gsi1pk = :p",
        ExpressionAttributeValues: { ":p": gsi1pk },
      },
      first: query.first,
      after: query.after,
      keyNames: KEY_NAMES,
      belongs: (key) => key.gsi1pk === gsi1pk,
      map: toEndpoint,
    });
  }

  async allForOwner(ownerId: string, limit: number): Promise<WebhookEndpoint[]> {
    checkLimit(limit);
    const res = await this.t.doc().send(
      new QueryCommand({
        TableName: this.t.tableName,
        IndexName: GSI_OWNER,
        KeyConditionExpression: "gsi1pk = :p",
        ExpressionAttributeValues: { ":p": endpointsIndexPk(ownerId) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (res.Items ?? []).map(toEndpoint);
  }

  async countForOwner(ownerId: string): Promise<number> {
    const res = await this.t.doc().send(
      new QueryCommand({
        TableName: this.t.tableName,
        IndexName: GSI_OWNER,
        KeyConditionExpression: "gsi1pk = :p",
        ExpressionAttributeValues: { ":p": endpointsIndexPk(ownerId) },
        Select: "COUNT",
      }),
    );
    return res.Count ?? 0;
  }

  async update(id: string, when: { readonly version?: number }, patch: WebhookEndpointPatch): Promise<WebhookEndpoint> {
    const set: Record<string, unknown> = { updatedAt: this.clock() };
    if (patch.url !== undefined) set.url = patch.url;
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.events !== undefined) set.events = [...patch.events];
    if (patch.secrets !== undefined) set.secrets = storeSecrets(patch.secrets);
    if (patch.enabled !== undefined) set.enabled = patch.enabled;
    if (patch.disabledReason !== undefined) set.disabledReason = patch.disabledReason;
    if (patch.failingSince !== undefined) set.failingSince = patch.failingSince?.getTime() ?? null;
    const item = await conditionalUpdate<never>(this.t, {
      kind: "webhook endpoint",
      id,
      key: endpointKey(id),
      set,
      when: when.version !== undefined ? { version: when.version } : {},
      to: undefined,
      table: NO_TRANSITIONS,
    });
    return toEndpoint(item);
  }

  async deleteForOwner(ownerId: string, id: string): Promise<boolean> {
    try {
      await this.t.doc().send(
        new DeleteCommand({
          TableName: this.t.tableName,
          Key: endpointKey(id),
          ConditionExpression: "ownerId = :o",
          ExpressionAttributeValues: { ":o": ownerId },
        }),
      );
      return true;
    } catch (e) {
      if (
        e instanceof ConditionalCheckFailedException ||
        (e as { name?: string }).name === "ConditionalCheckFailedException"
      )
        return false;
      throw e;
    }
  }
}

export class DynamoWebhookDeliveryRepository implements WebhookDeliveryRepository {
  private readonly clock: () => number;
  constructor(private readonly t: DynamoWebhookStoreOptions) {
    this.clock = t.clock ?? Date.now;
  }

  async create(
    d: NewWebhookDelivery & { readonly nextAttemptAt: Date },
  ): Promise<{ readonly delivery: WebhookDelivery; readonly created: boolean }> {
    const now = this.clock();
    const item: Item = {
      ...deliveryKey(d.id),
      gsi1pk: deliveriesIndexPk(d.endpointId),
      gsi1sk: timeKey(now, d.id),
      id: d.id,
      endpointId: d.endpointId,
      ownerId: d.ownerId,
      type: d.type,
      body: d.body,
      status: "PENDING",
      attempts: 0,
      scheduleOffset: 0,
      nextAttemptAt: d.nextAttemptAt.getTime(),
      attemptLog: [],
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    if (await putNew(this.t, item)) return { delivery: toDelivery(item), created: true };
    const existing = await this.findById(d.id);
    if (existing === null) throw new DomainError("INTERNAL", `webhook delivery ${d.id} neither created nor found`);
    return { delivery: existing, created: false };
  }

  async findById(id: string): Promise<WebhookDelivery | null> {
    const item = await getItem(this.t, deliveryKey(id));
    return item === null ? null : toDelivery(item);
  }

  listForEndpoint(ownerId: string, endpointId: string, query: PageRequest): Promise<Page<WebhookDelivery>> {
    const gsi1pk = deliveriesIndexPk(endpointId);
    return queryPage(this.t, {
      input: {
        IndexName: GSI_OWNER,
        KeyConditionExpression: "gsi1pk = :p",
        FilterExpression: "ownerId = :o",
        ExpressionAttributeValues: { ":p": gsi1pk, ":o": ownerId },
      },
      first: query.first,
      after: query.after,
      keyNames: KEY_NAMES,
      belongs: (key) => key.gsi1pk === gsi1pk,
      map: toDelivery,
    });
  }

  async update(id: string, when: { readonly version: number }, patch: WebhookDeliveryPatch): Promise<WebhookDelivery> {
    const set: Record<string, unknown> = { updatedAt: this.clock() };
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.attempts !== undefined) set.attempts = patch.attempts;
    if (patch.scheduleOffset !== undefined) set.scheduleOffset = patch.scheduleOffset;
    if (patch.nextAttemptAt !== undefined) set.nextAttemptAt = patch.nextAttemptAt?.getTime() ?? null;
    if (patch.attemptLog !== undefined) set.attemptLog = storeAttempts(patch.attemptLog);
    const item = await conditionalUpdate<never>(this.t, {
      kind: "webhook delivery",
      id,
      key: deliveryKey(id),
      set,
      when: { version: when.version },
      to: undefined,
      table: NO_TRANSITIONS,
    });
    return toDelivery(item);
  }
}

export function createDynamoWebhookStore(options: DynamoWebhookStoreOptions): WebhookStore {
  return {
    endpoints: new DynamoWebhookEndpointRepository(options),
    deliveries: new DynamoWebhookDeliveryRepository(options),
  };
}
