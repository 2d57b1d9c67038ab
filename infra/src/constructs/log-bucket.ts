import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Validations } from "aws-cdk-lib";
import { Construct } from "constructs";
import type { Naming } from "../stage.js";

export interface LogBucketProps {
  readonly naming: Naming;
  readonly account: string;
  readonly region: string;
  /** @default 90 */
  readonly retentionDays?: number;
}

/** Destination for S3 server access logs and load balancer access logs. */
export class LogBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: LogBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, "Bucket", {
      bucketName: props.naming.name(`logs-${props.account}-${props.region}`),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // ALB access logs only support SSE-S3.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(props.retentionDays ?? 90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: "AwsSolutions-S1",
      reason: "This is the access-log bucket itself; logging it into itself would loop.",
    });
  }
}
