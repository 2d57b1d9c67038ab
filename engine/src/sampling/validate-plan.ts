import type { ExtractionLimits, ExtractionOptions, FieldProblem } from "@vp/domain";
import { outputSize } from "../ffmpeg/args.js";
import { ExtractionError, type PlanValidation, type ProbeResult } from "../types.js";
import { frameCap, rangeOf, round6, targetCount, targetsOf } from "./targets.js";

/** A requested end may overshoot the probed duration by this much (container rounding). */
const DURATION_SLACK = 0.05;

const s = (n: number): string => `${round6(n)} s`;

/** Checks a request against the probed video; every problem at once, each with its field. */
export function validatePlan(o: ExtractionOptions, p: ProbeResult, limits: ExtractionLimits): PlanValidation {
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
  const pixels = outputPixelsProblem(o, p, limits.maxOutputPixels);
  if (pixels) problems.push(pixels);
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
          `one frame every ${s(o.intervalSeconds)} from ${s(start)} to ${s(end)} makes ${n} frames, more than the limit of ${cap}; use a longer interval, a shorter range or a higher maxFrames`,
        );
      break;
    }
    case "COUNT":
      if (o.count > cap) add(["count"], `${o.count} frames is more than the limit of ${cap}`);
      if (p.frameRate > 0 && o.count > Math.ceil((end - start) * p.frameRate) + 1)
        add(
          ["count"],
          `${o.count} frames is more than the ${Math.ceil((end - start) * p.frameRate)} frames the range holds`,
        );
      break;
    case "TIMESTAMPS": {
      const list = o.timestamps;
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

const megapixels = (n: number): string => `${(n / 1e6).toFixed(1)} MP`;

/**
 * One output frame may hold at most `max` pixels (memory per frame, encoding time, archive size).
 * The size is the one the engine would produce from this source (outputSize), so a request that
 * fits without upscaling is judged by its real result. On `width` (or `height`) as the user sees it.
 */
export function outputPixelsProblem(
  o: Pick<ExtractionOptions, "width" | "height" | "fit" | "allowUpscale">,
  p: Pick<ProbeResult, "width" | "height">,
  max: number | undefined,
): FieldProblem | null {
  if (max === undefined) return null;
  const size = outputSize(p.width, p.height, o);
  const n = size.width * size.height;
  if (n <= max) return null;
  const limit = `the limit of ${max} pixels per frame (${megapixels(max)})`;
  const field = o.width === undefined && o.height !== undefined ? ["height"] : ["width"];
  if (o.width === undefined && o.height === undefined) {
    // The largest width (and height) that fits, counting the engine's own rounding.
    const fits = (dim: "width" | "height"): number => {
      let v = Math.floor(p[dim] * Math.sqrt(max / n));
      while (v > 2) {
        const s = outputSize(p.width, p.height, { ...o, [dim]: v });
        if (s.width * s.height <= max) break;
        v--;
      }
      return v;
    };
    return {
      field,
      message: `frames at the video's own size, ${size.width}x${size.height} (${megapixels(n)}), are more than ${limit}; ask for a width of at most ${fits("width")} or a height of at most ${fits("height")}`,
    };
  }
  return {
    field,
    message: `frames of ${size.width}x${size.height} (${megapixels(n)}) are more than ${limit}; ask for a smaller width or height`,
  };
}

/** A plan that does not fit the probed video fails the job as INVALID_OPTIONS, every problem named. */
export function assertPlanFits(
  o: ExtractionOptions,
  p: ProbeResult,
  limits: { readonly maxFrames: number; readonly maxOutputPixels?: number | undefined },
): void {
  const verdict = validatePlan(o, p, {
    maxFrames: limits.maxFrames,
    ...(limits.maxOutputPixels !== undefined ? { maxOutputPixels: limits.maxOutputPixels } : {}),
  });
  if (!verdict.ok)
    throw new ExtractionError(
      "INVALID_OPTIONS",
      verdict.problems.map((x) => `${x.field.join(".")}: ${x.message}`).join("; "),
      false,
    );
}
