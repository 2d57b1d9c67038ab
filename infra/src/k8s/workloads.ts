import { APP_NAMESPACE, type K8sObject, SECRET_STORE } from "./types.js";

export interface WorkloadSpec {
  readonly apiImage: string;
  readonly workerImage: string;
  /** Non-secret settings (bucket names, queue URLs, ...) for both roles. */
  readonly config: Readonly<Record<string, string>>;
  /** Name of the Secrets Manager secret holding the runtime secrets (JSON keys become env vars). */
  readonly runtimeSecretName: string;
  /** Name of the Secrets Manager secret holding VP_URL_SIGNING_SECRET: copied for the API pods only. */
  readonly urlSigningSecretName: string;
  readonly apiServiceAccount: string;
  readonly workerServiceAccount: string;
  readonly apiTargetGroupArn: string;
  readonly workerQueueUrl: string;
  readonly region: string;
  readonly apiMinReplicas: number;
  readonly apiMaxReplicas: number;
  readonly workerMaxReplicas: number;
  /** Jobs one worker pod runs at once (VP_WORKER_CONCURRENCY); KEDA sizes pods by queue depth / this. */
  readonly workerConcurrency: number;
  /** @default 4000 */
  readonly apiPort?: number;
  /** Port of /metrics and /healthz beside each pod's main port (api and worker). @default 9100 */
  readonly workerMetricsPort?: number;
  /**
   * Seconds a stopping worker may spend finishing its job before handing it back.
   * @default 60
   */
  readonly workerShutdownGraceSeconds?: number;
}

/**
 * What each image runs (its Dockerfile CMD, from WORKDIR /app), stated here too so the manifest
 * says what a pod runs: one bundle per role, no role flag.
 */
export const ROLE_COMMANDS = {
  api: ["node", "dist/api.js"],
  worker: ["node", "dist/worker.js"],
} as const;

const ns = APP_NAMESPACE;
const meta = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  namespace: ns,
  labels: { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "video-processor" },
  ...extra,
});
const selector = (name: string) => ({ "app.kubernetes.io/name": name });

const hardenedContainer = {
  securityContext: {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  },
};

function podSpreading(name: string) {
  return [
    {
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "ScheduleAnyway",
      labelSelector: { matchLabels: selector(name) },
    },
  ];
}

/** Every object of the service's namespace, in apply order. */
export function workloadObjects(spec: WorkloadSpec): K8sObject[] {
  const apiPort = spec.apiPort ?? 4000;
  const metricsPort = spec.workerMetricsPort ?? 9100;
  const workerGrace = spec.workerShutdownGraceSeconds ?? 60;
  const envFrom = [{ configMapRef: { name: "vp-config" } }, { secretRef: { name: "vp-runtime" } }];
  // The frame URLs' key signs and verifies only in the API: the workers never see it.
  const apiEnvFrom = [...envFrom, { secretRef: { name: "vp-url-signing" } }];
  const tmp = {
    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "10Gi" } }],
    mount: [{ name: "tmp", mountPath: "/tmp" }],
  };

  const configMap: K8sObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: meta("vp-config"),
    data: { VP_BACKEND: "aws", AWS_REGION: spec.region, LOG_LEVEL: "info", VP_DATA_DIR: "/tmp/vp", ...spec.config },
  };
  const externalSecret: K8sObject = {
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: meta("vp-runtime"),
    spec: {
      refreshInterval: "1h",
      secretStoreRef: { kind: "ClusterSecretStore", name: SECRET_STORE },
      target: { name: "vp-runtime", creationPolicy: "Owner" },
      dataFrom: [{ extract: { key: spec.runtimeSecretName } }],
    },
  };
  const urlSigningSecret: K8sObject = {
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: meta("vp-url-signing"),
    spec: {
      refreshInterval: "1h",
      secretStoreRef: { kind: "ClusterSecretStore", name: SECRET_STORE },
      target: { name: "vp-url-signing", creationPolicy: "Owner" },
      dataFrom: [{ extract: { key: spec.urlSigningSecretName } }],
    },
  };

  const api: K8sObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta("api"),
    // No `replicas`: the HPA owns it, and re-applying this manifest must not reset it.
    spec: {
      selector: { matchLabels: selector("api") },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: { ...selector("api"), "app.kubernetes.io/part-of": "video-processor" } },
        spec: {
          serviceAccountName: spec.apiServiceAccount,
          // preStop (10 s, while the ALB deregisters the pod) + HTTP/WebSocket drain (20 s) + margin.
          terminationGracePeriodSeconds: 45,
          topologySpreadConstraints: podSpreading("api"),
          securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
          volumes: tmp.volumes,
          containers: [
            {
              name: "api",
              image: spec.apiImage,
              command: [...ROLE_COMMANDS.api],
              // /metrics is not served on the public port: Prometheus scrapes the metrics port.
              ports: [
                { name: "http", containerPort: apiPort },
                { name: "metrics", containerPort: metricsPort },
              ],
              env: [
                { name: "PORT", value: String(apiPort) },
                { name: "VP_METRICS_PORT", value: String(metricsPort) },
                { name: "VP_SHUTDOWN_GRACE_SECONDS", value: "20" },
              ],
              envFrom: apiEnvFrom,
              resources: { requests: { cpu: "250m", memory: "384Mi" }, limits: { memory: "768Mi" } },
              readinessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 5, failureThreshold: 2 },
              livenessProbe: {
                httpGet: { path: "/healthz", port: "http" },
                initialDelaySeconds: 20,
                periodSeconds: 15,
                failureThreshold: 4,
              },
              startupProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 2, failureThreshold: 30 },
              lifecycle: { preStop: { sleep: { seconds: 10 } } },
              volumeMounts: tmp.mount,
              ...hardenedContainer,
            },
          ],
        },
      },
    },
  };
  const apiService: K8sObject = {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta("api"),
    spec: {
      type: "ClusterIP",
      selector: selector("api"),
      ports: [
        { name: "http", port: 80, targetPort: "http" },
        { name: "metrics", port: metricsPort, targetPort: "metrics" },
      ],
    },
  };
  // Pods join the CDK-owned ALB target group (API Gateway VPC link + CloudFront point at that ALB).
  const targetGroupBinding: K8sObject = {
    apiVersion: "elbv2.k8s.aws/v1beta1",
    kind: "TargetGroupBinding",
    metadata: meta("api"),
    spec: { serviceRef: { name: "api", port: 80 }, targetGroupARN: spec.apiTargetGroupArn, targetType: "ip" },
  };
  const apiHpa: K8sObject = {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: meta("api"),
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" },
      minReplicas: spec.apiMinReplicas,
      maxReplicas: spec.apiMaxReplicas,
      metrics: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 65 } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    },
  };

  const worker: K8sObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta("worker"),
    spec: {
      // No `replicas`: KEDA owns the count.
      selector: { matchLabels: selector("worker") },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: { ...selector("worker"), "app.kubernetes.io/part-of": "video-processor" } },
        spec: {
          serviceAccountName: spec.workerServiceAccount,
          // SIGTERM: the worker stops taking jobs, gets VP_SHUTDOWN_GRACE_SECONDS to finish the running
          // ones, then hands them back (visibility reset); 30 s margin before SIGKILL.
          terminationGracePeriodSeconds: workerGrace + 30,
          topologySpreadConstraints: podSpreading("worker"),
          securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
          volumes: tmp.volumes,
          containers: [
            {
              name: "worker",
              image: spec.workerImage,
              command: [...ROLE_COMMANDS.worker],
              ports: [{ name: "metrics", containerPort: metricsPort }],
              env: [
                { name: "VP_METRICS_PORT", value: String(metricsPort) },
                { name: "VP_WORKER_CONCURRENCY", value: String(spec.workerConcurrency) },
                { name: "VP_SHUTDOWN_GRACE_SECONDS", value: String(workerGrace) },
              ],
              envFrom,
              // ffmpeg is CPU-bound: ask for a core per concurrent job.
              resources: {
                requests: { cpu: `${spec.workerConcurrency * 1000}m`, memory: "1Gi" },
                limits: { memory: "2Gi" },
              },
              readinessProbe: { httpGet: { path: "/healthz", port: "metrics" }, periodSeconds: 10 },
              livenessProbe: {
                httpGet: { path: "/healthz", port: "metrics" },
                initialDelaySeconds: 20,
                periodSeconds: 20,
                failureThreshold: 3,
              },
              volumeMounts: tmp.mount,
              ...hardenedContainer,
            },
          ],
        },
      },
    },
  };
  const workerService: K8sObject = {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta("worker"),
    spec: {
      type: "ClusterIP",
      selector: selector("worker"),
      ports: [{ name: "metrics", port: metricsPort, targetPort: "metrics" }],
    },
  };
  const kedaAuth: K8sObject = {
    apiVersion: "keda.sh/v1alpha1",
    kind: "TriggerAuthentication",
    metadata: meta("keda-aws"),
    // KEDA's operator reads queue attributes with its own Pod Identity role (GetQueueAttributes only).
    spec: { podIdentity: { provider: "aws", identityOwner: "keda" } },
  };
  const workerScaler: K8sObject = {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: meta("worker"),
    spec: {
      scaleTargetRef: { name: "worker" },
      minReplicaCount: 1,
      maxReplicaCount: spec.workerMaxReplicas,
      pollingInterval: 15,
      cooldownPeriod: 300,
      triggers: [
        {
          type: "aws-sqs-queue",
          authenticationRef: { name: "keda-aws" },
          metadata: {
            queueURL: spec.workerQueueUrl,
            awsRegion: spec.region,
            // Visible + in flight: a pod per `concurrency` jobs, running or waiting.
            queueLength: String(spec.workerConcurrency),
            scaleOnInFlight: "true",
          },
        },
      ],
    },
  };
  const pdb = (name: string, budget: { minAvailable: number } | { maxUnavailable: number }): K8sObject => ({
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: meta(name),
    spec: { ...budget, selector: { matchLabels: selector(name) } },
  });
  const serviceMonitor = (name: string, port: string): K8sObject => ({
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: { ...meta(name), labels: { ...meta(name).labels, release: "kube-prometheus-stack" } },
    spec: {
      selector: { matchLabels: selector(name) },
      namespaceSelector: { matchNames: [ns] },
      endpoints: [{ port, path: "/metrics", interval: "15s" }],
    },
  });

  return [
    configMap,
    externalSecret,
    urlSigningSecret,
    api,
    apiService,
    targetGroupBinding,
    apiHpa,
    pdb("api", { minAvailable: 1 }),
    worker,
    workerService,
    kedaAuth,
    workerScaler,
    // One worker at a time may be evicted (it hands its job back); minAvailable would block drains at 1 pod.
    pdb("worker", { maxUnavailable: 1 }),
    serviceMonitor("api", "metrics"),
    serviceMonitor("worker", "metrics"),
  ];
}
