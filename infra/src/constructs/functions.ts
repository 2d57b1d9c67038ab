import { Duration } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { fileURLToPath } from "node:url";
import { ESM_REQUIRE_BANNER, NODE_TARGET, nodeBundleOptions } from "../../../scripts/esbuild-options.js";
import { acknowledge } from "../nag.js";

/** The repository root: Lambda entries live in sibling workspaces and bundle from the root lock file. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface WorkspaceFunctionProps {
  /** Path from the repository root, e.g. `notify-lambda/src/lambda.ts`. */
  readonly entry: string;
  readonly functionName: string;
  readonly environment: Record<string, string>;
  /** @default 30 seconds */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
}

/**
 * A Node.js Lambda bundled by the local esbuild (no Docker) as one ESM file. The AWS SDK is
 * bundled too, so the function runs the SDK version the tests ran rather than the runtime's.
 * Target, format, platform and the `require` banner are the ones the service bundles use
 * (scripts/esbuild-options.ts); unlike them, Lambdas prefer ESM entry points and are minified.
 */
export class WorkspaceFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: WorkspaceFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, "Logs", {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: logs.RetentionDays.ONE_MONTH,
    });
    this.fn = new nodejs.NodejsFunction(this, "Function", {
      functionName: props.functionName,
      entry: `${REPO_ROOT}${props.entry}`,
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      handler: "handler",
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: { NODE_OPTIONS: "--enable-source-maps", ...props.environment },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: NODE_TARGET,
        platform: nodeBundleOptions.platform,
        mainFields: ["module", "main"],
        sourceMap: nodeBundleOptions.sourcemap,
        minify: true,
        externalModules: [],
        // ESM bundles still meet CommonJS dependencies that call require().
        banner: ESM_REQUIRE_BANNER,
      },
    });
    acknowledge(
      this.fn,
      "X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.",
      "AwsSolutions-IAM5[Resource::*]",
    );
  }
}
