import { Match, type Template } from "aws-cdk-lib/assertions";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_ROUTES, ALB_ROUTES } from "../src/constructs/edge.js";
import {
  actionsOf,
  allows,
  logicalId,
  type SynthesizedApp,
  type Statement,
  statementsOf,
  synthesizeApp,
} from "./support.js";

// GIVEN one synthesized `test` stage shared by every test (EKS stacks take seconds to synthesize)
let synth: SynthesizedApp;
let template: Template;
beforeAll(() => {
  // WHEN the app synthesizes with cdk-nag AwsSolutions attached (throws on any unacknowledged finding)
  synth = synthesizeApp({}, true);
  template = synth.template;
});
afterAll(() => synth?.dispose());

const ids = () => {
  const s = synth.service;
  return {
    videos: logicalId(s.buckets.videos),
    archives: logicalId(s.buckets.archives),
    table: logicalId(s.records.table),
    apiTopic: logicalId(s.messaging.apiTopic),
    workerTopic: logicalId(s.messaging.workerTopic),
    workerQueue: logicalId(s.messaging.worker.queue),
    apiQueue: logicalId(s.messaging.api.queue),
    notifyQueue: logicalId(s.messaging.notify.queue),
    webhookQueue: logicalId(s.messaging.webhooks.queue),
  };
};
const roleStatements = (role: { node: unknown }): Statement[] => statementsOf(template, logicalId(role as never));

describe("cdk-nag", () => {
  it("passes AwsSolutions with every acknowledgement carrying a reason", () => {
    // THEN synth did not throw, and each acknowledgement recorded on the tree has a non-trivial reason
    const reasons: string[] = [];
    for (const c of synth.app.node.findAll()) {
      for (const m of c.node.metadata) {
        if (m.type === "aws:cdk:acknowledged-rules") reasons.push(...Object.values(m.data as Record<string, string>));
      }
    }
    expect(reasons.length).toBeGreaterThan(10);
    for (const r of reasons) expect(r.length).toBeGreaterThan(20);
  });
});

describe("buckets", () => {
  it("block public access, encrypt, and expire raw videos and archives after the stage's days", () => {
    for (const [id, days] of [
      [ids().videos, synth.settings.videoExpiryDays],
      [ids().archives, synth.settings.archiveExpiryDays],
    ] as const) {
      expect(template.toJSON().Resources[id].Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
        },
        LifecycleConfiguration: {
          Rules: [
            { ExpirationInDays: days, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: "Enabled" },
          ],
        },
      });
    }
  });

  it("deny every request without TLS", () => {
    for (const id of [ids().videos, ids().archives]) {
      template.hasResourceProperties("AWS::S3::BucketPolicy", {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: "Deny",
              Action: "s3:*",
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            }),
          ]),
        },
      });
    }
  });

  it("let browsers upload to videos with CORS that exposes ETag (multipart needs it)", () => {
    template.hasResourceProperties("AWS::S3::Bucket", {
      BucketName: Match.stringLikeRegexp("^vp-test-videos-"),
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({ AllowedMethods: Match.arrayWith(["PUT"]), ExposedHeaders: Match.arrayWith(["ETag"]) }),
        ],
      },
    });
  });
});

describe("table", () => {
  it("is on demand with PITR, encryption, deletion protection and the adapter's three GSIs", () => {
    template.hasResourceProperties("AWS::DynamoDB::GlobalTable", {
      TableName: "vp-test-records",
      BillingMode: "PAY_PER_REQUEST",
      SSESpecification: { SSEEnabled: true },
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: "gsi1",
          KeySchema: [
            { AttributeName: "gsi1pk", KeyType: "HASH" },
            { AttributeName: "gsi1sk", KeyType: "RANGE" },
          ],
        }),
        Match.objectLike({ IndexName: "gsi2" }),
        Match.objectLike({ IndexName: "gsi3" }),
      ],
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
  });
});

describe("messaging", () => {
  it("wires each queue to a DLQ, encrypts queues and topics", () => {
    for (const [name, receives] of [
      ["vp-test-worker", 3],
      ["vp-test-api", 5],
      ["vp-test-notify", 5],
      ["vp-test-webhooks", 10],
    ] as const) {
      template.hasResourceProperties("AWS::SQS::Queue", {
        QueueName: name,
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: receives },
      });
      template.hasResourceProperties("AWS::SQS::Queue", { QueueName: `${name}-dlq`, SqsManagedSseEnabled: true });
    }
    template.resourcePropertiesCountIs("AWS::SNS::Topic", { KmsMasterKeyId: Match.anyValue() }, 3);
    template.hasResourceProperties("AWS::SNS::Topic", { TopicName: "vp-test-video-processor-api" });
    template.hasResourceProperties("AWS::SNS::Topic", { TopicName: "vp-test-video-processor-worker" });
  });

  it("subscribes queues to topics with target/type filter policies", () => {
    const { apiTopic, workerTopic, workerQueue, apiQueue, notifyQueue } = ids();
    const sub = (topic: string, queue: string, target: string, types: string[]) =>
      template.hasResourceProperties("AWS::SNS::Subscription", {
        Protocol: "sqs",
        TopicArn: { Ref: topic },
        Endpoint: { "Fn::GetAtt": [queue, "Arn"] },
        FilterPolicy: { target: [target, "MSG_SERVICE_ANY"], type: types },
      });
    sub(apiTopic, workerQueue, "MSG_SERVICE_WORKER", ["EXTRACTION_REQUESTED"]);
    sub(workerTopic, apiQueue, "MSG_SERVICE_API", ["JOB_UPDATED", "JOB_FINISHED"]);
    sub(workerTopic, notifyQueue, "MSG_SERVICE_NOTIFY", ["JOB_FINISHED"]);
    template.resourceCountIs("AWS::SNS::Subscription", 4);
  });

  it("feeds the webhooks queue only the worker's news of jobs that ended (filtered on the body)", () => {
    // GIVEN cancellations travel as JOB_UPDATED, THEN the filter reads the job's status in the envelope
    template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "sqs",
      TopicArn: { Ref: ids().workerTopic },
      Endpoint: { "Fn::GetAtt": [ids().webhookQueue, "Arn"] },
      FilterPolicyScope: "MessageBody",
      FilterPolicy: { payload: { job: { status: ["SUCCEEDED", "FAILED", "CANCELLED"] } } },
    });
  });

  it("alarms on DLQ depth and on the oldest message's age for every queue", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      AlarmName: "vp-test-webhooks-oldest-message-age",
      Threshold: 1800,
    });
    for (const q of ["worker", "api", "notify", "webhooks"]) {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        AlarmName: `vp-test-${q}-dlq-not-empty`,
        MetricName: "ApproximateNumberOfMessagesVisible",
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        AlarmActions: [{ Ref: logicalId(synth.service.messaging.alarmTopic) }],
      });
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        AlarmName: `vp-test-${q}-oldest-message-age`,
        MetricName: "ApproximateAgeOfOldestMessage",
        Threshold: q === "worker" ? 900 : q === "webhooks" ? 1800 : 300,
      });
    }
  });
});

describe("least privilege per workload", () => {
  it("binds one Pod Identity role per workload service account", () => {
    const { apiAccount, workerAccount } = synth.service.workloads;
    for (const [sa, account] of [
      ["api", apiAccount],
      ["worker", workerAccount],
    ] as const) {
      template.hasResourceProperties("AWS::EKS::PodIdentityAssociation", {
        Namespace: "video-processor",
        ServiceAccount: sa,
        RoleArn: { "Fn::GetAtt": [logicalId(account.role), "Arn"] },
      });
      const trust = template.toJSON().Resources[logicalId(account.role)].Properties.AssumeRolePolicyDocument
        .Statement as Statement[];
      // Only EKS Pod Identity may assume it (no other service, no account root).
      expect(new Set(trust.map((t) => JSON.stringify((t as { Principal?: unknown }).Principal)))).toEqual(
        new Set([JSON.stringify({ Service: "pods.eks.amazonaws.com" })]),
      );
    }
  });

  it("API: presigns uploads and downloads, publishes requests; cannot list, write archives, consume the worker queue or touch the table", () => {
    const st = roleStatements(synth.service.workloads.apiAccount.role);
    const i = ids();
    expect(allows(st, "s3:PutObject", i.videos)).toBe(true);
    expect(allows(st, "s3:GetObject", i.archives)).toBe(true);
    expect(allows(st, "sns:Publish", i.apiTopic)).toBe(true);
    expect(allows(st, "sqs:ReceiveMessage", i.apiQueue)).toBe(true);
    // THEN what it can NOT do
    expect(allows(st, "s3:PutObject", i.archives)).toBe(false);
    expect(allows(st, "s3:ListBucket")).toBe(false);
    expect(allows(st, "s3:DeleteBucket")).toBe(false);
    expect(allows(st, "s3:PutBucketPolicy")).toBe(false);
    expect(allows(st, "sqs:ReceiveMessage", i.workerQueue)).toBe(false);
    expect(allows(st, "sqs:DeleteMessage", i.workerQueue)).toBe(false);
    expect(allows(st, "sns:Publish", i.workerTopic)).toBe(false);
    // Webhooks: it queues test deliveries and redeliveries; only the worker sends them
    expect(allows(st, "sqs:SendMessage", i.webhookQueue)).toBe(true);
    expect(allows(st, "sqs:ReceiveMessage", i.webhookQueue)).toBe(false);
    expect(allows(st, "sqs:DeleteMessage", i.webhookQueue)).toBe(false);
    for (const a of ["dynamodb:DeleteTable", "dynamodb:UpdateTable", "dynamodb:CreateTable", "dynamodb:Scan"])
      expect(allows(st, a)).toBe(false);
    expect(allows(st, "cognito-idp:AdminDeleteUser")).toBe(false);
    expect(allows(st, "secretsmanager:GetSecretValue")).toBe(false);
  });

  it("worker: reads videos, writes archives, consumes its queue; cannot write videos, read the API queue or delete the table", () => {
    const st = roleStatements(synth.service.workloads.workerAccount.role);
    const i = ids();
    expect(allows(st, "s3:GetObject", i.videos)).toBe(true);
    expect(allows(st, "s3:PutObject", i.archives)).toBe(true);
    expect(allows(st, "sqs:ChangeMessageVisibility", i.workerQueue)).toBe(true);
    expect(allows(st, "sns:Publish", i.workerTopic)).toBe(true);
    // The webhook consumer: receives, settles and re-sends (delayed attempts) on its queue
    for (const a of ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:SendMessage"])
      expect(allows(st, a, i.webhookQueue)).toBe(true);
    // THEN what it can NOT do
    expect(allows(st, "s3:PutObject", i.videos)).toBe(false);
    expect(allows(st, "s3:DeleteObject", i.videos)).toBe(false);
    expect(allows(st, "s3:GetObject", i.archives)).toBe(false);
    expect(allows(st, "s3:ListBucket")).toBe(false);
    expect(allows(st, "sqs:ReceiveMessage", i.apiQueue)).toBe(false);
    expect(allows(st, "sns:Publish", i.apiTopic)).toBe(false);
    for (const a of ["dynamodb:DeleteTable", "dynamodb:UpdateTable", "dynamodb:DeleteBackup"])
      expect(allows(st, a)).toBe(false);
  });

  it("KEDA reads the worker queue's attributes and nothing else", () => {
    const st = roleStatements(synth.service.platform.kedaOperator.role);
    expect(actionsOf(st)).toEqual(["sqs:GetQueueAttributes"]);
    expect(allows(st, "sqs:GetQueueAttributes", ids().workerQueue)).toBe(true);
    expect(allows(st, "sqs:GetQueueAttributes", ids().apiQueue)).toBe(false);
    expect(allows(st, "sqs:GetQueueAttributes", ids().webhookQueue)).toBe(false);
  });

  it("External Secrets reads only the three runtime secrets", () => {
    const st = roleStatements(synth.service.platform.externalSecretsAccount.role);
    expect(actionsOf(st)).toEqual(["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]);
    const resources = st.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
    expect(resources).not.toContain("*");
    const secrets = synth.service.secrets;
    for (const secret of [secrets.runtime, secrets.grafanaAdmin, secrets.urlSigning])
      expect(resources).toContainEqual({ Ref: logicalId(secret) });
    expect(resources).toHaveLength(3);
  });

  it("generates the frame URLs' signing key in Secrets Manager, never in the template", () => {
    template.hasResourceProperties("AWS::SecretsManager::Secret", {
      Name: "vp-test-url-signing",
      GenerateSecretString: Match.objectLike({ GenerateStringKey: "VP_URL_SIGNING_SECRET", PasswordLength: 64 }),
    });
  });

  it("cluster autoscaler may only resize ASGs tagged for this cluster", () => {
    const st = roleStatements(synth.service.platform.autoscalerAccount.role);
    const mutating = st.filter((s) => actionsOf([s]).includes("autoscaling:SetDesiredCapacity"));
    expect(mutating).toHaveLength(1);
    expect(mutating[0]?.Condition).toEqual({
      StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/vp-test-cluster": "owned" },
    });
  });
});

describe("notify Lambda", () => {
  it("consumes its queue with partial batch failures and may only send from its SES identity", () => {
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: { "Fn::GetAtt": [ids().notifyQueue, "Arn"] },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      BatchSize: 10,
    });
    template.hasResourceProperties("AWS::SES::EmailIdentity", { EmailIdentity: synth.settings.mailFrom });
    const st = roleStatements(synth.service.notify.function.fn.role!);
    expect(allows(st, "ses:SendEmail")).toBe(true);
    const ses = st.find((s) => actionsOf([s]).includes("ses:SendEmail"));
    expect(JSON.stringify(ses?.Resource)).toContain(
      `identity/",{"Ref":"${logicalId(synth.service.notify.emailIdentity)}"}`,
    );
    expect(allows(st, "cognito-idp:AdminGetUser")).toBe(true);
    expect(allows(st, "cognito-idp:AdminDeleteUser")).toBe(false);
    expect(allows(st, "sqs:SendMessage")).toBe(false);
  });
});

describe("accounts Lambda", () => {
  it("has no Cognito permission at all (public SignUp/ConfirmSignUp/InitiateAuth/RevokeToken calls, codes mailed by Cognito)", () => {
    const st = roleStatements(synth.service.accounts.fn.role!);
    expect(allows(st, "cognito-idp:*")).toBe(false);
    expect(allows(st, "cognito-idp:AdminConfirmSignUp")).toBe(false);
    expect(allows(st, "cognito-idp:GlobalSignOut")).toBe(false);
  });

  it("records signed-out sessions in the table, SESSION# items only, and mails from the notifier's sender", () => {
    const st = roleStatements(synth.service.accounts.fn.role!);
    const dynamo = st.filter((s) => actionsOf([s]).some((a) => a.startsWith("dynamodb:")));
    expect(dynamo.flatMap((s) => actionsOf([s])).sort()).toEqual(["dynamodb:GetItem", "dynamodb:PutItem"]);
    expect(JSON.stringify(dynamo[0]?.Condition)).toContain("SESSION#*");
    for (const a of ["dynamodb:Query", "dynamodb:DeleteItem", "dynamodb:UpdateItem", "dynamodb:Scan"])
      expect(allows(st, a)).toBe(false);
    expect(allows(st, "ses:SendEmail")).toBe(true);
    const fn = template.toJSON().Resources[logicalId(synth.service.accounts.fn)] as {
      Properties: { Environment: { Variables: Record<string, unknown> } };
    };
    const vars = fn.Properties.Environment.Variables;
    expect(vars).toMatchObject({
      VP_DYNAMODB_TABLE: { Ref: expect.any(String) },
      VP_MAIL_FROM: synth.service.notify.mailFrom,
    });
    template.hasResourceProperties("AWS::DynamoDB::GlobalTable", {
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
    });
  });
});

describe("HTTP API", () => {
  it("routes /graphql and /api/videos to the ALB through the VPC link and accounts to the Lambda", () => {
    const routes = template.findResources("AWS::ApiGatewayV2::Route");
    const keys = Object.values(routes)
      .map((r) => r.Properties.RouteKey as string)
      .sort();
    expect(keys).toEqual([...ALB_ROUTES, ...ACCOUNT_ROUTES].map((p) => `ANY ${p}`).sort());
    // The web app (its page and assets) and the signed frame links reach the API pods too.
    const albIntegration = Object.entries(template.findResources("AWS::ApiGatewayV2::Integration")).find(
      ([, r]) => r.Properties.ConnectionType === "VPC_LINK",
    )![0];
    for (const key of ["ANY /", "ANY /assets/{proxy+}", "ANY /frames/{proxy+}"])
      template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
        RouteKey: key,
        Target: { "Fn::Join": ["", ["integrations/", { Ref: albIntegration }]] },
      });
    template.hasResourceProperties("AWS::ApiGatewayV2::Integration", {
      IntegrationType: "HTTP_PROXY",
      ConnectionType: "VPC_LINK",
      IntegrationUri: { Ref: logicalId(synth.service.loadBalancer.listener) },
    });
    template.hasResourceProperties("AWS::ApiGatewayV2::Integration", {
      IntegrationType: "AWS_PROXY",
      IntegrationUri: { "Fn::GetAtt": [logicalId(synth.service.accounts.fn), "Arn"] },
    });
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
    });
  });

  it("keeps the ALB internal and hides /metrics from outside", () => {
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", {
      Scheme: "internal",
      Name: "vp-test-api",
    });
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", {
      Conditions: [{ Field: "path-pattern", PathPatternConfig: { Values: ["/metrics", "/metrics/*"] } }],
      Actions: [
        Match.objectLike({ Type: "fixed-response", FixedResponseConfig: Match.objectLike({ StatusCode: "404" }) }),
      ],
    });
    template.hasResourceProperties("AWS::CloudFront::Distribution", {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: "https-only" }),
      }),
    });
  });
});

describe("Cognito", () => {
  it("signs in with email, verifies it, and uses the local >= 8 characters policy", () => {
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      UserPoolName: "vp-test-users",
      UsernameAttributes: ["email"],
      AutoVerifiedAttributes: ["email"],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireLowercase: false,
          RequireUppercase: false,
          RequireNumbers: false,
          RequireSymbols: false,
        },
      },
    });
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayEquals(["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]),
      PreventUserExistenceErrors: "ENABLED",
    });
  });
});

describe("cluster and add-ons", () => {
  it("runs EKS with a managed node group and the charts the workloads depend on", () => {
    template.hasResourceProperties("AWS::EKS::Nodegroup", {
      ScalingConfig: {
        MinSize: synth.settings.minNodes,
        MaxSize: synth.settings.maxNodes,
        DesiredSize: synth.settings.minNodes,
      },
    });
    const charts = Object.values(template.findResources("Custom::AWSCDK-EKS-HelmChart")).map(
      (r) => r.Properties.Chart as string,
    );
    expect(charts.sort()).toEqual(
      [
        "aws-load-balancer-controller",
        "cluster-autoscaler",
        "external-secrets",
        "keda",
        "kube-prometheus-stack",
        "metrics-server",
      ].sort(),
    );
  });

  it("keeps data and nodes off public subnets: cache and nodes use private subnets only", () => {
    const vpc = synth.service.network.vpc;
    const privateIds = vpc.privateSubnets.map((s) => logicalId(s));
    const cache = Object.values(template.findResources("AWS::ElastiCache::ServerlessCache"))[0];
    const subnetRefs = (cache?.Properties.SubnetIds as { Ref: string }[]).map((r) => r.Ref);
    expect(subnetRefs.sort()).toEqual([...privateIds].sort());
    template.resourceCountIs("AWS::EC2::VPCEndpoint", 2);
  });
});

describe("registry", () => {
  it("scans images and keeps tags immutable", () => {
    synth.registryTemplate.resourcePropertiesCountIs(
      "AWS::ECR::Repository",
      { ImageTagMutability: "IMMUTABLE", ImageScanningConfiguration: { ScanOnPush: true } },
      2,
    );
  });
});

describe("Lambda bundles (esbuild, synthesized above)", () => {
  const bundleOf = (fn: { node: unknown }): string => {
    const code = template.toJSON().Resources[logicalId(fn as never)].Properties.Code as { S3Key: string };
    return join(synth.app.outdir, `asset.${code.S3Key.replace(/\.zip$/, "")}`, "index.mjs");
  };

  it("load cold with the stage's environment and answer without calling AWS", async () => {
    // GIVEN the environment the stack gives the functions (AWS_REGION comes from the Lambda runtime)
    Object.assign(process.env, {
      AWS_REGION: "eu-west-1",
      VP_PUBLIC_URL: "https://example.execute-api.eu-west-1.amazonaws.com",
      VP_MAIL_FROM: "no-reply@example.com",
      VP_COGNITO_USER_POOL_ID: "eu-west-1_abc",
      VP_COGNITO_CLIENT_ID: "client",
      VP_DYNAMODB_TABLE: "vp-test-records",
    });
    // WHEN the bundles are imported and given events that need no AWS call
    const notify = (await import(pathToFileURL(bundleOf(synth.service.notify.function.fn)).href)) as {
      handler: (e: unknown) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
    };
    const accounts = (await import(pathToFileURL(bundleOf(synth.service.accounts.fn)).href)) as {
      handler: (e: unknown) => Promise<{ statusCode: number }>;
    };
    // THEN a malformed record is reported as a failure (dead-lettered after retries), not thrown
    const result = await notify.handler({ Records: [{ messageId: "m1", body: '{"not":"an envelope"}' }] });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: "m1" }]);
    const res = await accounts.handler({
      rawPath: "/api/v1/accounts/nope",
      headers: {},
      requestContext: { http: { method: "POST", path: "/api/v1/accounts/nope", sourceIp: "203.0.113.1" } },
    });
    expect(res.statusCode).toBe(404);
  });
});
