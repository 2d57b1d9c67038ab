import { Duration, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as eventSources from "aws-cdk-lib/aws-lambda-event-sources";
import * as ses from "aws-cdk-lib/aws-ses";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { Naming } from "../stage.js";
import type { Identity } from "./identity.js";
import { WorkspaceFunction } from "./functions.js";

export interface NotifyFunctionProps {
  readonly naming: Naming;
  readonly queue: sqs.IQueue;
  readonly identity: Identity;
  /** A domain (`example.com`) or an address (`no-reply@example.com`) SES verifies. */
  readonly mailFrom: string;
  /** Base URL put in the emails' links. */
  readonly publicUrl: string;
  /** @default 10 */
  readonly batchSize?: number;
}

/**
 * `notify-lambda` fed by its SQS queue. Failed records are reported one by one
 * (reportBatchItemFailures) so only they are retried and, after maxReceiveCount, dead-lettered.
 */
export class NotifyFunction extends Construct {
  readonly function: WorkspaceFunction;
  readonly emailIdentity: ses.EmailIdentity;
  /** The sender address (VP_MAIL_FROM) the verified identity allows. */
  readonly mailFrom: string;

  constructor(scope: Construct, id: string, props: NotifyFunctionProps) {
    super(scope, id);
    const isAddress = props.mailFrom.includes("@");
    this.emailIdentity = new ses.EmailIdentity(this, "Sender", {
      identity: isAddress ? ses.Identity.email(props.mailFrom) : ses.Identity.domain(props.mailFrom),
    });
    this.mailFrom = isAddress ? props.mailFrom : `no-reply@${props.mailFrom}`;
    this.function = new WorkspaceFunction(this, "Handler", {
      entry: "notify-lambda/src/lambda.ts",
      functionName: props.naming.name("notify"),
      timeout: Duration.seconds(30),
      environment: {
        VP_PUBLIC_URL: props.publicUrl,
        VP_MAIL_FROM: this.mailFrom,
        VP_COGNITO_USER_POOL_ID: props.identity.userPool.userPoolId,
        VP_COGNITO_CLIENT_ID: props.identity.client.userPoolClientId,
      },
    });
    const fn = this.function.fn;
    fn.addEventSource(
      new eventSources.SqsEventSource(props.queue, {
        batchSize: props.batchSize ?? 10,
        maxBatchingWindow: Duration.seconds(5),
        reportBatchItemFailures: true,
      }),
    );
    props.identity.grantLookup(fn);
    const { account, region, partition } = Stack.of(this);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["ses:SendEmail", "ses:SendRawEmail"],
        resources: [`arn:${partition}:ses:${region}:${account}:identity/${this.emailIdentity.emailIdentityName}`],
      }),
    );
  }
}
