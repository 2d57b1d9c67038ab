import { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { SNSClient } from "@aws-sdk/client-sns";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";

export type AwsService = "s3" | "dynamodb" | "sqs" | "sns" | "ses" | "cognito";

export interface AwsClientsOptions {
  readonly region: string;
  /**
   * Per-service endpoint, for test servers. In deployments leave it unset: the SDK itself reads
   * `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` (e.g. `AWS_ENDPOINT_URL_S3`) for LocalStack.
   */
  readonly endpoints?: Partial<Record<AwsService, string>>;
  /** Path-style S3 URLs (`http://host/bucket/key`): what s3rver and LocalStack need. @default false */
  readonly forcePathStyle?: boolean;
  /** Static credentials, for test servers only; unset: the SDK's default provider chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * Each client made once, on first use, and shared; `destroy()` closes the sockets of those made.
 * The getters are plain functions (no `this`), so adapters take them detached: `{ s3: clients.s3 }`.
 */
export interface AwsClients {
  readonly s3: () => S3Client;
  readonly dynamodb: () => DynamoDBClient;
  /** Document client over `dynamodb()`: plain JS values in and out, undefined fields dropped. */
  readonly documents: () => DynamoDBDocumentClient;
  readonly sqs: () => SQSClient;
  readonly sns: () => SNSClient;
  readonly ses: () => SESv2Client;
  readonly cognito: () => CognitoIdentityProviderClient;
  destroy(): void;
}

/** The one way AWS clients are made here: lazily, memoized, endpoint override for local servers. */
export function createAwsClients(options: AwsClientsOptions): AwsClients {
  const made: Array<{ destroy(): void }> = [];
  const common = (service: AwsService) => ({
    region: options.region,
    ...(options.endpoints?.[service] !== undefined ? { endpoint: options.endpoints[service] } : {}),
    ...(options.credentials !== undefined ? { credentials: { ...options.credentials } } : {}),
  });
  const lazy = <C extends { destroy(): void }>(make: () => C): (() => C) => {
    let client: C | undefined;
    return () => {
      if (client === undefined) {
        client = make();
        made.push(client);
      }
      return client;
    };
  };
  const dynamodb = lazy(() => new DynamoDBClient(common("dynamodb")));
  return {
    s3: lazy(
      () =>
        new S3Client({
          ...common("s3"),
          forcePathStyle: options.forcePathStyle ?? false,
          // With the defaults, a streamed PutObject against S3-compatible servers stores the
          // aws-chunked framing inside the object (STACK.md): checksums only where S3 requires them.
          requestChecksumCalculation: "WHEN_REQUIRED",
          responseChecksumValidation: "WHEN_REQUIRED",
        }),
    ),
    dynamodb,
    documents: lazy(() =>
      DynamoDBDocumentClient.from(dynamodb(), {
        marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
      }),
    ),
    sqs: lazy(() => new SQSClient(common("sqs"))),
    sns: lazy(() => new SNSClient(common("sns"))),
    ses: lazy(() => new SESv2Client(common("ses"))),
    cognito: lazy(() => new CognitoIdentityProviderClient(common("cognito"))),
    destroy() {
      for (const c of made.splice(0)) c.destroy();
    },
  };
}
