import type { ExtractionOptions, FieldProblem } from "@vp/domain";
import type { PlanValidation, ProbeResult } from "../types.js";

/** Tolerance when comparing a frame's time with a requested time: times are microseconds (rounded), and below any real time base (1/90000 s). */
export const TIME_EPSILON = 1e-6;
/** A requested end may overshoot the probed duration by this much (container rounding). */
const DURATION_SLACK = 0.05;

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
      const step = o.intervalSeconds ?? 1;
      return { kind: "arithmetic", start, step, count: Math.max(1, Math.ceil((end - start) / step - 1e-9)) };
    }
    case "COUNT": {
      const count = o.count ?? 1;
      return { kind: "arithmetic", start, step: (end - start) / count, count };
    }
    case "TIMESTAMPS": {
      const scale = o.timestampUnit === "PERCENT" ? p.durationSeconds / 100 : 1;
      const times = [...new Set((o.timestamps ?? []).map((t) => round6(t * scale)))].sort((a, b) => a - b);
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

const round6 = (n: number): number => Math.round(n * 1e6) / 1e6;
const s = (n: number): string => `${round6(n)} s`;

/** Checks a request against the probed video; every problem at once, each with its field. */
export function validatePlan(
  o: ExtractionOptions,
  p: ProbeResult,
  limits: { readonly maxFrames: number },
): PlanValidation {
  const problems: FieldProblem[] = [];
  const add = (field: readonly string[], message: string): void => void problems.push({ field, message });
  const D = p.durationSeconds;
  const cap = frameCap(o, limits);

  if (o.maxFrames !== undefined && o.maxFrames > limits.maxFrames)
    add(["maxFrames"], `must be at most ${limits.maxFrames} (the server's limit)`);
  if (o.startSeconds !== undefined && o.startSeconds >= D)
    add(["startSeconds"], `${s(o.startSeconds)} is at or beyond the end of the video (${s(D)})`);
  if (o.endSeconds !== undefined && o.endSeconds > D + DURATION_SLACK)
    add(["endSeconds"], `${s(o.endSeconds)} is beyond the end of the video (${s(D)})`);
  const { start, end } = rangeOf(o, p);
  if (end <= start && !problems.some((x) => x.field[0] === "startSeconds"))
    add(["endSeconds"], `the range ${s(start)} to ${s(end)} is empty`);
  if (problems.length > 0) return { ok: false, problems };

  switch (o.mode) {
    case "INTERVAL": {
      const t = targetsOf(o, p);
      const n = t ? targetCount(t) : 0;
      if (n > cap)
        add(
          ["intervalSeconds"],
          `one frame every ${s(o.intervalSeconds ?? 0)} from ${s(start)} to ${s(end)} makes ${n} frames, more than the limit of ${cap}; use a longer interval, a shorter range or a higher maxFrames`,
        );
      break;
    }
    case "COUNT":
      if ((o.count ?? 0) > cap) add(["count"], `${o.count} frames is more than the limit of ${cap}`);
      if (p.frameRate > 0 && (o.count ?? 0) > Math.ceil((end - start) * p.frameRate) + 1)
        add(
          ["count"],
          `${o.count} frames is more than the ${Math.ceil((end - start) * p.frameRate)} frames the range holds`,
        );
      break;
    case "TIMESTAMPS": {
      const list = o.timestamps ?? [];
      if (list.length > cap) add(["timestamps"], `${list.length} timestamps is more than the limit of ${cap}`);
      list.forEach((t, i) => {
        const secs = o.timestampUnit === "PERCENT" ? (t * D) / 100 : t;
        if (secs > D + DURATION_SLACK)
          add(["timestamps", String(i)], `${s(secs)} is beyond the end of the video (${s(D)})`);
        else if (o.startSeconds !== undefined && secs < start)
          add(["timestamps", String(i)], `${s(secs)} is before startSeconds (${s(start)})`);
        else if (o.endSeconds !== undefined && secs > end)
          add(["timestamps", String(i)], `${s(secs)} is after endSeconds (${s(end)})`);
      });
      break;
    }
    case "KEYFRAMES":
    case "SCENES":
      break;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true };
}
