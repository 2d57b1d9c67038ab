import { KubectlV35Layer } from "@aws-cdk/lambda-layer-kubectl-v35";
import { Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as eks from "aws-cdk-lib/aws-eks-v2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";
import { namespaceObjects } from "../k8s/platform.js";
import { MONITORING_NAMESPACE } from "../k8s/types.js";
import { acknowledge } from "../nag.js";
import type { Naming } from "../stage.js";

/** Chart versions, pinned; bump deliberately (`helm search repo <chart> --versions`). */
export const CHARTS = {
  metricsServer: {
    repository: "https://kubernetes-sigs.github.io/metrics-server/",
    chart: "metrics-server",
    version: "3.12.2",
  },
  clusterAutoscaler: {
    repository: "https://kubernetes.github.io/autoscaler",
    chart: "cluster-autoscaler",
    version: "9.46.6",
  },
  keda: { repository: "https://kedacore.github.io/charts", chart: "keda", version: "2.17.2" },
  externalSecrets: { repository: "https://charts.external-secrets.io", chart: "external-secrets", version: "0.18.2" },
  kubePrometheusStack: {
    repository: "https://prometheus-community.github.io/helm-charts",
    chart: "kube-prometheus-stack",
    version: "75.15.1",
  },
} as const;

export interface PlatformClusterProps {
  readonly naming: Naming;
  readonly vpc: ec2.IVpc;
  readonly nodeInstanceType: string;
  readonly minNodes: number;
  readonly maxNodes: number;
  /**
   * CIDRs allowed to reach the public Kubernetes API endpoint (kubectl, CI).
   * @default ["0.0.0.0/0"] - authenticated by IAM; narrow it for prod
   */
  readonly publicEndpointCidrs?: string[];
}

/**
 * EKS (aws-eks-v2) with one managed node group in the private subnets, scaled by the cluster
 * autoscaler, and the cluster add-ons the service relies on: Pod Identity agent, AWS Load
 * Balancer Controller (TargetGroupBinding), metrics-server (HPA), KEDA (queue scaling),
 * External Secrets Operator, kube-prometheus-stack. Each add-on that calls AWS gets its own
 * Pod Identity role with only what it needs.
 */
export class PlatformCluster extends Construct {
  readonly cluster: eks.Cluster;
  readonly nodegroup: eks.Nodegroup;
  readonly namespaces: eks.KubernetesManifest;
  readonly keda: eks.HelmChart;
  readonly kedaOperator: eks.ServiceAccount;
  readonly externalSecrets: eks.HelmChart;
  readonly externalSecretsAccount: eks.ServiceAccount;
  readonly monitoring: eks.HelmChart;
  readonly autoscalerAccount: eks.ServiceAccount;

  constructor(scope: Construct, id: string, props: PlatformClusterProps) {
    super(scope, id);
    const n = props.naming;
    const clusterName = n.name("cluster");
    const secretsKey = new kms.Key(this, "SecretsKey", {
      alias: `alias/${n.name("eks-secrets")}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.cluster = new eks.Cluster(this, "Cluster", {
      clusterName,
      version: eks.KubernetesVersion.V1_35,
      vpc: props.vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...(props.publicEndpointCidrs ?? ["0.0.0.0/0"])),
      secretsEncryptionKey: secretsKey,
      clusterLogging: [
        eks.ClusterLoggingTypes.API,
        eks.ClusterLoggingTypes.AUDIT,
        eks.ClusterLoggingTypes.AUTHENTICATOR,
        eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
        eks.ClusterLoggingTypes.SCHEDULER,
      ],
      kubectlProviderOptions: { kubectlLayer: new KubectlV35Layer(this, "Kubectl") },
      albController: { version: eks.AlbControllerVersion.V2_9_1 },
    });
    Validations.of(this.cluster).acknowledge({
      id: "CloudFormation-Validate::W9009",
      reason:
        "aws-eks-v2 writes EncryptionConfig.Resources itself (secrets envelope encryption); the property still works.",
    });
    this.nodegroup = this.cluster.addNodegroupCapacity("Nodes", {
      nodegroupName: n.name("nodes"),
      instanceTypes: [new ec2.InstanceType(props.nodeInstanceType)],
      amiType: eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
      minSize: props.minNodes,
      desiredSize: props.minNodes,
      maxSize: props.maxNodes,
      diskSize: 50,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      enableNodeAutoRepair: true,
    });

    this.namespaces = this.cluster.addManifest("Namespaces", ...namespaceObjects());
    const podIdentity = (id: string, name: string, namespace: string) => {
      const sa = this.cluster.addServiceAccount(id, { name, namespace, identityType: eks.IdentityType.POD_IDENTITY });
      sa.node.addDependency(this.namespaces);
      return sa;
    };
    const chart = (
      idPart: string,
      c: (typeof CHARTS)[keyof typeof CHARTS],
      namespace: string,
      values: Record<string, unknown>,
    ) =>
      this.cluster.addHelmChart(idPart, {
        ...c,
        release: c.chart,
        namespace,
        createNamespace: true,
        values,
        wait: true,
        timeout: Duration.minutes(15),
      });

    chart("MetricsServer", CHARTS.metricsServer, "kube-system", {});

    // Cluster autoscaler: only the node group's own ASG (EKS tags it for auto-discovery).
    this.autoscalerAccount = podIdentity("AutoscalerAccount", "cluster-autoscaler", "kube-system");
    this.autoscalerAccount.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeAutoScalingInstances",
          "autoscaling:DescribeLaunchConfigurations",
          "autoscaling:DescribeScalingActivities",
          "autoscaling:DescribeTags",
          "ec2:DescribeImages",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplateVersions",
          "ec2:GetInstanceTypesFromInstanceRequirements",
          "eks:DescribeNodegroup",
        ],
        resources: ["*"],
      }),
    );
    acknowledge(
      this.autoscalerAccount,
      "Describe* calls have no resource-level permissions; the two mutating actions below are limited to this cluster's node groups by tag.",
      "AwsSolutions-IAM5[Resource::*]",
    );
    this.autoscalerAccount.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
        resources: ["*"],
        conditions: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
      }),
    );
    const autoscaler = chart("ClusterAutoscaler", CHARTS.clusterAutoscaler, "kube-system", {
      autoDiscovery: { clusterName },
      awsRegion: Stack.of(this).region,
      rbac: { serviceAccount: { create: false, name: "cluster-autoscaler" } },
      extraArgs: { "balance-similar-node-groups": true, "skip-nodes-with-system-pods": false },
    });
    autoscaler.node.addDependency(this.autoscalerAccount);

    this.kedaOperator = podIdentity("KedaOperator", "keda-operator", "keda");
    this.keda = chart("Keda", CHARTS.keda, "keda", {
      serviceAccount: { operator: { create: false, name: "keda-operator" } },
      podIdentity: { aws: { irsa: { enabled: false } } },
    });
    this.keda.node.addDependency(this.kedaOperator);

    this.externalSecretsAccount = podIdentity("ExternalSecretsAccount", "external-secrets", "external-secrets");
    this.externalSecrets = chart("ExternalSecrets", CHARTS.externalSecrets, "external-secrets", {
      installCRDs: true,
      serviceAccount: { create: false, name: "external-secrets" },
    });
    this.externalSecrets.node.addDependency(this.externalSecretsAccount);

    this.monitoring = chart("KubePrometheusStack", CHARTS.kubePrometheusStack, MONITORING_NAMESPACE, {
      prometheus: {
        prometheusSpec: {
          // Pick up ServiceMonitors from every namespace, not only the chart's own.
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          retention: "7d",
          resources: { requests: { cpu: "200m", memory: "1Gi" } },
        },
      },
      alertmanager: { enabled: false },
      grafana: {
        admin: { existingSecret: "grafana-admin", userKey: "username", passwordKey: "password" },
        sidecar: { dashboards: { enabled: true, label: "grafana_dashboard", searchNamespace: "ALL" } },
      },
    });
    this.monitoring.node.addDependency(this.namespaces);
  }
}
