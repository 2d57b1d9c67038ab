import type { ExtractionOptions } from "@vp/domain";
import type { ProbeResult } from "../types.js";

/** Tolerance when comparing a frame's time with a requested time: times are microseconds (rounded), and below any real time base (1/90000 s). */
export const TIME_EPSILON = 1e-6;

/** Times requested, in seconds on the video's own timeline (0 = start). Arithmetic sets stay symbolic so one ffmpeg pass can select them. */
export type Targets =
  | { readonly kind: "arithmetic"; readonly start: number; readonly step: number; readonly count: number }
  | { readonly kind: "list"; readonly times: readonly number[] };

export interface Range {
  readonly start: number;
  readonly end: number;
}

export const rangeOf = (o: ExtractionOptions, p: ProbeResult): Range => ({
  start: o.startSeconds ?? 0,
  end: Math.min(o.endSeconds ?? p.durationSeconds, p.durationSeconds),
});

/** The effective frame cap: the request's maxFrames, never above the server's. */
export const frameCap = (o: ExtractionOptions, limits: { readonly maxFrames: number }): number =>
  Math.min(o.maxFrames ?? limits.maxFrames, limits.maxFrames);

/** Requested times for the timestamp-driven modes; null for KEYFRAMES and SCENES (found while decoding). */
export function targetsOf(o: ExtractionOptions, p: ProbeResult): Targets | null {
  const { start, end } = rangeOf(o, p);
  switch (o.mode) {
    case "INTERVAL": {
      const step = o.intervalSeconds;
      return { kind: "arithmetic", start, step, count: Math.max(1, Math.ceil((end - start) / step - 1e-9)) };
    }
    case "COUNT": {
      const count = o.count;
      return { kind: "arithmetic", start, step: (end - start) / count, count };
    }
    case "TIMESTAMPS": {
      const scale = o.timestampUnit === "PERCENT" ? p.durationSeconds / 100 : 1;
      const times = [...new Set(o.timestamps.map((t) => round6(t * scale)))].sort((a, b) => a - b);
      return { kind: "list", times };
    }
    case "KEYFRAMES":
    case "SCENES":
      return null;
  }
}

export const targetCount = (t: Targets): number => (t.kind === "arithmetic" ? t.count : t.times.length);
export const targetAt = (t: Targets, i: number): number =>
  t.kind === "arithmetic" ? round6(t.start + i * t.step) : (t.times[i] as number);

export const round6 = (n: number): number => Math.round(n * 1e6) / 1e6;
