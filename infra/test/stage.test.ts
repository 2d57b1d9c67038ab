import { App } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import { MESSAGE_TYPES, SERVICE, WEBHOOK_JOB_STATUSES } from "../src/constructs/messaging.js";
import { OFFLINE_ACCOUNT, readStageSettings } from "../src/stage.js";
import { JOB_STATUSES, SERVICES, messageSchema, webhookEventTypesFor, type JobEvent } from "@vp/domain";

describe("stage settings", () => {
  it("default to the test stage with offline account and named AZs (no lookups, no credentials)", () => {
    // GIVEN no context and no CDK_DEFAULT_* variables  WHEN settings are read
    const s = readStageSettings(new App().node, {});
    // THEN
    expect(s).toMatchObject({
      stage: "test",
      account: OFFLINE_ACCOUNT,
      region: "eu-west-1",
      availabilityZones: ["eu-west-1a", "eu-west-1b"],
    });
  });

  it("take context over the CLI's environment and validate numbers", () => {
    const app = new App({
      context: {
        stage: "prod",
        region: "us-east-1",
        videoExpiryDays: "2",
        corsOrigins: "https://a.example,https://b.example",
      },
    });
    const s = readStageSettings(app.node, { CDK_DEFAULT_ACCOUNT: "222222222222", CDK_DEFAULT_REGION: "eu-central-1" });
    expect(s).toMatchObject({ stage: "prod", account: "222222222222", region: "us-east-1", videoExpiryDays: 2 });
    expect(s.corsOrigins).toEqual(["https://a.example", "https://b.example"]);
    expect(() => readStageSettings(new App({ context: { archiveExpiryDays: "0" } }).node, {})).toThrow(
      /archiveExpiryDays/,
    );
    expect(() => readStageSettings(new App({ context: { stage: "dev" } }).node, {})).toThrow(/stage=dev/);
  });
});

describe("subscription filters", () => {
  it("use exactly the envelope's service names and message types", () => {
    // GIVEN the schema's envelope  THEN the filter values exist in it
    expect([...SERVICES].sort()).toEqual(Object.values(SERVICE).sort());
    const types = new Set(messageSchema.options.map((o) => o.shape.type.value));
    for (const t of Object.values(MESSAGE_TYPES).flat()) expect(types.has(t)).toBe(true);
  });

  it("let through to the webhooks queue exactly the job statuses that make webhook events", () => {
    const makesEvents = JOB_STATUSES.filter((status) => {
      const job = { status, error: null } as unknown as JobEvent["job"];
      return webhookEventTypesFor({ job, videoFilename: "" }).length > 0;
    });
    expect([...WEBHOOK_JOB_STATUSES].sort()).toEqual([...makesEvents].sort());
  });
});
