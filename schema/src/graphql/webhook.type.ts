import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import type { WebhookDeliveryStatus, WebhookDisabledReason, WebhookEventType } from "@vp/domain";
import { connectionTypes } from "./connection.type.js";
import { Node } from "./node.interface.js";
import { DateTimeScalar } from "./scalars.js";

/** GraphQL names cannot hold dots: each enum value stands for the event's wire name (`job.succeeded`). */
export const WebhookEventTypeEnum = {
  JOB_SUCCEEDED: "job.succeeded",
  JOB_FAILED: "job.failed",
  JOB_CANCELLED: "job.cancelled",
  VIDEO_REJECTED: "video.rejected",
} as const satisfies Record<string, WebhookEventType>;
registerEnumType(WebhookEventTypeEnum, {
  name: "WebhookEventType",
  description: "What an endpoint can subscribe to; deliveries carry the dotted name in `type`.",
  valuesConfig: {
    JOB_SUCCEEDED: { description: "`job.succeeded`: a job ended with its frames ready." },
    JOB_FAILED: { description: "`job.failed`: a job ended in failure (error in `data.error`)." },
    JOB_CANCELLED: { description: "`job.cancelled`: a job was cancelled." },
    VIDEO_REJECTED: {
      description: "`video.rejected`: the worker found the file is no readable video (its job failed too).",
    },
  },
});

export const WebhookDeliveryStatusEnum = {
  PENDING: "PENDING",
  SUCCEEDED: "SUCCEEDED",
  FAILED: "FAILED",
} as const satisfies Record<WebhookDeliveryStatus, WebhookDeliveryStatus>;
registerEnumType(WebhookDeliveryStatusEnum, {
  name: "WebhookDeliveryStatus",
  valuesConfig: {
    PENDING: { description: "Not acknowledged yet; `nextAttemptAt` says when it is tried again." },
    SUCCEEDED: { description: "The endpoint answered 2xx." },
    FAILED: {
      description:
        "Retries ran out, the endpoint answered 410 or was disabled or deleted; redeliverWebhook tries again.",
    },
  },
});

export const WebhookDisabledReasonEnum = { GONE: "GONE", FAILING: "FAILING", USER: "USER" } as const satisfies Record<
  WebhookDisabledReason,
  WebhookDisabledReason
>;
registerEnumType(WebhookDisabledReasonEnum, {
  name: "WebhookDisabledReason",
  valuesConfig: {
    GONE: { description: "The endpoint answered 410 Gone." },
    FAILING: { description: "Every delivery failed for days; the owner was emailed." },
    USER: { description: "Disabled with updateWebhookEndpoint." },
  },
});

@ObjectType("WebhookAttempt", { description: "One POST of a delivery." })
export class WebhookAttemptType {
  @Field(() => DateTimeScalar)
  at!: Date;

  @Field(() => Int, {
    nullable: true,
    description: "The HTTP status answered; null when none came (timeout, connection error, refused address).",
  })
  responseStatus!: number | null;

  @Field(() => Int)
  durationMs!: number;

  @Field(() => String, { nullable: true, description: "Why it did not count as delivered; null on a 2xx." })
  error!: string | null;
}

/** `endpoint` is a field resolver in the API. */
@ObjectType("WebhookDelivery", { implements: Node, description: "One event sent (or being sent) to one endpoint." })
export class WebhookDeliveryType extends Node {
  @Field(() => String, {
    description: "The `webhook-id` header, the same on every attempt: the receiver's idempotency key.",
  })
  webhookId!: string;

  @Field(() => String, {
    description: "`job.succeeded`, `job.failed`, `job.cancelled`, `video.rejected` or `webhook.test`.",
  })
  eventType!: string;

  @Field(() => WebhookDeliveryStatusEnum)
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { description: "POSTs made so far." })
  attempts!: number;

  @Field(() => Int, { nullable: true, description: "The latest attempt's HTTP status." })
  responseStatus!: number | null;

  @Field(() => Int, { nullable: true, description: "The latest attempt's duration." })
  durationMs!: number | null;

  @Field(() => String, { nullable: true, description: "Why the latest attempt did not deliver." })
  lastError!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "When a PENDING delivery is tried next." })
  nextAttemptAt!: Date | null;

  @Field(() => [WebhookAttemptType], { description: "The latest attempts, oldest first." })
  attemptLog!: WebhookAttemptType[];

  @Field(() => String, { description: "The exact JSON body sent (signed as is)." })
  payload!: string;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}

export const { Edge: WebhookDeliveryEdge, Connection: WebhookDeliveryConnection } = connectionTypes(
  "WebhookDelivery",
  WebhookDeliveryType,
);

/** `deliveries` is a field resolver in the API. The secret is shown once, by the mutation that makes it. */
@ObjectType("WebhookEndpoint", { implements: Node, description: "A URL of the viewer's that is told when jobs end." })
export class WebhookEndpointType extends Node {
  @Field(() => String)
  url!: string;

  @Field(() => String)
  description!: string;

  @Field(() => [WebhookEventTypeEnum])
  events!: WebhookEventType[];

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => WebhookDisabledReasonEnum, { nullable: true })
  disabledReason!: WebhookDisabledReason | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "First failed attempt since the last success; null while healthy.",
  })
  failingSince!: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "Until when the secret replaced by the last rotation still signs (beside the current one).",
  })
  previousSecretExpiresAt!: Date | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}

export const { Edge: WebhookEndpointEdge, Connection: WebhookEndpointConnection } = connectionTypes(
  "WebhookEndpoint",
  WebhookEndpointType,
);
