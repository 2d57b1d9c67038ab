import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema, type PubSub } from "type-graphql";
import { authChecker } from "./auth-checker.js";
import { ExtractionOptionsResolver } from "./resolvers/extraction-options.resolver.js";
import { FramesResolver } from "./resolvers/frames.resolver.js";
import { JobResolver, ExtractionResultResolver } from "./resolvers/job.resolver.js";
import { NodeResolver } from "./resolvers/node.resolver.js";
import { SubscriptionResolver } from "./resolvers/subscription.resolver.js";
import { UserResolver } from "./resolvers/user.resolver.js";
import { VideoResolver } from "./resolvers/video.resolver.js";
import { WebhookDeliveryResolver, WebhookEndpointResolver } from "./resolvers/webhook.resolver.js";

/**
 * type-graphql insists on a pubSub once any @Subscription exists, even when every subscription
 * has its own `subscribe` function, as ours do: they read the EventBus from the context so the
 * schema stays independent of the platform (emit-schema builds it with none).
 */
const contextEventsOnly: PubSub = {
  publish() {
    throw new Error("Publish job news through platform.jobEvents, not the schema's pubSub.");
  },
  subscribe() {
    throw new Error("Subscriptions read platform.events from the context.");
  },
};

let built: Promise<GraphQLSchema> | null = null;

/** The API schema. Built once per process: type-graphql's metadata is global, so the result is too. */
export function buildApiSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [
      UserResolver,
      VideoResolver,
      JobResolver,
      ExtractionResultResolver,
      FramesResolver,
      ExtractionOptionsResolver,
      NodeResolver,
      SubscriptionResolver,
      WebhookEndpointResolver,
      WebhookDeliveryResolver,
    ],
    authChecker,
    pubSub: contextEventsOnly,
    validate: false,
    emitSchemaFile: false,
  });
  return built;
}
