import * as eks from "aws-cdk-lib/aws-eks-v2";
import { Construct } from "constructs";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dashboardObject, secretStoreObjects } from "../k8s/platform.js";
import { APP_NAMESPACE } from "../k8s/types.js";
import { type WorkloadSpec, workloadObjects } from "../k8s/workloads.js";
import type { PlatformCluster } from "./cluster.js";

export const DASHBOARD_FILE = fileURLToPath(new URL("../../dashboards/video-processor.json", import.meta.url));

export interface ServiceWorkloadsProps {
  readonly platform: PlatformCluster;
  readonly region: string;
  readonly grafanaSecretName: string;
  readonly workloads: Omit<WorkloadSpec, "apiServiceAccount" | "workerServiceAccount" | "region">;
}

/**
 * The service itself on the cluster: one Pod Identity service account (and so one IAM role) per
 * workload, and the manifests of workloads.ts, applied after the charts whose CRDs they use.
 */
export class ServiceWorkloads extends Construct {
  readonly apiAccount: eks.ServiceAccount;
  readonly workerAccount: eks.ServiceAccount;
  readonly manifest: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: ServiceWorkloadsProps) {
    super(scope, id);
    const { cluster } = props.platform;
    const account = (idPart: string, name: string) => {
      const sa = cluster.addServiceAccount(idPart, {
        name,
        namespace: APP_NAMESPACE,
        identityType: eks.IdentityType.POD_IDENTITY,
      });
      sa.node.addDependency(props.platform.namespaces);
      return sa;
    };
    this.apiAccount = account("ApiAccount", "api");
    this.workerAccount = account("WorkerAccount", "worker");

    const stores = cluster.addManifest("SecretStores", ...secretStoreObjects(props.region, props.grafanaSecretName));
    stores.node.addDependency(props.platform.externalSecrets);
    const dashboard = cluster.addManifest("Dashboard", dashboardObject(readFileSync(DASHBOARD_FILE, "utf8")));
    dashboard.node.addDependency(props.platform.namespaces);

    this.manifest = cluster.addManifest(
      "Workloads",
      ...workloadObjects({
        ...props.workloads,
        region: props.region,
        apiServiceAccount: this.apiAccount.serviceAccountName,
        workerServiceAccount: this.workerAccount.serviceAccountName,
      }),
    );
    // CRDs (ExternalSecret, ScaledObject, ServiceMonitor, TargetGroupBinding) must exist first.
    this.manifest.node.addDependency(
      stores,
      props.platform.keda,
      props.platform.monitoring,
      this.apiAccount,
      this.workerAccount,
    );
    const alb = cluster.albController;
    if (alb) this.manifest.node.addDependency(alb);
  }
}
