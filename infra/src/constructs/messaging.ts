import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subs from "aws-cdk-lib/aws-sns-subscriptions";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { Naming } from "../stage.js";

/** Envelope values (schema/src/messages.ts); a test keeps these in step with the schema. */
export const SERVICE = {
  api: "MSG_SERVICE_API",
  worker: "MSG_SERVICE_WORKER",
  notify: "MSG_SERVICE_NOTIFY",
  any: "MSG_SERVICE_ANY",
} as const;
export const MESSAGE_TYPES = {
  worker: ["EXTRACTION_REQUESTED"],
  api: ["JOB_UPDATED", "JOB_FINISHED"],
  notify: ["JOB_FINISHED"],
} as const;

/** Job statuses that make webhook events (domain webhookEventTypesFor); a test keeps them in step. */
export const WEBHOOK_JOB_STATUSES = ["SUCCEEDED", "FAILED", "CANCELLED"] as const;

export interface MessagingProps {
  readonly naming: Naming;
  /**
   * Deliveries before a worker message is dead-lettered (matches VP_JOB_MAX_ATTEMPTS).
   * @default 3
   */
  readonly workerMaxReceiveCount?: number;
  /**
   * Alarm when the oldest message in a queue is older than this.
   * @default 15 minutes for the worker queue, 5 minutes for the others
   */
  readonly oldestMessageAlarmAge?: Duration;
  /**
   * Visibility timeout of the notify queue: at least 6x the consuming Lambda's timeout.
   * @default 3 minutes
   */
  readonly notifyVisibilityTimeout?: Duration;
}

interface QueueWithDlq {
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;
}

/**
 * The seed's topology: the API publishes to `video-processor-api` which feeds the worker queue;
 * the worker publishes to `video-processor-worker` which feeds the API queue and the notify
 * queue. Subscriptions filter on the `target` and `type` message attributes; `MSG_SERVICE_ANY`
 * reaches every subscriber. Every queue has a DLQ and alarms on DLQ depth and oldest-message age.
 */
export class Messaging extends Construct {
  readonly key: kms.Key;
  readonly apiTopic: sns.Topic;
  readonly workerTopic: sns.Topic;
  readonly worker: QueueWithDlq;
  readonly api: QueueWithDlq;
  readonly notify: QueueWithDlq;
  /** Webhooks: job news that ended a job (from the worker topic) and deliveries' own delayed attempts. */
  readonly webhooks: QueueWithDlq;
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MessagingProps) {
    super(scope, id);
    const n = props.naming;
    // SNS has no service-managed encryption option that SQS subscribers can read, so a CMK.
    this.key = new kms.Key(this, "Key", {
      alias: `alias/${n.name("messaging")}`,
      enableKeyRotation: true,
      description: "SNS topics of video-processor",
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CloudWatch alarm actions publish to the (encrypted) alarm topic.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
      }),
    );
    const topic = (idPart: string, name: string) =>
      new sns.Topic(this, idPart, { topicName: n.name(name), masterKey: this.key, enforceSSL: true });
    this.apiTopic = topic("ApiTopic", "video-processor-api");
    this.workerTopic = topic("WorkerTopic", "video-processor-worker");
    this.alarmTopic = topic("AlarmTopic", "alarms");

    this.worker = this.queue("Worker", n.name("worker"), Duration.minutes(2), props.workerMaxReceiveCount ?? 3);
    this.api = this.queue("Api", n.name("api"), Duration.seconds(60), 5);
    this.notify = this.queue("Notify", n.name("notify"), props.notifyVisibilityTimeout ?? Duration.minutes(3), 5);
    // Retries are paced by the webhook schedule (re-sent with delays), so receives only count crashes.
    this.webhooks = this.queue("Webhooks", n.name("webhooks"), Duration.seconds(60), 10);

    this.subscribe(this.apiTopic, this.worker.queue, SERVICE.worker, MESSAGE_TYPES.worker);
    this.subscribe(this.workerTopic, this.api.queue, SERVICE.api, MESSAGE_TYPES.api);
    this.subscribe(this.workerTopic, this.notify.queue, SERVICE.notify, MESSAGE_TYPES.notify);
    // Cancellations are JOB_UPDATED, so this one filters on the envelope's body: jobs that ended.
    this.workerTopic.addSubscription(
      new subs.SqsSubscription(this.webhooks.queue, {
        rawMessageDelivery: false,
        filterPolicyWithMessageBody: {
          payload: sns.FilterOrPolicy.policy({
            job: sns.FilterOrPolicy.policy({
              status: sns.FilterOrPolicy.filter(
                sns.SubscriptionFilter.stringFilter({ allowlist: [...WEBHOOK_JOB_STATUSES] }),
              ),
            }),
          }),
        },
      }),
    );

    this.alarm("Worker", n.name("worker"), this.worker, props.oldestMessageAlarmAge ?? Duration.minutes(15));
    this.alarm("Api", n.name("api"), this.api, props.oldestMessageAlarmAge ?? Duration.minutes(5));
    this.alarm("Notify", n.name("notify"), this.notify, props.oldestMessageAlarmAge ?? Duration.minutes(5));
    // Waiting attempts hop through the queue with delays of up to 15 minutes.
    this.alarm("Webhooks", n.name("webhooks"), this.webhooks, props.oldestMessageAlarmAge ?? Duration.minutes(30));
  }

  /**
   * API pods: publish requests, consume worker events, read the worker queue's depth (gauge) and
   * send delayed requests straight to it (SNS has no delivery delay). Never receive from it.
   */
  grantApi(grantee: iam.IGrantable): void {
    this.apiTopic.grantPublish(grantee);
    this.grantConsume(grantee, this.api.queue);
    this.worker.queue.grant(grantee, "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage");
    this.worker.dlq.grant(grantee, "sqs:GetQueueAttributes");
    // sendTestWebhook and redeliverWebhook queue an attempt; the API never sends one itself.
    this.webhooks.queue.grant(grantee, "sqs:SendMessage", "sqs:GetQueueUrl");
  }

  /** Worker pods: consume extraction requests (incl. visibility heartbeat and delayed retries), publish job events. */
  grantWorker(grantee: iam.IGrantable): void {
    this.workerTopic.grantPublish(grantee);
    this.grantConsume(grantee, this.worker.queue);
    this.worker.queue.grant(grantee, "sqs:SendMessage");
    this.worker.dlq.grant(grantee, "sqs:GetQueueAttributes");
    // The webhook consumer: fan-out and attempts, each next attempt sent back with its delay.
    this.grantConsume(grantee, this.webhooks.queue);
    this.webhooks.queue.grant(grantee, "sqs:SendMessage");
  }

  private grantConsume(grantee: iam.IGrantable, queue: sqs.Queue): void {
    queue.grant(
      grantee,
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:ChangeMessageVisibility",
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
    );
  }

  private queue(idPart: string, name: string, visibilityTimeout: Duration, maxReceiveCount: number): QueueWithDlq {
    const dlq = new sqs.Queue(this, `${idPart}Dlq`, {
      queueName: `${name}-dlq`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const queue = new sqs.Queue(this, `${idPart}Queue`, {
      queueName: name,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout,
      retentionPeriod: Duration.days(4),
      receiveMessageWaitTime: Duration.seconds(20),
      deadLetterQueue: { queue: dlq, maxReceiveCount },
    });
    return { queue, dlq };
  }

  private subscribe(topic: sns.Topic, queue: sqs.Queue, target: string, types: readonly string[]): void {
    topic.addSubscription(
      new subs.SqsSubscription(queue, {
        // Consumers unwrap the SNS envelope; keeping it preserves the attributes for debugging.
        rawMessageDelivery: false,
        filterPolicy: {
          target: sns.SubscriptionFilter.stringFilter({ allowlist: [target, SERVICE.any] }),
          type: sns.SubscriptionFilter.stringFilter({ allowlist: [...types] }),
        },
      }),
    );
  }

  private alarm(idPart: string, name: string, q: QueueWithDlq, maxAge: Duration): void {
    const dlqDepth = new cloudwatch.Alarm(this, `${idPart}DlqDepthAlarm`, {
      alarmName: `${name}-dlq-not-empty`,
      alarmDescription: `Messages were dead-lettered from ${name}: inspect and redrive.`,
      metric: q.dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: "Maximum" }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const age = new cloudwatch.Alarm(this, `${idPart}OldestMessageAlarm`, {
      alarmName: `${name}-oldest-message-age`,
      alarmDescription: `The oldest message in ${name} waits longer than ${maxAge.toMinutes()} minutes: consumers are stuck or too few.`,
      metric: q.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: "Maximum" }),
      threshold: maxAge.toSeconds(),
      evaluationPeriods: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const a of [dlqDepth, age]) {
      a.addAlarmAction(new actions.SnsAction(this.alarmTopic));
      this.alarms.push(a);
    }
  }
}
