import { describe, expect, it } from "vitest";
import { loadPlatformSettings as loadConfig } from "../src/settings.js";
import { ConfigError } from "../src/shared/env-config.js";
import { createAwsPlatform } from "../src/aws/index.js";

const complete = {
  VP_BACKEND: "aws",
  AWS_REGION: "eu-west-1",
  VP_PUBLIC_URL: "https://vp.example.com",
  VP_S3_VIDEOS_BUCKET: "vp-videos",
  VP_S3_ARCHIVES_BUCKET: "vp-archives",
  VP_DYNAMODB_TABLE: "vp-records",
  VP_SNS_API_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:video-processor-api",
  VP_SNS_WORKER_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:video-processor-worker",
  VP_SQS_WORKER_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/vp-worker",
  VP_SQS_API_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/vp-api",
  VP_SQS_NOTIFY_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/vp-notify",
  VP_REDIS_URL: "rediss://vp.abc123.cache.amazonaws.com:6379",
  VP_COGNITO_USER_POOL_ID: "eu-west-1_AbCdEfGhI",
  VP_COGNITO_CLIENT_ID: "1example23456789",
};

const problems = (env: Record<string, string | undefined>): readonly string[] => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

describe("AWS settings", () => {
  it("accepts a complete set, with the optional ones off by default", () => {
    const config = loadConfig(complete);
    expect(config).toMatchObject({ VP_BACKEND: "aws", AWS_REGION: "eu-west-1", VP_S3_FORCE_PATH_STYLE: false });
    expect(config.VP_SQS_WORKER_DLQ_URL).toBeUndefined();
    expect(config.VP_COGNITO_ISSUER).toBeUndefined();
  });

  it("names every missing setting, one line each", () => {
    const { VP_DYNAMODB_TABLE: _t, VP_REDIS_URL: _r, VP_COGNITO_CLIENT_ID: _c, ...rest } = complete;
    expect(problems(rest)).toEqual([
      "VP_DYNAMODB_TABLE: is required when VP_BACKEND=aws",
      "VP_REDIS_URL: is required when VP_BACKEND=aws",
      "VP_COGNITO_CLIENT_ID: is required when VP_BACKEND=aws",
    ]);
    expect(problems({ VP_BACKEND: "local" })).toEqual([]);
  });

  it("with local messaging, needs no SNS or SQS names", () => {
    const { VP_SNS_API_TOPIC_ARN: _a, VP_SQS_WORKER_QUEUE_URL: _w, ...rest } = complete;
    expect(problems({ ...rest, VP_MESSAGING: "local" })).toEqual([]);
    expect(problems(rest)).toEqual([
      "VP_SNS_API_TOPIC_ARN: is required when VP_BACKEND=aws",
      "VP_SQS_WORKER_QUEUE_URL: is required when VP_BACKEND=aws",
    ]);
  });

  it("names every malformed setting with its value", () => {
    const found = problems({
      ...complete,
      VP_SNS_API_TOPIC_ARN: "video-processor-api",
      VP_SQS_WORKER_QUEUE_URL: "vp-worker",
      VP_REDIS_URL: "http://cache:6379",
      VP_SQS_WORKER_DLQ_URL: "dlq",
      VP_COGNITO_ISSUER: "issuer",
      VP_S3_FORCE_PATH_STYLE: "yes",
    });
    expect(found).toHaveLength(6);
    for (const [name, value] of [
      ["VP_SNS_API_TOPIC_ARN", "video-processor-api"],
      ["VP_SQS_WORKER_QUEUE_URL", "vp-worker"],
      ["VP_REDIS_URL", "http://cache:6379"],
      ["VP_SQS_WORKER_DLQ_URL", "dlq"],
      ["VP_COGNITO_ISSUER", "issuer"],
      ["VP_S3_FORCE_PATH_STYLE", "yes"],
    ])
      expect(found.some((p) => p.startsWith(`${name}=${JSON.stringify(value)}: `))).toBe(true);
    expect(found.find((p) => p.startsWith("VP_REDIS_URL"))).toContain("redis:// or rediss://");
  });

  it("createAwsPlatform refuses a configuration without the AWS settings, naming them", async () => {
    const local = loadConfig({});
    await expect(createAwsPlatform(local, { logger: { info() {}, warn() {}, error() {} } })).rejects.toThrow(
      /AWS_REGION: is required when VP_BACKEND=aws[\s\S]*VP_COGNITO_CLIENT_ID/,
    );
  });
});

describe("endpoint override through the SDK's own AWS_ENDPOINT_URL_<SERVICE>", () => {
  it("sends S3 and DynamoDB calls where the environment says, with no endpoint in our code", async () => {
    const { startDynalite, startS3rver } = await import("../src/testing/aws/servers.js");
    const { createAwsClients } = await import("../src/aws/index.js");
    const { ListTablesCommand } = await import("@aws-sdk/client-dynamodb");
    const { ListBucketsCommand } = await import("@aws-sdk/client-s3");
    const [dynamo, s3] = await Promise.all([startDynalite(), startS3rver()]);
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
    });
    const clients = createAwsClients({ region: "us-east-1", forcePathStyle: true });
    try {
      expect(await clients.dynamodb().send(new ListTablesCommand({}))).toMatchObject({ TableNames: [] });
      expect((await clients.s3().send(new ListBucketsCommand({}))).$metadata.httpStatusCode).toBe(200);
      expect(clients.s3()).toBe(clients.s3());
    } finally {
      clients.destroy();
      process.env = saved;
      await dynamo.close();
      await s3.close();
    }
  });
});
