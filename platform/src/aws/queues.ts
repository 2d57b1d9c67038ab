import type { SQSClient } from "@aws-sdk/client-sqs";
import type { ExtractionRequested, JobEvent, Message } from "@vp/domain";
import { decodeEnvelope, envelopeAttributes, payloadDecoder } from "./envelope.js";
import { createSnsPublisher } from "./sns-publisher.js";
import { SqsJobQueue, sendToQueue } from "./sqs-job-queue.js";
import type { SNSClient } from "@aws-sdk/client-sns";

type Logger = { warn(obj: object, msg: string): void };

/**
 * API -> worker. `enqueue` publishes EXTRACTION_REQUESTED to the API topic (the seed's route:
 * topic -> worker queue, so other subscribers can be added without touching the API). SNS has
 * no delivery delay, so a delayed enqueue goes straight to the worker queue instead.
 */
export function createExtractionQueue(options: {
  readonly sqs: () => SQSClient;
  readonly sns: () => SNSClient;
  readonly queueUrl: string;
  readonly topicArn: string;
  readonly maxAttempts: number;
  readonly deadLetterQueueUrl?: string;
  readonly logger?: Logger;
}): SqsJobQueue<ExtractionRequested> {
  const topic = createSnsPublisher({ sns: options.sns, topicArn: options.topicArn });
  return new SqsJobQueue({
    sqs: options.sqs,
    queueUrl: options.queueUrl,
    decode: payloadDecoder("EXTRACTION_REQUESTED"),
    maxAttempts: options.maxAttempts,
    ...(options.deadLetterQueueUrl !== undefined ? { deadLetterQueueUrl: options.deadLetterQueueUrl } : {}),
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    send: (payload, { delaySeconds }) => {
      const message: Message = {
        sender: "MSG_SERVICE_API",
        target: "MSG_SERVICE_WORKER",
        type: "EXTRACTION_REQUESTED",
        payload,
      };
      if (delaySeconds === undefined || delaySeconds <= 0) return topic.publishWithId(message);
      return sendToQueue({
        sqs: options.sqs,
        queueUrl: options.queueUrl,
        body: JSON.stringify(message),
        attributes: envelopeAttributes(message),
        delaySeconds,
      });
    },
  });
}

/**
 * worker topic -> notification queue -> notify Lambda (SQS event source). On AWS no service
 * process receives from it; it is here for depth()/deadLetters() and for re-sending a
 * notification by hand (enqueue sends a JOB_FINISHED envelope straight to the queue).
 */
export function createNotificationQueue(options: {
  readonly sqs: () => SQSClient;
  readonly queueUrl: string;
  readonly maxAttempts: number;
  readonly logger?: Logger;
}): SqsJobQueue<JobEvent> {
  return new SqsJobQueue({
    sqs: options.sqs,
    queueUrl: options.queueUrl,
    decode: payloadDecoder("JOB_FINISHED"),
    maxAttempts: options.maxAttempts,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    send: (payload, { delaySeconds }) => {
      const message: Message = {
        sender: "MSG_SERVICE_WORKER",
        target: "MSG_SERVICE_NOTIFY",
        type: "JOB_FINISHED",
        payload,
      };
      return sendToQueue({
        sqs: options.sqs,
        queueUrl: options.queueUrl,
        body: JSON.stringify(message),
        attributes: envelopeAttributes(message),
        ...(delaySeconds !== undefined ? { delaySeconds } : {}),
      });
    },
  });
}

/** worker topic -> the API pods' shared queue: every envelope, for the event relay. */
export function createApiEventQueue(options: {
  readonly sqs: () => SQSClient;
  readonly queueUrl: string;
  readonly maxAttempts?: number;
  readonly logger?: Logger;
}): SqsJobQueue<Message> {
  return new SqsJobQueue({
    sqs: options.sqs,
    queueUrl: options.queueUrl,
    decode: decodeEnvelope,
    maxAttempts: options.maxAttempts ?? 5,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
  });
}
