import { Field, ID, ObjectType } from "type-graphql";
import { UserError } from "./user-error.type.js";
import { WebhookDeliveryType, WebhookEndpointType } from "./webhook.type.js";
import { DateTimeScalar } from "./scalars.js";

@ObjectType("CreateWebhookEndpointPayload")
export class CreateWebhookEndpointPayload {
  @Field(() => WebhookEndpointType, { nullable: true })
  endpoint!: unknown;

  @Field(() => String, {
    nullable: true,
    description: "The signing secret (`whsec_` + base64), shown this once: store it now.",
  })
  secret!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType("UpdateWebhookEndpointPayload")
export class UpdateWebhookEndpointPayload {
  @Field(() => WebhookEndpointType, { nullable: true })
  endpoint!: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType("RotateWebhookSecretPayload")
export class RotateWebhookSecretPayload {
  @Field(() => WebhookEndpointType, { nullable: true })
  endpoint!: unknown;

  @Field(() => String, { nullable: true, description: "The new secret, shown this once." })
  secret!: string | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "Until then deliveries carry a signature by the old secret too.",
  })
  previousSecretExpiresAt!: Date | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType("DeleteWebhookEndpointPayload")
export class DeleteWebhookEndpointPayload {
  @Field(() => ID, { nullable: true })
  deletedEndpointId!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType("WebhookDeliveryPayload", { description: "sendTestWebhook and redeliverWebhook: the delivery, queued." })
export class WebhookDeliveryPayload {
  @Field(() => WebhookDeliveryType, { nullable: true })
  delivery!: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
