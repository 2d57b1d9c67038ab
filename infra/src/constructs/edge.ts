import { Duration, Validations } from "aws-cdk-lib";
import * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import * as integrations from "aws-cdk-lib/aws-apigatewayv2-integrations";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as origins from "aws-cdk-lib/aws-cloudfront-origins";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { Naming } from "../stage.js";
import type { ApiLoadBalancer } from "./api-load-balancer.js";

export interface EdgeProps {
  readonly naming: Naming;
  readonly vpc: ec2.IVpc;
  readonly loadBalancer: ApiLoadBalancer;
  readonly accountsFunction: lambda.IFunction;
  /**
   * Steady-state request rate allowed per second on the HTTP API.
   * @default 200
   */
  readonly rateLimit?: number;
  /** @default 400 */
  readonly burstLimit?: number;
}

/** Paths the HTTP API sends to the load balancer (API pods) through the VPC link. */
export const ALB_ROUTES = [
  "/graphql",
  "/api/videos",
  "/api/videos/{proxy+}",
  "/graphiql/{proxy+}",
  "/healthz",
  // The web app: its page and its hashed assets, served by the API pods themselves (one origin,
  // so the app calls /graphql with no CORS and its Content-Security-Policy stays 'self').
  "/",
  "/assets/{proxy+}",
  // Signed frame URLs: the pods stream one stored entry of an archive by byte range (an S3
  // presigned GET cannot select a range for an <img>).
  "/frames/{proxy+}",
] as const;
/** Paths the HTTP API sends to the accounts Lambda. */
export const ACCOUNT_ROUTES = ["/api/v1/accounts/{proxy+}"] as const;

/**
 * The front doors. An API Gateway HTTP API takes HTTP: `/graphql`, `/api/videos...`, the web app
 * (`/`, `/assets/...`) and frame links (`/frames/...`) through a VPC link to the internal ALB,
 * `/api/v1/accounts/...` to the accounts Lambda.
 *
 * WebSockets: HTTP APIs do not proxy the Upgrade handshake, and API Gateway's WebSocket APIs
 * terminate the socket themselves (route keys, @connections callbacks), which would mean
 * re-implementing graphql-ws outside the pods. So subscriptions use a CloudFront distribution
 * whose VPC origin is the same internal ALB: CloudFront passes WebSocket upgrades through,
 * gives TLS on its default domain, and keeps the ALB private. Clients use
 * `wss://<distribution>/graphql`.
 */
export class Edge extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly distribution: cloudfront.Distribution;
  readonly vpcLink: apigwv2.VpcLink;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const linkSg = new ec2.SecurityGroup(this, "VpcLinkSecurityGroup", {
      vpc: props.vpc,
      description: "API Gateway VPC link to the internal API load balancer",
      allowAllOutbound: false,
    });
    linkSg.addEgressRule(props.loadBalancer.securityGroup, ec2.Port.tcp(80), "to the API load balancer");
    this.vpcLink = new apigwv2.VpcLink(this, "VpcLink", {
      vpcLinkName: props.naming.name("link"),
      vpc: props.vpc,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [linkSg],
    });

    this.httpApi = new apigwv2.HttpApi(this, "HttpApi", {
      apiName: props.naming.name("http"),
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, "AccessLogs", { retention: logs.RetentionDays.ONE_MONTH });
    new apigwv2.HttpStage(this, "DefaultStage", {
      httpApi: this.httpApi,
      stageName: "$default",
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 200, burstLimit: props.burstLimit ?? 400 },
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs) },
    });

    const toAlb = new integrations.HttpAlbIntegration("Alb", props.loadBalancer.listener, { vpcLink: this.vpcLink });
    for (const path of ALB_ROUTES)
      this.httpApi.addRoutes({ path, methods: [apigwv2.HttpMethod.ANY], integration: toAlb });
    const toAccounts = new integrations.HttpLambdaIntegration("Accounts", props.accountsFunction);
    for (const path of ACCOUNT_ROUTES)
      this.httpApi.addRoutes({ path, methods: [apigwv2.HttpMethod.ANY], integration: toAccounts });

    this.distribution = new cloudfront.Distribution(this, "Realtime", {
      comment: `${props.naming.name("realtime")}: GraphQL over WebSocket`,
      defaultBehavior: {
        origin: origins.VpcOrigin.withApplicationLoadBalancer(props.loadBalancer.alb, {
          protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY,
          readTimeout: Duration.seconds(60),
          keepaliveTimeout: Duration.seconds(60),
        }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2,
    });

    for (const route of this.node.findAll()) {
      if (route instanceof apigwv2.HttpRoute) {
        Validations.of(route).acknowledge({
          id: "AwsSolutions-APIG4",
          reason:
            "Authorization happens in the service: GraphQL checks the Cognito bearer token per field (@Authorized), and the accounts routes are sign-up/log-in themselves.",
        });
      }
    }
    Validations.of(this.distribution).acknowledge({
      id: "AwsSolutions-CFR1",
      reason: "The service has no geographic restriction requirement.",
    });
    Validations.of(this.distribution).acknowledge({
      id: "AwsSolutions-CFR2",
      reason:
        "WAF (about 5 USD/month + per request) is an opt-in for prod; the ALB is private and API Gateway throttles HTTP.",
    });
    Validations.of(this.distribution).acknowledge({
      id: "AwsSolutions-CFR3",
      reason: "Long-lived WebSocket connections only; the ALB behind it writes access logs for every request.",
    });
    Validations.of(this.distribution).acknowledge({
      id: "AwsSolutions-CFR4",
      reason:
        "The default *.cloudfront.net certificate only offers TLSv1; a custom domain and certificate lift this (see infra/README.md).",
    });
  }

  /** HTTPS URL of the HTTP API. */
  get url(): string {
    return this.httpApi.apiEndpoint;
  }
}
