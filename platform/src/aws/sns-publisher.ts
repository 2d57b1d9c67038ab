import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { messageSchema, notifiesOwner, type JobEvent, type ServiceName } from "@vp/domain";
import type { JobEventPublisher } from "../ports/job-events.js";
import type { Publisher } from "../ports/publisher.js";
import { envelopeAttributes } from "./envelope.js";

/** A service's output topic: the envelope as the body, sender/target/type also as attributes. */
export function createSnsPublisher(options: { readonly sns: () => SNSClient; readonly topicArn: string }): Publisher & {
  publishWithId(message: Parameters<Publisher["publish"]>[0]): Promise<string>;
} {
  const publishWithId = async (message: Parameters<Publisher["publish"]>[0]): Promise<string> => {
    // Never put a message on the wire that our own consumers would dead-letter as malformed.
    const valid = messageSchema.parse(message);
    const res = await options.sns().send(
      new PublishCommand({
        TopicArn: options.topicArn,
        Message: JSON.stringify(valid),
        MessageAttributes: envelopeAttributes(valid),
      }),
    );
    return res.MessageId ?? "";
  };
  return {
    publishWithId,
    async publish(message) {
      await publishWithId(message);
    },
  };
}

/**
 * Job news on AWS: one publish to the worker topic. The API queue (live updates, relayed into
 * Redis) and the notification queue (emails; filter `type = JOB_FINISHED`) subscribe to it.
 * A change that notifies the owner (SUCCEEDED, FAILED) is JOB_FINISHED, every other JOB_UPDATED.
 */
export function createSnsJobEventPublisher(options: {
  readonly publisher: Publisher;
  /** Who publishes: the worker, or the API for changes it makes itself (cancel, retry). @default MSG_SERVICE_WORKER */
  readonly sender?: ServiceName;
}): JobEventPublisher {
  const sender = options.sender ?? "MSG_SERVICE_WORKER";
  return {
    async publish(event: JobEvent) {
      await options.publisher.publish({
        sender,
        target: "MSG_SERVICE_ANY",
        type: notifiesOwner(event.job) ? "JOB_FINISHED" : "JOB_UPDATED",
        payload: event,
      });
    },
  };
}
