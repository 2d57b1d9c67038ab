import { availableParallelism } from "node:os";
import type { ExtractionOptions } from "@vp/domain";
import { outputFilters, outputSize, type OutputSize } from "./ffmpeg/args.js";
import { batchable, outpointMargin, source, threadsFor, timed, type EngineContext } from "./engine-context.js";
import type { DecodedFrame, RawFrame } from "./ffmpeg/frame-source.js";
import { keyframeIndexOf } from "./ffmpeg/probe.js";
import { toFileUrl } from "./ffmpeg/probe-start.js";
import type { FfmpegBinaries } from "./ffmpeg/resolve-ffmpeg.js";
import { mergeSorted, orderedMerge } from "./ordered.js";
import { placeOnTargets, type PlacedFrame, type PlacementDeps } from "./sampling/place-on-targets.js";
import { sceneSelect } from "./sampling/select.js";
import { choosePlan, MAX_SEEKS_PER_PROCESS, processCostFrames, type Plan } from "./sampling/strategy.js";
import { frameCap, targetAt, targetCount, type Targets } from "./sampling/targets.js";
import { seekMany, seekOne } from "./seek-frames.js";
import { pickable, pickedFrames } from "./native/picked-frames.js";
import { resolvePicker } from "./native/picker-binary.js";
import { segmentWithFallback } from "./segment-frames.js";
import type { ExtractRequest, ProbeResult } from "./types.js";

/** Bytes a waiting decoder may buffer ahead of the archive, all processes together. */
const READ_AHEAD_BYTES = 48 * 1024 * 1024;

export interface SamplingRequest {
  readonly bins: FfmpegBinaries;
  readonly probe: ProbeResult;
  readonly options: ExtractionOptions;
  readonly inputPath: string;
  readonly limits: ExtractRequest["limits"];
  readonly signal: AbortSignal;
  /** The frames' size when not the options' (a storyboard's exact tile, odd widths included). */
  readonly size?: OutputSize;
}

/** A planned sampling of the video: the plan, what its processes share, and its frames in time order. */
export interface Sampling {
  readonly plan: Plan;
  readonly ctx: EngineContext;
  frames(): AsyncGenerator<PlacedFrame>;
}

/**
 * Plans how the frames the options ask for are taken (seek batches, keyframe spans, segments over
 * the cores, from the packets' keyframe index) and returns their source: the frame extraction and
 * the previews (a storyboard's tiles are an INTERVAL sampling at the tile size) share one planner
 * and its fallbacks.
 */
export async function planSampling(req: SamplingRequest): Promise<Sampling> {
  const { options, probe: probed, bins } = req;
  const cores = availableParallelism();
  const concurrency = Math.max(1, req.limits.concurrency ?? cores);
  const size = req.size ?? outputSize(probed.width, probed.height, options);
  const bufferFrames = Math.max(
    2,
    Math.min(120, Math.floor(READ_AHEAD_BYTES / concurrency / estimateFrameBytes(size, options.format))),
  );
  // The index stored with the probe, or read from the packets now (an older or capped probe).
  const [index, picker] = await Promise.all([
    keyframeIndexOf(probed, bins.ffprobePath, req.inputPath, req.signal),
    req.limits.nativeDecode === false ? null : resolvePicker(),
  ]);
  const ctx: EngineContext = {
    bins,
    probe: probed,
    options,
    signal: req.signal,
    size,
    concurrency,
    cores,
    cap: frameCap(options, req.limits),
    url: toFileUrl(req.inputPath),
    origin: probed.timeOrigin ?? probed.startTime,
    seeksPerProcess: Math.max(1, req.limits.seeksPerProcess ?? MAX_SEEKS_PER_PROCESS),
    runs: { count: 0 },
    fallbacks: { count: 0 },
    picker,
    picks: { count: 0 },
    end: { noFrameFrom: Infinity },
    index,
  };
  const plan = choosePlan(options, probed, {
    index,
    concurrency,
    maxFramesPerSegment: bufferFrames,
    // The picker answers any target list exactly, HEVC's open GOPs included; its fallbacks check batchable() themselves.
    fastPaths: batchable(ctx) || pickable(ctx),
    seeksPerProcess: ctx.seeksPerProcess,
    marginFrames: Math.ceil(outpointMargin(probed) * (probed.frameRate > 0 ? probed.frameRate : 30)),
    marginSeconds: outpointMargin(probed),
    cap: ctx.cap,
    processCostFrames: processCostFrames(probed.width, probed.height, probed.videoCodec),
  });
  return { plan, ctx, frames: () => framesOf(plan, ctx, bufferFrames) };
}

function estimateFrameBytes(size: OutputSize, format: ExtractionOptions["format"]): number {
  const bytesPerPixel = format === "PNG" ? 2 : format === "WEBP" ? 0.15 : 0.3;
  return Math.max(4096, size.width * size.height * bytesPerPixel);
}

function framesOf(plan: Plan, ctx: EngineContext, bufferFrames: number): AsyncGenerator<PlacedFrame> {
  switch (plan.strategy) {
    case "seek-parallel":
      return placeOnTargets(seekBatches(ctx, plan.targets, plan.batches, bufferFrames), plan.targets, placement(ctx));
    case "segmented-decode": {
      const t = plan.targets;
      const running = Math.min(ctx.concurrency, plan.segments.length);
      const producers = plan.segments.map(
        (seg, i) => () =>
          // Past where the stream was found to end (engine-context.ts `end`): nothing to decode.
          seg.start >= ctx.end.noFrameFrom
            ? nothing()
            : pickable(ctx)
              ? pickedFrames(ctx, timesOf(t, seg.firstTarget, plan.segments[i + 1]?.firstTarget ?? t.count), (rest) =>
                  seekMany(ctx, rest, threadsFor(ctx, running)),
                )
              : segmentWithFallback(
                  ctx,
                  t,
                  seg,
                  plan.segments[i + 1]?.firstTarget ?? t.count,
                  i === plan.segments.length - 1,
                  threadsFor(ctx, running),
                ),
      );
      return placeOnTargets(orderedMerge(producers, ctx.concurrency, bufferFrames), t, placement(ctx));
    }
    case "keyframes":
      if (plan.targets)
        // The keyframes the packets name, each read by an accurate seek (VP9 and AV1 decoders ignore -skip_frame).
        return unrequested(
          placeOnTargets(seekBatches(ctx, plan.targets, plan.batches, bufferFrames), plan.targets, placement(ctx)),
        );
      return untargeted(
        ctx,
        source(ctx, {
          seek: plan.range.start,
          duration: plan.range.end - plan.range.start,
          keyframesOnly: true,
          maxFrames: ctx.cap,
          filters: outputFilters(ctx.probe.width, ctx.probe.height, ctx.size, ctx.bins.outdated),
        }),
      );
    case "scenes":
      return untargeted(
        ctx,
        source(ctx, {
          seek: plan.range.start,
          duration: plan.range.end - plan.range.start,
          maxFrames: ctx.cap,
          filters: [
            sceneSelect(plan.threshold, plan.minGapSeconds),
            ...outputFilters(ctx.probe.width, ctx.probe.height, ctx.size, ctx.bins.outdated),
          ],
        }),
      );
  }
}

/**
 * The planned seek batches, in target order: all at once, merged by time, when they fit the
 * processes (their targets are dealt out across them); else `concurrency` at a time, in turn.
 */
function seekBatches(
  ctx: EngineContext,
  targets: Targets,
  batches: readonly (readonly number[])[],
  bufferFrames: number,
): AsyncGenerator<DecodedFrame> {
  const times = timesOf(targets, 0, targetCount(targets));
  const threads = threadsFor(ctx, Math.min(ctx.concurrency, batches.length));
  const producers = batches.map((batch) => {
    const mine = batch.map((i) => times[i] as number);
    return () =>
      pickable(ctx) ? pickedFrames(ctx, mine, (rest) => seekMany(ctx, rest, threads)) : seekMany(ctx, mine, threads);
  });
  return batches.length <= ctx.concurrency
    ? mergeSorted(producers, bufferFrames, (f) => f.seconds)
    : orderedMerge(producers, ctx.concurrency, bufferFrames);
}

async function* unrequested(frames: AsyncGenerator<PlacedFrame>): AsyncGenerator<PlacedFrame> {
  for await (const f of frames) yield { ...f, requestedSeconds: null };
}

/** Target times [from, to). */
const timesOf = (t: Targets, from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from) }, (_, i) => targetAt(t, from + i));

/** An empty source. */
async function* nothing(): AsyncGenerator<never> {}

async function* untargeted(ctx: EngineContext, frames: AsyncGenerator<RawFrame>): AsyncGenerator<PlacedFrame> {
  for await (const f of timed(ctx, frames)) yield { ...f, requestedSeconds: null };
}

/** Targets past what was decoded are sought one by one, with every core. */
const placement = (ctx: EngineContext): PlacementDeps => ({
  probe: ctx.probe,
  seekOne: (t) => seekOne(ctx, t, ctx.cores),
  lastFrameTime: () => lastFrameTime(ctx),
});

/** Time of the video's last frame, from the keyframe index (read from the packets, no decoding). */
function lastFrameTime(ctx: EngineContext): Promise<number | null> {
  return Promise.resolve(ctx.index.frameCount > 0 ? ctx.index.lastFrameSeconds : null);
}
