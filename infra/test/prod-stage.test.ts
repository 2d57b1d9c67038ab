import { Match } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SynthesizedApp, synthesizeApp } from "./support.js";

describe("prod stage", () => {
  let synth: SynthesizedApp;
  beforeAll(() => {
    // GIVEN -c stage=prod with an account and region  WHEN synthesized with cdk-nag (throws on findings)
    synth = synthesizeApp({
      stage: "prod",
      account: "222222222222",
      region: "us-east-1",
      adminPrincipalArn: "arn:aws:iam::222222222222:role/platform-admins",
    });
  });

  afterAll(() => synth?.dispose());

  it("derives every physical name from the stage", () => {
    // THEN stacks and names carry vp-prod and nothing of the test stage leaks in
    expect(synth.service.stackName).toBe("vp-prod-service");
    expect(synth.registry.stackName).toBe("vp-prod-registry");
    const json = JSON.stringify(synth.template.toJSON());
    expect(json).not.toContain("vp-test");
    const named = [
      "BucketName",
      "TableName",
      "QueueName",
      "TopicName",
      "UserPoolName",
      "FunctionName",
      "AlarmName",
      "Name",
    ];
    for (const [id, r] of Object.entries(
      synth.template.toJSON().Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>,
    )) {
      for (const key of named) {
        const v = r.Properties?.[key];
        if (typeof v === "string" && r.Type.startsWith("AWS::") && !r.Type.startsWith("AWS::SSM")) {
          expect(v, `${id}.${key}`).toMatch(/^vp-prod-/);
        }
      }
    }
  });

  it("uses the prod sizes and the account/region from context", () => {
    expect(synth.service.account).toBe("222222222222");
    expect(synth.service.region).toBe("us-east-1");
    synth.template.hasResourceProperties("AWS::EKS::Nodegroup", {
      ScalingConfig: { MinSize: 3, MaxSize: 10, DesiredSize: 3 },
    });
    synth.template.resourceCountIs("AWS::EC2::NatGateway", 2);
    const admin = Object.values(
      synth.template.findResources("AWS::EKS::AccessEntry", {
        Properties: { PrincipalArn: "arn:aws:iam::222222222222:role/platform-admins" },
      }),
    );
    expect(admin).toHaveLength(1);
    expect(JSON.stringify(admin[0]?.Properties.AccessPolicies)).toMatch(
      /AmazonEKSClusterAdminPolicy.*"Type":"cluster"|"Type":"cluster".*AmazonEKSClusterAdminPolicy/,
    );
    synth.template.hasResourceProperties("AWS::S3::Bucket", {
      BucketName: "vp-prod-archives-222222222222-us-east-1",
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30 })] },
    });
  });
});
