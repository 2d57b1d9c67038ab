import type { WebhookEventType } from "@vp/domain";
import { Field, ID, InputType } from "type-graphql";
import { WebhookEventTypeEnum } from "./webhook.type.js";

@InputType("CreateWebhookEndpointInput")
export class CreateWebhookEndpointInput {
  @Field(() => String, {
    description: "An https URL (plain http only with VP_WEBHOOK_ALLOW_LOCAL_TARGETS, for development).",
  })
  url!: string;

  @Field(() => [WebhookEventTypeEnum], { nullable: true, description: "Null or empty: every event." })
  events?: WebhookEventType[] | null;

  @Field(() => String, { nullable: true, description: "Up to 200 characters." })
  description?: string | null;
}

@InputType("UpdateWebhookEndpointInput", { description: "Absent fields stay as they are." })
export class UpdateWebhookEndpointInput {
  @Field(() => ID)
  endpointId!: string;

  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => [WebhookEventTypeEnum], { nullable: true, description: "Empty: every event." })
  events?: WebhookEventType[] | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "True re-enables a disabled endpoint (and forgets its failures).",
  })
  enabled?: boolean | null;
}

@InputType("WebhookEndpointIdInput")
export class WebhookEndpointIdInput {
  @Field(() => ID)
  endpointId!: string;
}

@InputType("RedeliverWebhookInput")
export class RedeliverWebhookInput {
  @Field(() => ID)
  deliveryId!: string;
}
