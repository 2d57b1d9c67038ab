import { availableParallelism } from "node:os";
import type { ExtractionOptions } from "@vp/domain";
import { FILE_EXTENSIONS, outputFilters, outputSize, type OutputSize } from "./ffmpeg/args.js";
import { batchable, outpointMargin, source, threadsFor, timed, type EngineContext } from "./engine-context.js";
import { keyframeIndexOf } from "./ffmpeg/probe.js";
import type { DecodedFrame, RawFrame } from "./ffmpeg/frame-source.js";
import { orderedMerge } from "./ordered.js";
import { checkFile, checkSourcePixels, probe, toFileUrl } from "./ffmpeg/probe.js";
import { ProgressReporter } from "./progress.js";
import { resolveFfmpeg } from "./ffmpeg/resolve-ffmpeg.js";
import { placeOnTargets, type PlacedFrame, type PlacementDeps } from "./sampling/place-on-targets.js";
import { sceneSelect } from "./sampling/select.js";
import { choosePlan, MAX_SEEKS_PER_PROCESS, processCostFrames, type Plan } from "./sampling/strategy.js";
import { frameCap, targetAt, targetCount, type Targets } from "./sampling/targets.js";
import { validatePlan } from "./sampling/validate-plan.js";
import { seekMany, seekOne } from "./seek-frames.js";
import { segmentWithFallback } from "./segment-frames.js";
import {
  ExtractionError,
  type ExtractRequest,
  type ExtractResult,
  type ManifestFrame,
  type ProbeResult,
} from "./types.js";
import { ZipSink } from "./archive/zip-sink.js";
import { extractPreviews } from "./previews/make-previews.js";

/** Bytes a waiting decoder may buffer ahead of the archive, all processes together. */
const READ_AHEAD_BYTES = 48 * 1024 * 1024;

/**
 * Extracts frames into a stored ZIP streamed to `req.output`, with `manifest.json` last.
 * Frame-exact: for each requested time t the frame kept is the first whose timestamp is >= t.
 */
export async function extract(req: ExtractRequest): Promise<ExtractResult> {
  const controller = new AbortController();
  const stop = (e: ExtractionError): void => {
    if (!controller.signal.aborted) controller.abort(e);
  };
  const onCancel = (): void => stop(new ExtractionError("CANCELLED", "The extraction was cancelled.", true));
  if (req.signal?.aborted) onCancel();
  req.signal?.addEventListener("abort", onCancel, { once: true });
  const timer = setTimeout(
    () =>
      stop(
        new ExtractionError(
          "TIMEOUT",
          `The extraction took longer than its ${req.limits.timeoutSeconds} s limit.`,
          true,
        ),
      ),
    req.limits.timeoutSeconds * 1000,
  );
  const sink = new ZipSink(req.output, controller.signal, req.limits.maxArchiveBytes);
  const progress = new ProgressReporter(req.onProgress);
  const stall = new StallWatchdog(req.limits.stallSeconds, stop);
  try {
    if (controller.signal.aborted) throw controller.signal.reason;
    const bins = await resolveFfmpeg();
    // A probe made earlier does not prove the file is still there and unchanged in kind.
    if (req.probe) await checkFile(req.inputPath);
    const probed =
      req.probe ??
      (await probe(req.inputPath, { signal: controller.signal, timeoutSeconds: req.limits.timeoutSeconds }));
    // Before anything decodes a frame: a huge picture costs memory whatever the file's size.
    checkSourcePixels(probed, req.limits.maxSourcePixels);
    // >>> previews (engine/src/previews/): BEST frames and storyboard, contact sheet, animated preview.
    // They make the whole archive when the frames are BEST or none; else they add theirs and frames follow.
    const previewed = await extractPreviews({ req, probe: probed, bins, sink, signal: controller.signal, progress });
    if (previewed) return previewed;
    // <<< previews
    const options = req.options;
    const verdict = validatePlan(options, probed, {
      maxFrames: req.limits.maxFrames,
      ...(req.limits.maxOutputPixels !== undefined ? { maxOutputPixels: req.limits.maxOutputPixels } : {}),
    });
    if (!verdict.ok)
      throw new ExtractionError(
        "INVALID_OPTIONS",
        verdict.problems.map((p) => `${p.field.join(".")}: ${p.message}`).join("; "),
        false,
      );

    const cores = availableParallelism();
    const concurrency = Math.max(1, req.limits.concurrency ?? cores);
    const size = outputSize(probed.width, probed.height, options);
    const bufferFrames = Math.max(
      2,
      Math.min(120, Math.floor(READ_AHEAD_BYTES / concurrency / estimateFrameBytes(size, options.format))),
    );
    // The index stored with the probe, or read from the packets now (an older or capped probe).
    const index = await keyframeIndexOf(probed, bins.ffprobePath, req.inputPath, controller.signal);
    const ctx: EngineContext = {
      bins,
      probe: probed,
      options,
      signal: controller.signal,
      size,
      concurrency,
      cores,
      cap: frameCap(options, req.limits),
      url: toFileUrl(req.inputPath),
      origin: probed.timeOrigin ?? probed.startTime,
      seeksPerProcess: Math.max(1, req.limits.seeksPerProcess ?? MAX_SEEKS_PER_PROCESS),
      runs: { count: 0 },
      fallbacks: { count: 0 },
      end: { noFrameFrom: Infinity },
      index,
    };
    const plan = choosePlan(options, probed, {
      index,
      concurrency,
      maxFramesPerSegment: bufferFrames,
      fastPaths: batchable(ctx),
      seeksPerProcess: ctx.seeksPerProcess,
      marginFrames: Math.ceil(outpointMargin(probed) * (probed.frameRate > 0 ? probed.frameRate : 30)),
      marginSeconds: outpointMargin(probed),
      cap: ctx.cap,
      processCostFrames: processCostFrames(probed.width, probed.height, probed.videoCodec),
    });
    const expected = plan.targets ? targetCount(plan.targets) : null;
    const span = plan.range.end - plan.range.start;
    const ext = FILE_EXTENSIONS[options.format];
    const frames: ManifestFrame[] = [];
    if (plan.strategy !== "scenes") stall.arm();
    for await (const f of framesOf(plan, ctx, bufferFrames)) {
      if (controller.signal.aborted) throw controller.signal.reason;
      if (frames.length >= ctx.cap) break;
      stall.reset();
      const index = frames.length + 1;
      const file = `frame_${String(index).padStart(6, "0")}.${ext}`;
      await sink.add(file, f.data);
      frames.push({ file, index, requestedSeconds: f.requestedSeconds, timestampSeconds: f.seconds });
      progress.report(expected ? index / expected : (f.seconds - plan.range.start) / span, index);
    }
    if (frames.length === 0)
      throw new ExtractionError("INPUT_CORRUPT", "No frame could be decoded from the video.", false);
    const manifest = { video: videoOf(probed), options, strategy: plan.strategy, frames };
    await sink.add("manifest.json", Buffer.from(JSON.stringify(manifest, null, 2)));
    // Still watched: an output that stops taking the archive's last bytes is no progress either.
    await sink.finish();
    stall.disarm();
    progress.report(1, frames.length, true);
    return {
      frameCount: frames.length,
      strategy: plan.strategy,
      ffmpegRuns: ctx.runs.count,
      fallbacks: ctx.fallbacks.count,
      frames,
      probe: probed,
    };
  } catch (err) {
    const e = classified(err, controller.signal);
    stop(e);
    sink.abort(e);
    throw e;
  } finally {
    clearTimeout(timer);
    stall.disarm();
    req.signal?.removeEventListener("abort", onCancel);
  }
}

/**
 * Fails the extraction as STALLED when no frame reaches the archive for `seconds` while armed:
 * the gap between two frames is at most about a keyframe interval of decoding, so a longer one
 * means a decoder (or the output) making no progress. Bounded by the job's time limit otherwise.
 */
class StallWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private armed = false;
  constructor(
    private readonly seconds: number | undefined,
    private readonly stop: (e: ExtractionError) => void,
  ) {}
  arm(): void {
    this.armed = this.seconds !== undefined && this.seconds > 0;
    this.reset();
  }
  reset(): void {
    if (!this.armed) return;
    clearTimeout(this.timer);
    const seconds = this.seconds as number;
    this.timer = setTimeout(
      () =>
        this.stop(
          new ExtractionError(
            "STALLED",
            `No frame was produced for ${seconds} s (the limit without progress); the video may be damaged or far slower to decode than it declares.`,
            true,
          ),
        ),
      seconds * 1000,
    );
    this.timer.unref();
  }
  disarm(): void {
    this.armed = false;
    clearTimeout(this.timer);
  }
}

function classified(err: unknown, signal: AbortSignal): ExtractionError {
  const reason: unknown = signal.aborted ? signal.reason : undefined;
  const diagnostics = err instanceof ExtractionError ? err.diagnostics : String(err);
  if (reason instanceof ExtractionError)
    return new ExtractionError(reason.code, reason.message, reason.retryable, diagnostics);
  if (err instanceof ExtractionError) return err;
  if ((err as NodeJS.ErrnoException | null)?.code === "ENOSPC")
    return new ExtractionError("OUT_OF_DISK", "The disk is full: the archive could not be written.", true, diagnostics);
  return new ExtractionError(
    "INTERNAL",
    "The extraction failed unexpectedly.",
    true,
    err instanceof Error ? (err.stack ?? err.message) : String(err),
  );
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

/** The planned seek batches, run `concurrency` at a time, in target order. */
function seekBatches(
  ctx: EngineContext,
  targets: Targets,
  batches: readonly (readonly [number, number])[],
  bufferFrames: number,
): AsyncGenerator<DecodedFrame> {
  const times = Array.from({ length: targetCount(targets) }, (_, i) => targetAt(targets, i));
  const threads = threadsFor(ctx, Math.min(ctx.concurrency, batches.length));
  const producers = batches.map(
    ([from, to]) =>
      () =>
        seekMany(ctx, times.slice(from, to), threads),
  );
  return orderedMerge(producers, ctx.concurrency, bufferFrames);
}

async function* unrequested(frames: AsyncGenerator<PlacedFrame>): AsyncGenerator<PlacedFrame> {
  for await (const f of frames) yield { ...f, requestedSeconds: null };
}

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
