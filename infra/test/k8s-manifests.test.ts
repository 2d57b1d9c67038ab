import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { DASHBOARD_FILE } from "../src/constructs/service-workloads.js";
import { type WorkloadSpec, workloadObjects } from "../src/k8s/workloads.js";
import type { K8sObject } from "../src/k8s/types.js";
import { namespaceObjects } from "../src/k8s/platform.js";

const spec: WorkloadSpec = {
  apiImage: "123.dkr.ecr.eu-west-1.amazonaws.com/vp-test-api:abc",
  workerImage: "123.dkr.ecr.eu-west-1.amazonaws.com/vp-test-worker:abc",
  config: { VP_S3_VIDEOS_BUCKET: "videos" },
  runtimeSecretName: "vp-test-runtime",
  urlSigningSecretName: "vp-test-url-signing",
  apiServiceAccount: "api",
  workerServiceAccount: "worker",
  apiTargetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123:targetgroup/vp-test-api-pods/1",
  workerQueueUrl: "https://sqs.eu-west-1.amazonaws.com/123/vp-test-worker",
  region: "eu-west-1",
  apiMinReplicas: 2,
  apiMaxReplicas: 4,
  workerMaxReplicas: 6,
  workerConcurrency: 2,
};

type Any = Record<string, any>; // walking plain manifest data (no-explicit-any is off in tests)
const find = (objects: K8sObject[], kind: string, name: string): Any => {
  const o = objects.find((x) => x.kind === kind && (x.metadata as Any).name === name);
  if (!o) throw new Error(`no ${kind}/${name}`);
  return o;
};

describe("workload manifests", () => {
  // GIVEN the stage's workload spec  WHEN the manifests are built
  const objects = workloadObjects(spec);

  it("run the API with probes, a drain-friendly preStop, hardened containers and its own service account", () => {
    const api = find(objects, "Deployment", "api").spec.template.spec;
    const c = api.containers[0];
    expect(api.serviceAccountName).toBe("api");
    // The API image's own bundle: no role flag, no tsx.
    expect(c.command).toEqual(["node", "dist/api.js"]);
    expect(c.args).toBeUndefined();
    expect(c.readinessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(c.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(c.lifecycle.preStop.sleep.seconds).toBeLessThan(api.terminationGracePeriodSeconds);
    expect(c.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(c.envFrom).toEqual([
      { configMapRef: { name: "vp-config" } },
      { secretRef: { name: "vp-runtime" } },
      { secretRef: { name: "vp-url-signing" } },
    ]);
  });

  it("give the frame URLs' key to the API pods only, copied from its own Secrets Manager secret", () => {
    const external = find(objects, "ExternalSecret", "vp-url-signing").spec;
    expect(external.dataFrom).toEqual([{ extract: { key: "vp-test-url-signing" } }]);
    expect(external.target).toMatchObject({ name: "vp-url-signing" });
    const worker = find(objects, "Deployment", "worker").spec.template.spec.containers[0];
    expect(JSON.stringify(worker.envFrom)).not.toContain("vp-url-signing");
    // Applied before the Deployment that needs it.
    const order = objects.map((o) => `${o.kind}/${(o.metadata as Any).name}`);
    expect(order.indexOf("ExternalSecret/vp-url-signing")).toBeLessThan(order.indexOf("Deployment/api"));
  });

  it("give the worker more grace than its own shutdown budget, so it can finish or hand back its job", () => {
    const w = find(objects, "Deployment", "worker").spec.template.spec;
    expect(w.containers[0].command).toEqual(["node", "dist/worker.js"]);
    expect(w.containers[0].args).toBeUndefined();
    const env = Object.fromEntries(w.containers[0].env.map((e: Any) => [e.name, e.value]));
    expect(Number(env.VP_SHUTDOWN_GRACE_SECONDS)).toBeLessThan(w.terminationGracePeriodSeconds);
    expect(env.VP_METRICS_PORT).toBe("9100");
    expect(env.VP_WORKER_CONCURRENCY).toBe("2");
    expect(w.containers[0].readinessProbe.httpGet).toEqual({ path: "/healthz", port: "metrics" });
    // A core per concurrent ffmpeg job.
    expect(w.containers[0].resources.requests.cpu).toBe("2000m");
  });

  it("run in each role's pod the command its Dockerfile target runs", () => {
    const dockerfile = readFileSync(new URL("../../Dockerfile", import.meta.url), "utf8");
    for (const role of ["api", "worker"] as const) {
      // The CMD of the `FROM ... AS <role>` stage: everything up to the next FROM.
      const stage = new RegExp(`^FROM \\S+ AS ${role}$([\\s\\S]*?)(?=^FROM |(?![\\s\\S]))`, "m").exec(dockerfile);
      expect(stage, `Dockerfile target ${role}`).not.toBeNull();
      const cmd = /^CMD (\[.*\])$/m.exec(stage![1]!);
      expect(JSON.parse(cmd![1]!)).toEqual(find(objects, "Deployment", role).spec.template.spec.containers[0].command);
    }
  });

  it("leave replica counts to the autoscalers (re-applying must not reset them)", () => {
    expect(find(objects, "Deployment", "api").spec.replicas).toBeUndefined();
    expect(find(objects, "Deployment", "worker").spec.replicas).toBeUndefined();
  });

  it("scale the API on CPU and the worker on queue depth per concurrent job", () => {
    const hpa = find(objects, "HorizontalPodAutoscaler", "api").spec;
    expect(hpa).toMatchObject({ minReplicas: 2, maxReplicas: 4, scaleTargetRef: { kind: "Deployment", name: "api" } });
    expect(hpa.metrics[0].resource).toEqual({ name: "cpu", target: { type: "Utilization", averageUtilization: 65 } });
    const so = find(objects, "ScaledObject", "worker").spec;
    expect(so.maxReplicaCount).toBe(6);
    expect(so.triggers[0]).toMatchObject({
      type: "aws-sqs-queue",
      authenticationRef: { name: "keda-aws" },
      metadata: { queueURL: spec.workerQueueUrl, queueLength: "2", awsRegion: "eu-west-1" },
    });
    expect(find(objects, "TriggerAuthentication", "keda-aws").spec.podIdentity).toEqual({
      provider: "aws",
      identityOwner: "keda",
    });
  });

  it("protect availability with PDBs that still let a node drain", () => {
    expect(find(objects, "PodDisruptionBudget", "api").spec.minAvailable).toBe(1);
    expect(find(objects, "PodDisruptionBudget", "worker").spec.maxUnavailable).toBe(1);
  });

  it("bind API pods to the CDK-owned target group and expose both roles to Prometheus", () => {
    expect(find(objects, "TargetGroupBinding", "api").spec).toEqual({
      serviceRef: { name: "api", port: 80 },
      targetGroupARN: spec.apiTargetGroupArn,
      targetType: "ip",
    });
    // The API's /metrics is on its own port (VP_METRICS_PORT), never on the port the load balancer reaches.
    expect(find(objects, "ServiceMonitor", "api").spec.endpoints[0]).toMatchObject({
      port: "metrics",
      path: "/metrics",
    });
    const apiContainer = find(objects, "Deployment", "api").spec.template.spec.containers[0];
    expect(apiContainer.env).toContainEqual({ name: "VP_METRICS_PORT", value: "9100" });
    expect(apiContainer.ports).toContainEqual({ name: "metrics", containerPort: 9100 });
    expect(find(objects, "Service", "api").spec.ports).toContainEqual({
      name: "metrics",
      port: 9100,
      targetPort: "metrics",
    });
    expect(find(objects, "TargetGroupBinding", "api").spec.serviceRef.port).toBe(80);
    expect(find(objects, "ServiceMonitor", "worker").spec.endpoints[0]).toMatchObject({
      port: "metrics",
      path: "/metrics",
    });
  });

  it("take secrets from Secrets Manager through the seed's store and settings from a ConfigMap", () => {
    const es = find(objects, "ExternalSecret", "vp-runtime").spec;
    expect(es.secretStoreRef).toEqual({ kind: "ClusterSecretStore", name: "hackaton-secret-store" });
    expect(es.dataFrom).toEqual([{ extract: { key: "vp-test-runtime" } }]);
    expect(find(objects, "ConfigMap", "vp-config").data).toMatchObject({
      VP_BACKEND: "aws",
      AWS_REGION: "eu-west-1",
      VP_S3_VIDEOS_BUCKET: "videos",
    });
  });
});

describe("Grafana dashboard", () => {
  // GIVEN the committed dashboard JSON
  const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, "utf8")) as {
    panels: { title: string; targets: { expr: string }[] }[];
  };
  const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join("\n");

  it("charts jobs per minute, durations, queue depth, failures and frames per second from the app's metric names", () => {
    for (const metric of [
      "vp_jobs_total",
      "vp_job_duration_seconds_bucket",
      "vp_extraction_queue_messages",
      "vp_frames_extracted_total",
      "vp_job_frames_per_second_bucket",
      "vp_http_requests_total",
      "vp_http_request_duration_seconds_bucket",
    ]) {
      expect(exprs).toContain(metric);
    }
    expect(exprs).toContain('outcome="failed"');
    expect(dashboard.panels.map((p) => p.title)).toEqual(
      expect.arrayContaining(["Jobs per minute by outcome", "Extraction queue depth"]),
    );
  });
});

describe("namespaces", () => {
  it("exist for every namespace a Pod Identity service account is created in, before the charts", () => {
    // GIVEN the namespaces applied first  THEN the app runs under the restricted profile and add-ons have theirs
    const names = namespaceObjects().map((n) => (n.metadata as { name: string }).name);
    expect(names).toEqual(expect.arrayContaining(["video-processor", "monitoring", "keda", "external-secrets"]));
    const app = namespaceObjects().find((n) => (n.metadata as { name: string }).name === "video-processor");
    expect((app?.metadata as { labels: Record<string, string> }).labels["pod-security.kubernetes.io/enforce"]).toBe(
      "restricted",
    );
  });
});
