import { type CfnElement, Stack, Validations } from "aws-cdk-lib";
import * as cdk from "aws-cdk-lib";
import * as eks from "aws-cdk-lib/aws-eks-v2";
import * as lambda from "aws-cdk-lib/aws-lambda";
import type { IConstruct } from "constructs";

/** Acknowledge cdk-nag findings (exact ids, e.g. `AwsSolutions-IAM5[Resource::*]`) on a construct and its children. */
export function acknowledge(scope: IConstruct, reason: string, ...ids: string[]): void {
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}

/** How cdk-nag prints `Fn::GetAtt <resource>.Arn` inside a finding id. */
export const arnToken = (el: CfnElement): string => `<${Stack.of(el).getLogicalId(el)}.Arn>`;

const managed = (name: string) => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`;

/**
 * Findings on constructs we do not write (EKS's kubectl provider, the ALB controller's published
 * policy, EKS service roles) or deliberate stack-wide choices. Each carries its reason;
 * findings in our own constructs are acknowledged next to them.
 */
export function acknowledgePlatformFindings(stack: Stack, cluster: eks.Cluster): void {
  acknowledge(
    stack,
    "AWS managed policies on roles that AWS services require as-is (EKS cluster and node roles, Lambda basic/VPC execution for CDK's provider functions and ours); AWS keeps them current.",
    managed("service-role/AWSLambdaBasicExecutionRole"),
    managed("service-role/AWSLambdaVPCAccessExecutionRole"),
    managed("AmazonEKSClusterPolicy"),
    managed("AmazonEKSWorkerNodePolicy"),
    managed("AmazonEKS_CNI_Policy"),
    managed("AmazonEC2ContainerRegistryReadOnly"),
  );
  acknowledge(
    stack,
    "Provider Lambdas are CDK's own; our functions run Node 22, the newest version the code base is tested on (STACK.md).",
    "AwsSolutions-L1",
  );
  acknowledge(
    stack,
    "The public Kubernetes endpoint is what kubectl and CI use; every call is IAM-authenticated and `publicEndpointCidrs` narrows it per stage.",
    "AwsSolutions-EKS1",
  );

  // EKS's kubectl provider (a CDK construct): invokes its own handler versions, optional ECR Public pulls.
  const provider = cluster.node.tryFindChild("KubectlProvider");
  if (provider) {
    const handler = provider.node.findAll().find((c): c is lambda.CfnFunction => c instanceof lambda.CfnFunction);
    const condition = provider.node.findAll().find((c): c is cdk.CfnCondition => c instanceof cdk.CfnCondition);
    const ids: string[] = [];
    if (handler) ids.push(`AwsSolutions-IAM5[Resource::${arnToken(handler)}:*]`);
    if (condition) {
      const name = Stack.of(provider).getLogicalId(condition);
      ids.push(
        `AwsSolutions-IAM4[Policy::{"Fn::If":["${name}",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}]`,
      );
    }
    acknowledge(
      provider,
      "CDK's kubectl provider: its framework invokes any version of its own handler, and the handler may pull its layer image from ECR Public.",
      ...ids,
    );
  }

  // The AWS Load Balancer Controller's published IAM policy (bundled by aws-eks-v2), unchanged.
  const albController = cluster.albController;
  if (albController) {
    acknowledge(
      albController,
      "The AWS Load Balancer Controller's upstream IAM policy: it manages load balancers, target groups and security groups it creates, scoped by the elbv2.k8s.aws/cluster tag conditions in that policy.",
      "AwsSolutions-IAM5[Resource::*]",
      ...[
        "ec2:*:*:security-group/*",
        "elasticloadbalancing:*:*:targetgroup/*/*",
        "elasticloadbalancing:*:*:loadbalancer/net/*/*",
        "elasticloadbalancing:*:*:loadbalancer/app/*/*",
        "elasticloadbalancing:*:*:listener/net/*/*/*",
        "elasticloadbalancing:*:*:listener/app/*/*/*",
        "elasticloadbalancing:*:*:listener-rule/net/*/*/*",
        "elasticloadbalancing:*:*:listener-rule/app/*/*/*",
      ].map((r) => `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:${r}]`),
    );
  }
}
