import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { Naming } from "../stage.js";

export interface NetworkProps {
  readonly naming: Naming;
  /** Named AZs (no lookup at synth). */
  readonly availabilityZones: readonly string[];
  /**
   * NAT gateways; one is enough for `test` (a single AZ outage stops pulls, not traffic).
   * @default 1
   */
  readonly natGateways?: number;
}

/**
 * Public subnets hold only the NAT gateways; nodes, pods, the load balancer, the VPC link and the
 * cache live in private subnets. S3 and DynamoDB traffic stays on gateway endpoints (no NAT charge).
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, "Vpc", {
      vpcName: props.naming.name("vpc"),
      availabilityZones: [...props.availabilityZones],
      natGateways: props.natGateways ?? 1,
      subnetConfiguration: [
        { name: "public", subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: "private", subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 19 },
      ],
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
    });
    this.vpc.addFlowLog("FlowLog", {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(
        new logs.LogGroup(this, "FlowLogs", { retention: logs.RetentionDays.ONE_MONTH }),
      ),
      trafficType: ec2.FlowLogTrafficType.REJECT,
    });
  }
}
