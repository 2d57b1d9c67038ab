import { Duration, Validations } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import type * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import type { Naming } from "../stage.js";

export interface ApiLoadBalancerProps {
  readonly naming: Naming;
  readonly vpc: ec2.IVpc;
  readonly accessLogs: s3.IBucket;
  /**
   * Port the API pods listen on (PORT).
   * @default 4000
   */
  readonly targetPort?: number;
}

/**
 * An internal ALB owned by CDK (so API Gateway's VPC link and CloudFront's VPC origin can name
 * its listener at synth time). Pods join its IP target group through the AWS Load Balancer
 * Controller's TargetGroupBinding; the ALB speaks HTTP/1.1 upgrade, so it carries graphql-ws.
 * It is never internet-facing: TLS ends at API Gateway and CloudFront.
 */
export class ApiLoadBalancer extends Construct {
  readonly alb: elbv2.ApplicationLoadBalancer;
  readonly listener: elbv2.ApplicationListener;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly securityGroup: ec2.SecurityGroup;
  readonly targetPort: number;

  constructor(scope: Construct, id: string, props: ApiLoadBalancerProps) {
    super(scope, id);
    this.targetPort = props.targetPort ?? 4000;
    this.securityGroup = new ec2.SecurityGroup(this, "SecurityGroup", {
      vpc: props.vpc,
      description: "Internal API load balancer: reached by the VPC link and CloudFront VPC origin only",
      allowAllOutbound: false,
    });
    // Both the VPC link ENIs and CloudFront's VPC-origin ENIs live in this VPC's private subnets.
    this.securityGroup.addIngressRule(
      ec2.Peer.ipv4(props.vpc.vpcCidrBlock),
      ec2.Port.tcp(80),
      "VPC link and CloudFront VPC origin",
    );
    Validations.of(this.securityGroup).acknowledge({
      id: "AwsSolutions-EC23",
      reason: "The only ingress is port 80 from this VPC's own CIDR (a token nag cannot resolve); the ALB is internal.",
    });
    this.alb = new elbv2.ApplicationLoadBalancer(this, "Alb", {
      loadBalancerName: props.naming.name("api"),
      vpc: props.vpc,
      internetFacing: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroup: this.securityGroup,
      dropInvalidHeaderFields: true,
      // Long-lived GraphQL subscriptions; graphql-ws pings well within this.
      idleTimeout: Duration.seconds(300),
    });
    this.alb.logAccessLogs(props.accessLogs, "alb");
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, "Pods", {
      targetGroupName: props.naming.name("api-pods"),
      vpc: props.vpc,
      targetType: elbv2.TargetType.IP,
      protocol: elbv2.ApplicationProtocol.HTTP,
      port: this.targetPort,
      deregistrationDelay: Duration.seconds(30),
      healthCheck: { path: "/healthz", healthyHttpCodes: "200", interval: Duration.seconds(15) },
    });
    this.listener = this.alb.addListener("Http", {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultAction: elbv2.ListenerAction.forward([this.targetGroup]),
    });
    // Prometheus scrapes /metrics inside the cluster; nothing outside may read it.
    this.listener.addAction("HideMetrics", {
      priority: 10,
      conditions: [elbv2.ListenerCondition.pathPatterns(["/metrics", "/metrics/*"])],
      action: elbv2.ListenerAction.fixedResponse(404, {
        contentType: "application/json",
        messageBody: '{"error":{"code":"NOT_FOUND"}}',
      }),
    });
    this.securityGroup.addEgressRule(
      ec2.Peer.ipv4(props.vpc.vpcCidrBlock),
      ec2.Port.tcp(this.targetPort),
      "to API pods",
    );
  }
}
