import { APP_NAMESPACE, type K8sObject, MONITORING_NAMESPACE, SECRET_STORE } from "./types.js";

const namespace = (name: string, extra: Record<string, string> = {}): K8sObject => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name, labels: { "pod-security.kubernetes.io/enforce": "restricted", ...extra } },
});

/** Add-on namespaces whose Pod Identity service accounts exist before their charts. */
export const ADDON_NAMESPACES = ["keda", "external-secrets"] as const;

/** Namespaces first: the service accounts (Pod Identity) and charts land in them. */
export function namespaceObjects(): K8sObject[] {
  return [
    namespace(APP_NAMESPACE),
    ...ADDON_NAMESPACES.map((n) => namespace(n, { "pod-security.kubernetes.io/enforce": "baseline" })),
    // node-exporter needs host access, so monitoring cannot run under the restricted profile.
    {
      ...namespace(MONITORING_NAMESPACE),
      metadata: { name: MONITORING_NAMESPACE, labels: { "pod-security.kubernetes.io/enforce": "privileged" } },
    },
  ];
}

/** ESO store for Secrets Manager in this region; ESO's controller authenticates with its Pod Identity. */
export function secretStoreObjects(region: string, grafanaSecretName: string): K8sObject[] {
  return [
    {
      apiVersion: "external-secrets.io/v1",
      kind: "ClusterSecretStore",
      metadata: { name: SECRET_STORE },
      spec: { provider: { aws: { service: "SecretsManager", region } } },
    },
    {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name: "grafana-admin", namespace: MONITORING_NAMESPACE },
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { kind: "ClusterSecretStore", name: SECRET_STORE },
        target: { name: "grafana-admin", creationPolicy: "Owner" },
        dataFrom: [{ extract: { key: grafanaSecretName } }],
      },
    },
  ];
}

/** The committed dashboard, picked up by Grafana's sidecar through the `grafana_dashboard` label. */
export function dashboardObject(dashboardJson: string): K8sObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: "video-processor-dashboard",
      namespace: MONITORING_NAMESPACE,
      labels: { grafana_dashboard: "1" },
    },
    data: { "video-processor.json": dashboardJson },
  };
}
