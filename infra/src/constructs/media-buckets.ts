import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import type { Naming } from "../stage.js";

export interface MediaBucketsProps {
  readonly naming: Naming;
  readonly account: string;
  readonly region: string;
  /** Raw uploads are deleted this many days after upload. */
  readonly videoExpiryDays: number;
  /** Frame archives are deleted this many days after creation. */
  readonly archiveExpiryDays: number;
  /** Where S3 server access logs go. */
  readonly accessLogs: s3.IBucket;
  /**
   * Browser origins allowed to upload with the presigned targets.
   * @default ["*"]
   */
  readonly corsOrigins?: readonly string[];
  /**
   * Abort multipart uploads left incomplete for this many days.
   * @default 1
   */
  readonly abortIncompleteMultipartDays?: number;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The two buckets of the service. Browsers PUT raw videos straight to `videos` with presigned
 * targets minted by the API; the worker reads them and writes ZIPs to `archives`, which users
 * download through presigned GETs. Both are private, encrypted, TLS only, and expire.
 */
export class MediaBuckets extends Construct {
  readonly videos: s3.Bucket;
  readonly archives: s3.Bucket;

  constructor(scope: Construct, id: string, props: MediaBucketsProps) {
    super(scope, id);
    const make = (idPart: string, part: string, days: number, cors: boolean) =>
      new s3.Bucket(this, idPart, {
        bucketName: props.naming.name(`${part}-${props.account}-${props.region}`),
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        serverAccessLogsBucket: props.accessLogs,
        serverAccessLogsPrefix: `s3/${part}/`,
        removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
        autoDeleteObjects: false,
        cors: cors
          ? [
              {
                allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.POST, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
                allowedOrigins: [...(props.corsOrigins ?? ["*"])],
                allowedHeaders: ["*"],
                // Multipart uploads from the browser need each part's ETag to complete the upload.
                exposedHeaders: ["ETag"],
                maxAge: 3000,
              },
            ]
          : [
              {
                allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.HEAD],
                allowedOrigins: [...(props.corsOrigins ?? ["*"])],
                allowedHeaders: ["*"],
                exposedHeaders: ["ETag", "Content-Disposition"],
                maxAge: 3000,
              },
            ],
        lifecycleRules: [
          {
            id: "expire",
            expiration: Duration.days(days),
            abortIncompleteMultipartUploadAfter: Duration.days(props.abortIncompleteMultipartDays ?? 1),
          },
        ],
      });
    this.videos = make("Videos", "videos", props.videoExpiryDays, true);
    this.archives = make("Archives", "archives", props.archiveExpiryDays, false);
  }

  /**
   * The API: mints upload targets (PUT, multipart) and checks their result (HEAD = GetObject),
   * signs archive downloads (GetObject: a presigned GET carries the signer's rights), deletes a
   * user's objects. No ListBucket anywhere, so it only reaches keys its own records name, and it
   * can never write an archive.
   */
  grantApi(grantee: iam.IGrantable): void {
    this.grantObjects(grantee, this.videos, [
      "s3:PutObject",
      "s3:GetObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
    ]);
    this.grantObjects(grantee, this.archives, ["s3:GetObject", "s3:DeleteObject"]);
  }

  /** The worker: reads raw videos, streams archives in (multipart), removes a half-written one. */
  grantWorker(grantee: iam.IGrantable): void {
    this.grantObjects(grantee, this.videos, ["s3:GetObject"]);
    this.grantObjects(grantee, this.archives, ["s3:PutObject", "s3:AbortMultipartUpload", "s3:DeleteObject"]);
  }

  private grantObjects(grantee: iam.IGrantable, bucket: s3.IBucket, actions: string[]): void {
    iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [bucket.arnForObjects("*")] });
  }
}
