import { type CfnElement, CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import type * as ecr from "aws-cdk-lib/aws-ecr";
import * as iam from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";
import { ApiLoadBalancer } from "../constructs/api-load-balancer.js";
import { PlatformCluster } from "../constructs/cluster.js";
import { Edge } from "../constructs/edge.js";
import { WorkspaceFunction } from "../constructs/functions.js";
import { Identity } from "../constructs/identity.js";
import { LiveCache } from "../constructs/live-cache.js";
import { LogBucket } from "../constructs/log-bucket.js";
import { MediaBuckets } from "../constructs/media-buckets.js";
import { Messaging } from "../constructs/messaging.js";
import { Network } from "../constructs/network.js";
import { NotifyFunction } from "../constructs/notify-function.js";
import { RuntimeSecrets } from "../constructs/runtime-secrets.js";
import { ServiceWorkloads } from "../constructs/service-workloads.js";
import { RecordsTable } from "../constructs/table.js";
import { acknowledge, acknowledgePlatformFindings, arnToken } from "../nag.js";
import type { Naming, StageSettings } from "../stage.js";

export interface ServiceStackProps extends StackProps {
  readonly naming: Naming;
  readonly settings: StageSettings;
  readonly apiRepository: ecr.IRepository;
  readonly workerRepository: ecr.IRepository;
  /**
   * Jobs per worker pod.
   * @default 1
   */
  readonly workerConcurrency?: number;
}

/** Everything that runs the service for one stage. */
export class ServiceStack extends Stack {
  readonly network: Network;
  readonly buckets: MediaBuckets;
  readonly records: RecordsTable;
  readonly cache: LiveCache;
  readonly messaging: Messaging;
  readonly identity: Identity;
  readonly accounts: WorkspaceFunction;
  readonly notify: NotifyFunction;
  readonly loadBalancer: ApiLoadBalancer;
  readonly edge: Edge;
  readonly secrets: RuntimeSecrets;
  readonly platform: PlatformCluster;
  readonly workloads: ServiceWorkloads;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { naming, settings } = props;
    const { account, region } = settings;

    this.network = new Network(this, "Network", {
      naming,
      availabilityZones: settings.availabilityZones,
      natGateways: settings.natGateways,
    });
    const { vpc } = this.network;
    const logs = new LogBucket(this, "Logs", { naming, account, region });

    this.buckets = new MediaBuckets(this, "Media", {
      naming,
      account,
      region,
      videoExpiryDays: settings.videoExpiryDays,
      archiveExpiryDays: settings.archiveExpiryDays,
      accessLogs: logs.bucket,
      corsOrigins: settings.corsOrigins,
    });
    this.records = new RecordsTable(this, "Records", { naming });
    this.cache = new LiveCache(this, "Live", { naming, vpc });
    this.messaging = new Messaging(this, "Messaging", { naming });
    this.identity = new Identity(this, "Identity", { naming });

    this.accounts = new WorkspaceFunction(this, "Accounts", {
      entry: "auth-lambda/src/lambda.ts",
      functionName: naming.name("accounts"),
      environment: {
        VP_BACKEND: "aws",
        VP_COGNITO_USER_POOL_ID: this.identity.userPool.userPoolId,
        VP_COGNITO_CLIENT_ID: this.identity.client.userPoolClientId,
        // Signed-out sessions (logout) are items of the records table, read by the API pods.
        VP_DYNAMODB_TABLE: this.records.table.tableName,
      },
    });
    this.records.grantSessionRevocations(this.accounts.fn);

    this.loadBalancer = new ApiLoadBalancer(this, "ApiLoadBalancer", { naming, vpc, accessLogs: logs.bucket });
    this.edge = new Edge(this, "Edge", {
      naming,
      vpc,
      loadBalancer: this.loadBalancer,
      accountsFunction: this.accounts.fn,
    });

    this.notify = new NotifyFunction(this, "Notify", {
      naming,
      queue: this.messaging.notify.queue,
      identity: this.identity,
      mailFrom: settings.mailFrom,
      publicUrl: this.edge.url,
    });
    // Sign-up of a taken address mails its owner (Cognito cannot), from the notifier's sender.
    this.accounts.fn.addEnvironment("VP_MAIL_FROM", this.notify.mailFrom);
    this.accounts.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["ses:SendEmail"],
        resources: [
          `arn:${this.partition}:ses:${this.region}:${this.account}:identity/${this.notify.emailIdentity.emailIdentityName}`,
        ],
      }),
    );

    this.secrets = new RuntimeSecrets(this, "Secrets", { naming, redisUrl: this.cache.url });

    this.platform = new PlatformCluster(this, "Platform", {
      naming,
      vpc,
      nodeInstanceType: settings.nodeInstanceType,
      minNodes: settings.minNodes,
      maxNodes: settings.maxNodes,
    });
    if (settings.adminPrincipalArn) this.platform.cluster.grantClusterAdmin("Admin", settings.adminPrincipalArn);
    const clusterSg = this.platform.cluster.clusterSecurityGroup;
    clusterSg.addIngressRule(
      this.loadBalancer.securityGroup,
      ec2.Port.tcp(this.loadBalancer.targetPort),
      "API load balancer to API pods",
    );
    this.cache.allowFrom(clusterSg);
    this.secrets.grantRead(this.platform.externalSecretsAccount);
    this.messaging.worker.queue.grant(this.platform.kedaOperator, "sqs:GetQueueAttributes");

    const workerConcurrency = props.workerConcurrency ?? 1;
    this.workloads = new ServiceWorkloads(this, "Service", {
      platform: this.platform,
      region,
      grafanaSecretName: this.secrets.grafanaAdmin.secretName,
      workloads: {
        apiImage: props.apiRepository.repositoryUriForTag(settings.imageTag),
        workerImage: props.workerRepository.repositoryUriForTag(settings.imageTag),
        runtimeSecretName: this.secrets.runtime.secretName,
        urlSigningSecretName: this.secrets.urlSigning.secretName,
        apiTargetGroupArn: this.loadBalancer.targetGroup.targetGroupArn,
        workerQueueUrl: this.messaging.worker.queue.queueUrl,
        apiMinReplicas: settings.apiMinReplicas,
        apiMaxReplicas: settings.apiMaxReplicas,
        workerMaxReplicas: settings.workerMaxReplicas,
        workerConcurrency,
        config: {
          VP_PUBLIC_URL: this.edge.url,
          VP_S3_VIDEOS_BUCKET: this.buckets.videos.bucketName,
          VP_S3_ARCHIVES_BUCKET: this.buckets.archives.bucketName,
          VP_DYNAMODB_TABLE: this.records.table.tableName,
          VP_SNS_API_TOPIC_ARN: this.messaging.apiTopic.topicArn,
          VP_SNS_WORKER_TOPIC_ARN: this.messaging.workerTopic.topicArn,
          VP_SQS_WORKER_QUEUE_URL: this.messaging.worker.queue.queueUrl,
          VP_SQS_API_QUEUE_URL: this.messaging.api.queue.queueUrl,
          VP_SQS_NOTIFY_QUEUE_URL: this.messaging.notify.queue.queueUrl,
          VP_SQS_WEBHOOK_QUEUE_URL: this.messaging.webhooks.queue.queueUrl,
          VP_SQS_WORKER_DLQ_URL: this.messaging.worker.dlq.queueUrl,
          // Cognito mails the code; the pods then need no AdminConfirmSignUp permission.
          VP_REQUIRE_EMAIL_CONFIRMATION: "true",
          VP_COGNITO_USER_POOL_ID: this.identity.userPool.userPoolId,
          VP_COGNITO_CLIENT_ID: this.identity.client.userPoolClientId,
        },
      },
    });
    const api = this.workloads.apiAccount;
    const worker = this.workloads.workerAccount;
    this.buckets.grantApi(api);
    this.buckets.grantWorker(worker);
    this.records.grantItems(api);
    this.records.grantItems(worker);
    this.messaging.grantApi(api);
    this.messaging.grantWorker(worker);

    new CfnOutput(this, "HttpApiUrl", {
      value: this.edge.url,
      description: "The web app, GraphQL over HTTP, frame links, videos and accounts",
    });
    new CfnOutput(this, "RealtimeUrl", {
      value: `wss://${this.edge.distribution.distributionDomainName}/graphql`,
      description: "GraphQL subscriptions (graphql-ws)",
    });
    new CfnOutput(this, "ClusterName", { value: this.platform.cluster.clusterName });
    new CfnOutput(this, "UserPoolId", { value: this.identity.userPool.userPoolId });
    new CfnOutput(this, "UserPoolClientId", { value: this.identity.client.userPoolClientId });
    new CfnOutput(this, "AlarmTopicArn", {
      value: this.messaging.alarmTopic.topicArn,
      description: "Subscribe an email to get alarms",
    });

    const objects =
      "Object-level actions on keys the service derives itself (owner-partitioned, unknown at deploy); no ListBucket, no bucket-level actions.";
    const videos = this.buckets.videos.node.defaultChild as CfnElement;
    const archives = this.buckets.archives.node.defaultChild as CfnElement;
    const table = this.records.table.node.defaultChild as CfnElement;
    for (const role of [api, worker]) {
      acknowledge(
        role,
        objects,
        `AwsSolutions-IAM5[Resource::${arnToken(videos)}/*]`,
        `AwsSolutions-IAM5[Resource::${arnToken(archives)}/*]`,
      );
      acknowledge(role, "Queries on this table's own GSIs.", `AwsSolutions-IAM5[Resource::${arnToken(table)}/index/*]`);
      acknowledge(
        role,
        "Publishing to the KMS-encrypted topics needs GenerateDataKey* on the messaging key only (resource-scoped).",
        "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]",
      );
    }
    acknowledgePlatformFindings(this, this.platform.cluster);
  }
}
