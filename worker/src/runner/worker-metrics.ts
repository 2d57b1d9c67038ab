import { Counter, Histogram, type Registry } from "prom-client";

export interface WorkerMetrics {
  readonly jobs: Counter<"outcome">;
  readonly jobDuration: Histogram<"outcome">;
  readonly frames: Counter;
  readonly framesPerSecond: Histogram;
}

/** Frames per second is observed per job; `rate(vp_frames_extracted_total[1m])` gives the fleet figure. */
export function createWorkerMetrics(registry: Registry): WorkerMetrics {
  return {
    jobs: new Counter({
      name: "vp_jobs_total",
      help: "Extraction jobs finished, by outcome",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: "vp_job_duration_seconds",
      help: "Wall time of one extraction attempt",
      labelNames: ["outcome"],
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers: [registry],
    }),
    frames: new Counter({
      name: "vp_frames_extracted_total",
      help: "Frames written into archives",
      registers: [registry],
    }),
    framesPerSecond: new Histogram({
      name: "vp_job_frames_per_second",
      help: "Frames per second of wall time, per successful job",
      buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers: [registry],
    }),
  };
}
