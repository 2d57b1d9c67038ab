import { availableParallelism } from "node:os";
import path from "node:path";
import { wantsPreviews, type ExtractionOptions, type ExtractionOptionsOf } from "@vp/domain";
import { toFileUrl } from "../ffmpeg/probe-start.js";
import type { FfmpegBinaries } from "../ffmpeg/resolve-ffmpeg.js";
import type { ProgressReporter } from "../progress.js";
import { assertPlanFits } from "../sampling/validate-plan.js";
import type { ExtractRequest, ExtractResult, ProbeResult } from "../types.js";
import { makeAnimated } from "./animated.js";
import { makeBest } from "./best.js";
import { makeContactSheet } from "./contact-sheet.js";
import type { PreviewContext } from "./context.js";
import { findFont } from "./font.js";
import { makeStoryboard } from "./storyboard.js";
import type { PreviewFile } from "./types.js";

export interface PreviewStep {
  readonly req: ExtractRequest;
  readonly probe: ProbeResult;
  readonly bins: FfmpegBinaries;
  readonly sink: { add(name: string, data: Buffer): Promise<void>; finish(): Promise<number> };
  readonly signal: AbortSignal;
  readonly progress: ProgressReporter;
}

const isBest = (o: ExtractionOptions): o is ExtractionOptionsOf<"COUNT"> => o.mode === "COUNT" && o.pick === "BEST";

/** Whether this request has work for the previews step (engine/src/extract.ts asks before planning frames). */
export const hasPreviewWork = (o: ExtractionOptions): boolean => isBest(o) || wantsPreviews(o);

/**
 * The previews' part of an extraction, into the same archive. When the job's frames are BEST
 * frames, or none (`includeFrames: false`), this makes the whole archive, manifest.json included,
 * and returns the result; otherwise it adds the previews and `previews.json` and returns null, and
 * the engine goes on with the sampled frames (and their manifest.json).
 */
export async function extractPreviews(step: PreviewStep): Promise<ExtractResult | null> {
  const { req, probe: p } = step;
  const o = req.options;
  if (!hasPreviewWork(o)) return null;
  assertPlanFits(o, p, req.limits);
  const ctx: PreviewContext = {
    bins: step.bins,
    probe: p,
    options: o,
    source: { url: toFileUrl(req.inputPath), origin: p.timeOrigin ?? p.startTime, threads: availableParallelism() },
    inputPath: req.inputPath,
    limits: req.limits,
    span: { start: o.startSeconds ?? 0, end: Math.min(o.endSeconds ?? p.durationSeconds, p.durationSeconds) },
    signal: step.signal,
    timeoutSeconds: req.limits.timeoutSeconds,
    fontPath: () => findFont(),
    displayName: o.contactSheet?.title ?? path.basename(req.inputPath),
    runs: { count: 0 },
  };
  const whole = o.includeFrames === false || isBest(o);
  const jobs: (() => Promise<void>)[] = [];
  const previews: Record<string, unknown> = {};
  const add = async (files: readonly PreviewFile[]): Promise<void> => {
    for (const f of files) await step.sink.add(f.name, f.data);
  };
  let frames: ExtractResult["frames"] = [];
  if (isBest(o))
    jobs.push(async () => {
      const best = await makeBest(ctx, o);
      await add(best.files);
      frames = best.frames;
      previews["best"] = best.manifest;
    });
  if (o.storyboard) {
    const so = o.storyboard;
    jobs.push(async () => {
      const r = await makeStoryboard(ctx, so);
      await add(r.files);
      previews["storyboard"] = r.manifest;
    });
  }
  if (o.contactSheet) {
    const co = o.contactSheet;
    jobs.push(async () => {
      const r = await makeContactSheet(ctx, co);
      await add(r.files);
      previews["contactSheet"] = r.manifest;
    });
  }
  if (o.animated) {
    const ao = o.animated;
    jobs.push(async () => {
      const r = await makeAnimated(ctx, ao);
      await add(r.files);
      previews["animated"] = r.manifest;
    });
  }
  for (const [i, job] of jobs.entries()) {
    if (step.signal.aborted) throw step.signal.reason;
    await job();
    if (whole) step.progress.report((i + 1) / (jobs.length + 0.5), frames.length);
  }
  if (!whole) {
    await step.sink.add("previews.json", Buffer.from(JSON.stringify({ previews }, null, 2)));
    return null;
  }
  const strategy = isBest(o) ? "best" : "previews";
  const manifest = { video: videoOf(p), options: o, strategy, frames, previews };
  await step.sink.add("manifest.json", Buffer.from(JSON.stringify(manifest, null, 2)));
  await step.sink.finish();
  step.progress.report(1, frames.length, true);
  return {
    frameCount: frames.length,
    strategy,
    ffmpegRuns: ctx.runs.count,
    fallbacks: 0,
    pickerRuns: 0,
    frames,
    probe: p,
  };
}

const videoOf = (p: ProbeResult) => ({
  durationSeconds: p.durationSeconds,
  width: p.width,
  height: p.height,
  frameRate: p.frameRate,
  videoCodec: p.videoCodec,
  rotation: p.rotation,
  hasAudio: p.hasAudio,
  formatName: p.formatName,
});
