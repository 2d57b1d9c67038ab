import { FILE_EXTENSIONS } from "./ffmpeg/args.js";
import { probe } from "./ffmpeg/probe.js";
import { checkFile, checkSourcePixels } from "./ffmpeg/probe-start.js";
import { ProgressReporter } from "./progress.js";
import { resolveFfmpeg } from "./ffmpeg/resolve-ffmpeg.js";
import { planSampling } from "./sampled-frames.js";
import { targetCount } from "./sampling/targets.js";
import { assertPlanFits } from "./sampling/validate-plan.js";
import {
  ExtractionError,
  type ExtractRequest,
  type ExtractResult,
  type ManifestFrame,
  type ProbeResult,
} from "./types.js";
import { ZipSink } from "./archive/zip-sink.js";
import { extractPreviews } from "./previews/make-previews.js";

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
    // `ffmpeg -version` runs while the probe reads the file.
    const found = resolveFfmpeg();
    found.catch(() => undefined);
    // A probe made earlier does not prove the file is still there and unchanged in kind.
    if (req.probe) await checkFile(req.inputPath);
    const probed =
      req.probe ??
      (await probe(req.inputPath, { signal: controller.signal, timeoutSeconds: req.limits.timeoutSeconds }));
    const bins = await found;
    // Before anything decodes a frame: a huge picture costs memory whatever the file's size.
    checkSourcePixels(probed, req.limits.maxSourcePixels);
    // >>> previews (engine/src/previews/): BEST frames and storyboard, contact sheet, animated preview.
    // They make the whole archive when the frames are BEST or none; else they add theirs and frames follow.
    const previewed = await extractPreviews({ req, probe: probed, bins, sink, signal: controller.signal, progress });
    if (previewed) return previewed;
    // <<< previews
    const options = req.options;
    assertPlanFits(options, probed, req.limits);

    const sampling = await planSampling({
      bins,
      probe: probed,
      options,
      inputPath: req.inputPath,
      limits: req.limits,
      signal: controller.signal,
    });
    const { plan, ctx } = sampling;
    const expected = plan.targets ? targetCount(plan.targets) : null;
    const span = plan.range.end - plan.range.start;
    const ext = FILE_EXTENSIONS[options.format];
    const frames: ManifestFrame[] = [];
    if (plan.strategy !== "scenes") stall.arm();
    for await (const f of sampling.frames()) {
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
      pickerRuns: ctx.picks.count,
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
