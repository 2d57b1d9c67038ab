import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { ABSOLUTE_MAX_FRAMES, parseExtractionOptions } from "@vp/domain";
import { extract, ExtractionError, readProbe, validatePlan } from "@vp/engine";
import { EXIT, UsageError, type ExitCode } from "../io.js";
import { samplingOptions } from "../sampling-options.js";
import type { ExtractInvocation } from "./extract.js";

/** `vproc extract` once its probe is running: options, plan check, the extraction, the summary. */
export async function runExtract(x: ExtractInvocation): Promise<ExitCode> {
  const { values, io, output, controller } = x;
  const tmp = `${output}.${process.pid}.partial`;
  const showProgress = !values.json && Boolean(io.stderr.isTTY);
  try {
    const parsed = parseExtractionOptions(samplingOptions(values), { maxFrames: ABSOLUTE_MAX_FRAMES });
    if (!parsed.ok)
      throw new UsageError(parsed.problems.map((p) => `${p.field.join(".") || "options"}: ${p.message}`).join("; "));
    const probed = await readProbe(await x.started);
    const limits = {
      maxFrames: ABSOLUTE_MAX_FRAMES,
      timeoutSeconds: x.timeoutSeconds,
      ...(x.concurrency !== undefined ? { concurrency: x.concurrency } : {}),
    };
    const verdict = validatePlan(parsed.value, probed, limits);
    if (!verdict.ok) throw new UsageError(verdict.problems.map((p) => `${p.field.join(".")}: ${p.message}`).join("; "));
    const result = await extract({
      inputPath: x.input,
      options: parsed.value,
      output: createWriteStream(tmp),
      probe: probed,
      signal: controller.signal,
      limits,
      ...(showProgress
        ? {
            onProgress: (p) =>
              io.stderr.write(`\r${(p.progress * 100).toFixed(0).padStart(3)}%  ${p.framesExtracted} frames`),
          }
        : {}),
    });
    await rename(tmp, output);
    if (showProgress) io.stderr.write("\n");
    const summary = {
      ok: true,
      output,
      frameCount: result.frameCount,
      strategy: result.strategy,
      // Which decoder answered: the frame picker (engine/native/pick-frames.c) or ffmpeg alone.
      decoder: result.pickerRuns > 0 ? "picker" : "ffmpeg",
      seconds: (Date.now() - x.startedAt) / 1000,
      video: {
        durationSeconds: probed.durationSeconds,
        width: probed.width,
        height: probed.height,
        frameRate: probed.frameRate,
      },
    };
    io.stdout.write(
      values.json
        ? JSON.stringify(summary) + "\n"
        : `${result.frameCount} frames -> ${output} (${result.strategy}, ${summary.decoder}, ${summary.seconds.toFixed(1)} s)\n`,
    );
    return EXIT.OK;
  } catch (err) {
    // The probe may still be running (bad options are found after it started).
    controller.abort();
    await rm(tmp, { force: true });
    if (showProgress) io.stderr.write("\n");
    if (err instanceof UsageError) throw err;
    const e = err instanceof ExtractionError ? err : new ExtractionError("INTERNAL", String(err), true);
    if (values.json)
      io.stdout.write(
        JSON.stringify({ ok: false, error: { code: e.code, message: e.message, retryable: e.retryable } }) + "\n",
      );
    io.stderr.write(`vproc extract: ${e.message} (${e.code})\n`);
    if (io.env.VPROC_DEBUG && e.diagnostics) io.stderr.write(e.diagnostics + "\n");
    return e.code === "INVALID_OPTIONS" ? EXIT.USAGE : EXIT.FAILED;
  }
}
