import type { Platform } from "@vp/platform";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export interface HttpMetrics {
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  countOperation(type: string, transport: "http" | "ws", outcome: "ok" | "error"): void;
}

/** Reuses a metric already in the registry (several servers in one process, or a restart in tests). */
function once<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function createHttpMetrics(registry: Registry, queue: Platform["extractionQueue"]): HttpMetrics {
  const requests = once(
    registry,
    "vp_http_requests_total",
    () =>
      new Counter({
        name: "vp_http_requests_total",
        help: "HTTP requests by route and status",
        labelNames: ["method", "route", "status"],
        registers: [registry],
      }),
  );
  const durations = once(
    registry,
    "vp_http_request_duration_seconds",
    () =>
      new Histogram({
        name: "vp_http_request_duration_seconds",
        help: "HTTP request duration by route",
        labelNames: ["method", "route", "status"],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [registry],
      }),
  );
  const operations = once(
    registry,
    "vp_graphql_operations_total",
    () =>
      new Counter({
        name: "vp_graphql_operations_total",
        help: "GraphQL operations by type (query, mutation, subscription), transport and outcome",
        labelNames: ["type", "transport", "outcome"],
        registers: [registry],
      }),
  );
  once(
    registry,
    "vp_extraction_queue_messages",
    () =>
      new Gauge({
        name: "vp_extraction_queue_messages",
        help: "Extraction queue depth by state, read at scrape time",
        labelNames: ["state"],
        registers: [registry],
        async collect() {
          const depth = await queue.depth();
          this.set({ state: "visible" }, depth.visible);
          this.set({ state: "in_flight" }, depth.inFlight);
          this.set({ state: "delayed" }, depth.delayed);
          this.set({ state: "dead_lettered" }, depth.deadLettered);
        },
      }),
  );
  return {
    observeRequest(method, route, status, seconds) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      durations.observe(labels, seconds);
    },
    countOperation(type, transport, outcome) {
      operations.inc({ type, transport, outcome });
    },
  };
}
