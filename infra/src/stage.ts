import type { Node } from "constructs";

/** What differs between `test` and `prod`; everything else is derived from the stage name. */
export interface StageSettings {
  readonly stage: "test" | "prod";
  readonly account: string;
  readonly region: string;
  /** AZs, named so synth needs no lookup (a concrete account would otherwise trigger one). */
  readonly availabilityZones: readonly string[];
  /** Image tag the Deployments run (CI passes the commit SHA). */
  readonly imageTag: string;
  /** Raw uploads expire after this many days. */
  readonly videoExpiryDays: number;
  /** Frame archives expire after this many days. */
  readonly archiveExpiryDays: number;
  /** Verified SES identity (a domain or an address) the notify Lambda sends from. */
  readonly mailFrom: string;
  readonly nodeInstanceType: string;
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly apiMinReplicas: number;
  readonly apiMaxReplicas: number;
  readonly workerMaxReplicas: number;
  /** IAM role or user ARN given cluster-admin access (kubectl, Grafana port-forward); none when unset. */
  readonly adminPrincipalArn?: string;
  /** NAT gateways: 1 keeps `test` cheap, prod gets one per AZ. */
  readonly natGateways: number;
  /** Browser origins allowed to PUT/POST uploads straight to S3. */
  readonly corsOrigins: readonly string[];
}

/** Placeholder account for offline synth; `cdk deploy` with real credentials uses CDK_DEFAULT_ACCOUNT. */
export const OFFLINE_ACCOUNT = "111111111111";

const DEFAULTS: Record<
  StageSettings["stage"],
  Omit<StageSettings, "stage" | "account" | "region" | "imageTag" | "availabilityZones" | "adminPrincipalArn">
> = {
  test: {
    videoExpiryDays: 3,
    archiveExpiryDays: 7,
    mailFrom: "no-reply@example.com",
    nodeInstanceType: "t3.large",
    minNodes: 2,
    maxNodes: 4,
    apiMinReplicas: 2,
    apiMaxReplicas: 4,
    workerMaxReplicas: 4,
    corsOrigins: ["*"],
    natGateways: 1,
  },
  prod: {
    videoExpiryDays: 7,
    archiveExpiryDays: 30,
    mailFrom: "no-reply@example.com",
    nodeInstanceType: "m6i.large",
    minNodes: 3,
    maxNodes: 10,
    apiMinReplicas: 3,
    apiMaxReplicas: 12,
    workerMaxReplicas: 20,
    corsOrigins: ["*"],
    natGateways: 2,
  },
};

function positiveInt(name: string, raw: unknown, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`context ${name}=${JSON.stringify(raw)}: must be a whole number >= 1`);
  return n;
}

/**
 * Reads `-c stage=test|prod` and the optional overrides. No lookups: account and region come from
 * context, then from the CLI's CDK_DEFAULT_* variables, then offline placeholders, so `cdk synth`
 * needs neither network nor credentials.
 */
export function readStageSettings(node: Node, env: Record<string, string | undefined> = process.env): StageSettings {
  const stage = (node.tryGetContext("stage") as string | undefined) ?? "test";
  if (stage !== "test" && stage !== "prod") throw new Error(`context stage=${stage}: must be "test" or "prod"`);
  const d = DEFAULTS[stage];
  const ctx = (key: string): unknown => node.tryGetContext(key);
  const origins = ctx("corsOrigins");
  const region = (ctx("region") as string | undefined) ?? env.CDK_DEFAULT_REGION ?? "eu-west-1";
  const azs = ctx("availabilityZones");
  return {
    stage,
    account: (ctx("account") as string | undefined) ?? env.CDK_DEFAULT_ACCOUNT ?? OFFLINE_ACCOUNT,
    region,
    availabilityZones: typeof azs === "string" ? azs.split(",") : [`${region}a`, `${region}b`],
    imageTag: (ctx("imageTag") as string | undefined) ?? "latest",
    videoExpiryDays: positiveInt("videoExpiryDays", ctx("videoExpiryDays"), d.videoExpiryDays),
    archiveExpiryDays: positiveInt("archiveExpiryDays", ctx("archiveExpiryDays"), d.archiveExpiryDays),
    mailFrom: (ctx("mailFrom") as string | undefined) ?? d.mailFrom,
    nodeInstanceType: (ctx("nodeInstanceType") as string | undefined) ?? d.nodeInstanceType,
    minNodes: positiveInt("minNodes", ctx("minNodes"), d.minNodes),
    maxNodes: positiveInt("maxNodes", ctx("maxNodes"), d.maxNodes),
    apiMinReplicas: d.apiMinReplicas,
    apiMaxReplicas: d.apiMaxReplicas,
    workerMaxReplicas: positiveInt("workerMaxReplicas", ctx("workerMaxReplicas"), d.workerMaxReplicas),
    corsOrigins: typeof origins === "string" ? origins.split(",") : d.corsOrigins,
    natGateways: d.natGateways,
    adminPrincipalArn: ctx("adminPrincipalArn") as string | undefined,
  };
}

/** Every physical name is `vp-<stage>-<part>`; one place so no resource escapes the stage. */
export class Naming {
  constructor(readonly stage: StageSettings["stage"]) {}
  name(part: string): string {
    return `vp-${this.stage}-${part}`;
  }
}
