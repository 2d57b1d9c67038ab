import { Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import * as ecr from "aws-cdk-lib/aws-ecr";
import type { Construct } from "constructs";
import type { Naming } from "../stage.js";

export interface RegistryStackProps extends StackProps {
  readonly naming: Naming;
  /** @default 30 */
  readonly keepImages?: number;
}

/**
 * ECR repositories, in their own stack because CI must push images before the service stack
 * can roll them out: deploy this, push, then deploy the service.
 */
export class RegistryStack extends Stack {
  readonly api: ecr.Repository;
  readonly worker: ecr.Repository;

  constructor(scope: Construct, id: string, props: RegistryStackProps) {
    super(scope, id, props);
    const repo = (idPart: string, name: string) =>
      new ecr.Repository(this, idPart, {
        repositoryName: `${props.naming.name(name)}`,
        imageScanOnPush: true,
        imageTagMutability: ecr.TagMutability.IMMUTABLE,
        encryption: ecr.RepositoryEncryption.AES_256,
        removalPolicy: RemovalPolicy.RETAIN,
        lifecycleRules: [
          {
            description: "drop untagged layers",
            tagStatus: ecr.TagStatus.UNTAGGED,
            maxImageAge: Duration.days(7),
            rulePriority: 1,
          },
          {
            description: "keep the newest images",
            tagStatus: ecr.TagStatus.ANY,
            maxImageCount: props.keepImages ?? 30,
            rulePriority: 2,
          },
        ],
      });
    this.api = repo("Api", "api");
    this.worker = repo("Worker", "worker");
  }
}
