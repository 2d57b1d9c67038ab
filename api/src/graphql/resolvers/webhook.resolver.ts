import { fromWebhookGlobalId, toWebhookGlobalId, type WebhookDelivery, type WebhookEndpoint } from "@vp/domain";
import {
  CreateWebhookEndpointInput,
  CreateWebhookEndpointPayload,
  DeleteWebhookEndpointPayload,
  PageArgs,
  RedeliverWebhookInput,
  RotateWebhookSecretPayload,
  UpdateWebhookEndpointInput,
  UpdateWebhookEndpointPayload,
  WebhookAttemptType,
  WebhookDeliveryConnection,
  WebhookDeliveryPayload,
  WebhookDeliveryType,
  WebhookEndpointConnection,
  WebhookEndpointIdInput,
  WebhookEndpointType,
  type Connection,
} from "@vp/schema";
import { DateTimeScalar } from "@vp/schema";
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { userError, type UserErrorData } from "../../services/index.js";
import { viewerId } from "../auth-checker.js";
import type { ApiContext } from "../context.js";
import { connectionFrom } from "../pagination.js";
import { toUserErrors } from "./mutation-results.js";

const badEndpointId = (): UserErrorData =>
  userError("NOT_FOUND", "No webhook endpoint with this id exists.", ["input", "endpointId"]);

/** Runs `run` on the endpoint a global id names; an id of anything else is a NOT_FOUND userError. */
async function onEndpoint<R extends { readonly userErrors: readonly UserErrorData[] }>(
  globalId: string,
  refused: Omit<R, "userErrors">,
  run: (endpointId: string) => Promise<R>,
) {
  const endpointId = fromWebhookGlobalId(globalId, "WebhookEndpoint");
  if (endpointId === null) return { ...refused, userErrors: toUserErrors([badEndpointId()]) };
  const result = await run(endpointId);
  return { ...result, userErrors: toUserErrors(result.userErrors) };
}

@Resolver(() => WebhookEndpointType)
export class WebhookEndpointResolver {
  @FieldResolver(() => ID)
  id(@Root() e: WebhookEndpoint): string {
    return toWebhookGlobalId("WebhookEndpoint", e.id);
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true })
  previousSecretExpiresAt(@Root() e: WebhookEndpoint): Date | null {
    return e.secrets[1]?.expiresAt ?? null;
  }

  @FieldResolver(() => WebhookDeliveryConnection, { description: "Deliveries to this endpoint, newest first." })
  deliveries(
    @Root() e: WebhookEndpoint,
    @Ctx() ctx: ApiContext,
    @Args(() => PageArgs) { first, after }: PageArgs,
  ): Promise<Connection<WebhookDelivery>> {
    return connectionFrom({ first, after }, (page) => ctx.services.webhooks.deliveries(e.ownerId, e.id, page));
  }

  @Authorized()
  @Query(() => WebhookEndpointConnection, { description: "The viewer's webhook endpoints, newest first." })
  webhookEndpoints(
    @Ctx() ctx: ApiContext,
    @Args(() => PageArgs) { first, after }: PageArgs,
  ): Promise<Connection<WebhookEndpoint>> {
    const owner = viewerId(ctx);
    return connectionFrom({ first, after }, (page) => ctx.services.webhooks.list(owner, page));
  }

  @Authorized()
  @Query(() => WebhookEndpointType, { nullable: true, description: "One of the viewer's webhook endpoints." })
  async webhookEndpoint(@Arg("id", () => ID) id: string, @Ctx() ctx: ApiContext): Promise<WebhookEndpoint | null> {
    const owner = viewerId(ctx);
    const endpointId = fromWebhookGlobalId(id, "WebhookEndpoint");
    return endpointId === null ? null : ctx.services.webhooks.get(owner, endpointId);
  }

  @Authorized()
  @Mutation(() => CreateWebhookEndpointPayload, {
    description: "Registers a URL to be told when jobs end. The answer carries the signing secret, this once.",
  })
  async createWebhookEndpoint(
    @Arg("input", () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput,
    @Ctx() ctx: ApiContext,
  ) {
    const owner = viewerId(ctx);
    const result = await ctx.services.webhooks.create(owner, {
      url: input.url,
      events: input.events ?? null,
      description: input.description ?? null,
    });
    return { ...result, userErrors: toUserErrors(result.userErrors) };
  }

  @Authorized()
  @Mutation(() => UpdateWebhookEndpointPayload, {
    description: "Changes an endpoint's URL, events, description, or enables/disables it.",
  })
  updateWebhookEndpoint(
    @Arg("input", () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: ApiContext,
  ) {
    const owner = viewerId(ctx);
    return onEndpoint(input.endpointId, { endpoint: null }, (endpointId) =>
      ctx.services.webhooks.update(owner, {
        endpointId,
        url: input.url ?? null,
        events: input.events ?? null,
        description: input.description ?? null,
        enabled: input.enabled ?? null,
      }),
    );
  }

  @Authorized()
  @Mutation(() => RotateWebhookSecretPayload, {
    description:
      "A new signing secret (answered once); the old one keeps signing beside it until previousSecretExpiresAt.",
  })
  rotateWebhookSecret(
    @Arg("input", () => WebhookEndpointIdInput) input: WebhookEndpointIdInput,
    @Ctx() ctx: ApiContext,
  ) {
    const owner = viewerId(ctx);
    return onEndpoint(input.endpointId, { endpoint: null, secret: null, previousSecretExpiresAt: null }, (endpointId) =>
      ctx.services.webhooks.rotateSecret(owner, endpointId),
    );
  }

  @Authorized()
  @Mutation(() => DeleteWebhookEndpointPayload, { description: "Removes an endpoint; nothing more is sent to it." })
  async deleteWebhookEndpoint(
    @Arg("input", () => WebhookEndpointIdInput) input: WebhookEndpointIdInput,
    @Ctx() ctx: ApiContext,
  ) {
    const owner = viewerId(ctx);
    const result = await onEndpoint(input.endpointId, { deleted: false }, (endpointId) =>
      ctx.services.webhooks.delete(owner, endpointId),
    );
    return { deletedEndpointId: result.deleted ? input.endpointId : null, userErrors: result.userErrors };
  }

  @Authorized()
  @Mutation(() => WebhookDeliveryPayload, {
    description: "Queues a signed `webhook.test` delivery to the endpoint; follow it in `deliveries`.",
  })
  sendTestWebhook(@Arg("input", () => WebhookEndpointIdInput) input: WebhookEndpointIdInput, @Ctx() ctx: ApiContext) {
    const owner = viewerId(ctx);
    return onEndpoint(input.endpointId, { delivery: null }, (endpointId) =>
      ctx.services.webhooks.sendTest(owner, endpointId),
    );
  }

  @Authorized()
  @Mutation(() => WebhookDeliveryPayload, {
    description: "Sends a FAILED delivery again (same webhook-id and body), with a fresh retry schedule.",
  })
  async redeliverWebhook(
    @Arg("input", () => RedeliverWebhookInput) input: RedeliverWebhookInput,
    @Ctx() ctx: ApiContext,
  ) {
    const owner = viewerId(ctx);
    const deliveryId = fromWebhookGlobalId(input.deliveryId, "WebhookDelivery");
    if (deliveryId === null)
      return {
        delivery: null,
        userErrors: toUserErrors([
          userError("NOT_FOUND", "No webhook delivery with this id exists.", ["input", "deliveryId"]),
        ]),
      };
    const result = await ctx.services.webhooks.redeliver(owner, deliveryId);
    return { ...result, userErrors: toUserErrors(result.userErrors) };
  }
}

@Resolver(() => WebhookDeliveryType)
export class WebhookDeliveryResolver {
  @FieldResolver(() => ID)
  id(@Root() d: WebhookDelivery): string {
    return toWebhookGlobalId("WebhookDelivery", d.id);
  }

  @FieldResolver(() => String)
  webhookId(@Root() d: WebhookDelivery): string {
    return d.id;
  }

  @FieldResolver(() => String)
  eventType(@Root() d: WebhookDelivery): string {
    return d.type;
  }

  @FieldResolver(() => Int, { nullable: true })
  responseStatus(@Root() d: WebhookDelivery): number | null {
    return d.attemptLog[d.attemptLog.length - 1]?.responseStatus ?? null;
  }

  @FieldResolver(() => Int, { nullable: true })
  durationMs(@Root() d: WebhookDelivery): number | null {
    return d.attemptLog[d.attemptLog.length - 1]?.durationMs ?? null;
  }

  @FieldResolver(() => String, { nullable: true })
  lastError(@Root() d: WebhookDelivery): string | null {
    return d.attemptLog[d.attemptLog.length - 1]?.error ?? null;
  }

  @FieldResolver(() => [WebhookAttemptType])
  attemptLog(@Root() d: WebhookDelivery): WebhookAttemptType[] {
    return d.attemptLog.map((a) => ({ ...a }));
  }

  @FieldResolver(() => String)
  payload(@Root() d: WebhookDelivery): string {
    return d.body;
  }

  @FieldResolver(() => WebhookEndpointType, { nullable: true, description: "Null once the endpoint is deleted." })
  endpoint(@Root() d: WebhookDelivery, @Ctx() ctx: ApiContext): Promise<WebhookEndpoint | null> {
    return ctx.services.webhooks.get(d.ownerId, d.endpointId);
  }
}
