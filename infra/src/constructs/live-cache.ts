import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as elasticache from "aws-cdk-lib/aws-elasticache";
import { Construct } from "constructs";
import type { Naming } from "../stage.js";

export interface LiveCacheProps {
  readonly naming: Naming;
  readonly vpc: ec2.IVpc;
  /**
   * Upper bound on stored data; pub/sub fan-out keeps almost nothing.
   * @default 1 GB
   */
  readonly maxDataGb?: number;
}

/**
 * Valkey (ElastiCache Serverless) for the API replicas' pub/sub fan-out. Serverless: no node
 * sizing, multi-AZ, TLS always on (hence `rediss://`), reachable only from the security groups
 * given to `allowFrom`.
 */
export class LiveCache extends Construct {
  readonly securityGroup: ec2.SecurityGroup;
  readonly cache: elasticache.CfnServerlessCache;
  /** The value of VP_REDIS_URL. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: LiveCacheProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, "SecurityGroup", {
      vpc: props.vpc,
      description: "Valkey for live updates",
      allowAllOutbound: false,
    });
    this.cache = new elasticache.CfnServerlessCache(this, "Cache", {
      serverlessCacheName: props.naming.name("live"),
      engine: "valkey",
      majorEngineVersion: "8",
      subnetIds: props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
      securityGroupIds: [this.securityGroup.securityGroupId],
      cacheUsageLimits: { dataStorage: { maximum: props.maxDataGb ?? 1, unit: "GB" } },
    });
    this.url = `rediss://${this.cache.attrEndpointAddress}:${this.cache.attrEndpointPort}`;
  }

  allowFrom(peer: ec2.IPeer): void {
    this.securityGroup.addIngressRule(peer, ec2.Port.tcp(6379), "Valkey from the cluster");
  }
}
