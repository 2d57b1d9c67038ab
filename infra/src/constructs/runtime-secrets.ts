import { RemovalPolicy, SecretValue, Validations } from "aws-cdk-lib";
import type * as iam from "aws-cdk-lib/aws-iam";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import type { Naming } from "../stage.js";

export interface RuntimeSecretsProps {
  readonly naming: Naming;
  /** VP_REDIS_URL; kept out of ConfigMaps and manifests. */
  readonly redisUrl: string;
}

/**
 * What the pods must not find in plain manifests, in Secrets Manager; External Secrets Operator
 * copies each into a Kubernetes Secret (`vp-runtime` for the service, `grafana-admin` for Grafana).
 */
export class RuntimeSecrets extends Construct {
  readonly runtime: secretsmanager.Secret;
  readonly grafanaAdmin: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: RuntimeSecretsProps) {
    super(scope, id);
    this.runtime = new secretsmanager.Secret(this, "Runtime", {
      secretName: `${props.naming.name("runtime")}`,
      description: "Environment for the API and worker pods (JSON keys become env vars)",
      secretObjectValue: { VP_REDIS_URL: SecretValue.unsafePlainText(props.redisUrl) },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.grafanaAdmin = new secretsmanager.Secret(this, "GrafanaAdmin", {
      secretName: `${props.naming.name("grafana-admin")}`,
      description: "Grafana admin login",
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: "admin" }),
        generateStringKey: "password",
        excludePunctuation: true,
        passwordLength: 32,
      },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.runtime).acknowledge({
      id: "AwsSolutions-SMG4",
      reason: "Holds connection settings derived from other resources, not a credential; it changes when they change.",
    });
    Validations.of(this.grafanaAdmin).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "Grafana reads the admin password only at start; rotate by `aws secretsmanager put-secret-value` and a rollout (README).",
    });
  }

  /** External Secrets Operator: read these two secrets, nothing else. */
  grantRead(grantee: iam.IGrantable): void {
    this.runtime.grantRead(grantee);
    this.grafanaAdmin.grantRead(grantee);
  }
}
