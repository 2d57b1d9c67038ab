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
  /** VP_URL_SIGNING_SECRET: the HMAC key of frame URLs, shared by every API pod (generated, never in a template). */
  readonly urlSigning: secretsmanager.Secret;

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
    this.urlSigning = new secretsmanager.Secret(this, "UrlSigning", {
      secretName: `${props.naming.name("url-signing")}`,
      description: "Key of the API's signed frame URLs (VP_URL_SIGNING_SECRET), API pods only",
      generateSecretString: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: "VP_URL_SIGNING_SECRET",
        excludePunctuation: true,
        passwordLength: 64,
      },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.urlSigning).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "Frame URLs live 15-20 minutes; rotate by `aws secretsmanager put-secret-value` and an API rollout (links minted before stop working, clients ask again).",
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

  /** External Secrets Operator: read these three secrets, nothing else. */
  grantRead(grantee: iam.IGrantable): void {
    this.runtime.grantRead(grantee);
    this.grafanaAdmin.grantRead(grantee);
    this.urlSigning.grantRead(grantee);
  }
}
