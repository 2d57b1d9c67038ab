import { App, Duration, Stack, Validations } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import * as iam from "aws-cdk-lib/aws-iam";
import * as s3 from "aws-cdk-lib/aws-s3";
import { describe, expect, it } from "vitest";
import { attachNag } from "../src/app.js";
import { MediaBuckets } from "../src/constructs/media-buckets.js";
import { Messaging } from "../src/constructs/messaging.js";
import { ITEM_ACTIONS, RecordsTable } from "../src/constructs/table.js";
import { Naming } from "../src/stage.js";
import { tableDefinition } from "@vp/platform";
import { actionsOf, allows, statementsOf } from "./support.js";

const naming = new Naming("test");
const newStack = () => new Stack(new App(), "S", { env: { account: "111111111111", region: "eu-west-1" } });
const role = (stack: Stack, id: string) =>
  new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal("pods.eks.amazonaws.com") });

describe("MediaBuckets", () => {
  it("expires objects after the configured days and aborts incomplete multipart uploads", () => {
    // GIVEN
    const stack = newStack();
    const logs = new s3.Bucket(stack, "Logs");
    // WHEN
    new MediaBuckets(stack, "Media", {
      naming,
      account: "111111111111",
      region: "eu-west-1",
      videoExpiryDays: 2,
      archiveExpiryDays: 9,
      abortIncompleteMultipartDays: 3,
      accessLogs: logs,
    });
    // THEN
    const t = Template.fromStack(stack);
    for (const [name, days] of [
      ["vp-test-videos-111111111111-eu-west-1", 2],
      ["vp-test-archives-111111111111-eu-west-1", 9],
    ] as const) {
      t.hasResourceProperties("AWS::S3::Bucket", {
        BucketName: name,
        LifecycleConfiguration: {
          Rules: [
            Match.objectLike({ ExpirationInDays: days, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 } }),
          ],
        },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: Match.stringLikeRegexp("^s3/") }),
      });
    }
  });

  it("grants the worker read on videos and write on archives only", () => {
    const stack = newStack();
    const media = new MediaBuckets(stack, "Media", {
      naming,
      account: "1",
      region: "r",
      videoExpiryDays: 1,
      archiveExpiryDays: 1,
      accessLogs: new s3.Bucket(stack, "Logs"),
    });
    const worker = role(stack, "Worker");
    // WHEN
    media.grantWorker(worker);
    // THEN
    const st = statementsOf(Template.fromStack(stack), stack.getLogicalId(worker.node.defaultChild as iam.CfnRole));
    expect(actionsOf(st)).toEqual(["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"]);
    expect(allows(st, "s3:PutObject", stack.getLogicalId(media.videos.node.defaultChild as s3.CfnBucket))).toBe(false);
  });
});

describe("RecordsTable", () => {
  it("grants item actions on the table and its indexes, never table management", () => {
    const stack = newStack();
    const table = new RecordsTable(stack, "Records", { naming });
    const r = role(stack, "Api");
    table.grantItems(r);
    const t = Template.fromStack(stack);
    t.hasResourceProperties("AWS::DynamoDB::GlobalTable", {
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: "gsi1" }),
        Match.objectLike({ IndexName: "gsi2" }),
        Match.objectLike({
          IndexName: "gsi3",
          KeySchema: [
            { AttributeName: "gsi3pk", KeyType: "HASH" },
            { AttributeName: "gsi3sk", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        }),
      ],
    });
    const st = statementsOf(t, stack.getLogicalId(r.node.defaultChild as iam.CfnRole));
    expect(actionsOf(st)).toEqual([...ITEM_ACTIONS].sort());
    for (const a of [
      "dynamodb:DeleteTable",
      "dynamodb:UpdateTable",
      "dynamodb:RestoreTableToPointInTime",
      "dynamodb:Scan",
    ]) {
      expect(allows(st, a)).toBe(false);
    }
  });
});

describe("RecordsTable matches the DynamoDB adapter", () => {
  it("has the key schema and indexes platform/src/aws creates in tests", () => {
    // GIVEN the adapter's own table definition  WHEN the construct synthesizes
    const stack = newStack();
    new RecordsTable(stack, "Records", { naming });
    const cfn = Template.fromStack(stack).findResources("AWS::DynamoDB::GlobalTable");
    const props = Object.values(cfn)[0]?.Properties as Record<string, unknown>;
    const def = tableDefinition("vp-test-records");
    // THEN keys and GSIs agree
    expect(props.KeySchema).toEqual(def.KeySchema);
    const gsis = (x: unknown) =>
      (x as { IndexName: string; KeySchema: unknown }[]).map((g) => ({
        IndexName: g.IndexName,
        KeySchema: g.KeySchema,
      }));
    expect(gsis(props.GlobalSecondaryIndexes)).toEqual(gsis(def.GlobalSecondaryIndexes));
    // Every key attribute the adapter declares is declared by the construct, with the same type.
    const attrs = (x: unknown) =>
      [...(x as { AttributeName: string; AttributeType: string }[])]
        .map((a) => `${a.AttributeName}:${a.AttributeType}`)
        .sort();
    expect(attrs(props.AttributeDefinitions)).toEqual(attrs(def.AttributeDefinitions));
    expect(gsis(def.GlobalSecondaryIndexes).map((g) => g.IndexName)).toContain("gsi3");
  });
});

describe("Messaging", () => {
  it("takes the worker's retry budget and the age alarm threshold from props", () => {
    const stack = newStack();
    new Messaging(stack, "M", { naming, workerMaxReceiveCount: 7, oldestMessageAlarmAge: Duration.minutes(2) });
    const t = Template.fromStack(stack);
    t.hasResourceProperties("AWS::SQS::Queue", {
      QueueName: "vp-test-worker",
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 7 }),
    });
    t.resourcePropertiesCountIs(
      "AWS::CloudWatch::Alarm",
      { MetricName: "ApproximateAgeOfOldestMessage", Threshold: 120 },
      4,
    );
    // Every queue refuses plain HTTP.
    t.resourcePropertiesCountIs(
      "AWS::SQS::QueuePolicy",
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          ]),
        },
      },
      // worker, api, notify, webhooks and their DLQs
      8,
    );
  });
});

describe("cdk-nag wiring", () => {
  it("fails synth on an unacknowledged finding and passes once it is acknowledged with a reason", () => {
    // GIVEN an app with the same nag attachment as the real one, and a bucket without access logs
    const make = (ack: boolean) => {
      const app = new App();
      const stack = new Stack(app, "Nag");
      const bucket = new s3.Bucket(stack, "B", { enforceSSL: true });
      if (ack) Validations.of(bucket).acknowledge({ id: "AwsSolutions-S1", reason: "test bucket, no traffic" });
      attachNag(app);
      return app;
    };
    // WHEN / THEN
    expect(() => make(false).synth()).toThrow();
    expect(() => make(true).synth()).not.toThrow();
  });
});
