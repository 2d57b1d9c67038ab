import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { ABSOLUTE_MAX_FRAMES, parseExtractionOptions } from "@vp/domain";
import { extract, ExtractionError, probe, validatePlan } from "@vp/engine";
import { EXIT, UsageError, type Command, type ExitCode } from "../io.js";
import { normalizeOptionalValues, SAMPLING_FLAGS, SAMPLING_HELP, samplingOptions } from "../sampling-options.js";

const USAGE = `vproc extract VIDEO [options] -o OUT.zip

Extracts frames from a local video into a ZIP (with manifest.json), on this machine: no server, no
account; the worker's own engine.

${SAMPLING_HELP}
Other:
  -o, --output FILE      the ZIP to write (required)
  --concurrency N        ffmpeg processes at once (default: cores)
  --timeout SECONDS      give up after this long (default 3600)
  --json                 print the result as JSON
  -h, --help

Examples:
  vproc extract talk.mp4 --every 10 -o talk.zip
  vproc extract clip.mov --count 20 --width 320 --format webp -o thumbs.zip
  vproc extract film.mkv --scenes 0.4 --start 60 --end 600 -o scenes.zip`;

export const extractCommand: Command = {
  summary: "extract frames from a local video into a ZIP (no server)",
  usage: USAGE,
  async run(argv, io): Promise<ExitCode> {
    const { values, positionals } = parseArgs({
      args: normalizeOptionalValues(argv),
      allowPositionals: true,
      strict: true,
      options: {
        ...SAMPLING_FLAGS,
        output: { type: "string", short: "o" },
        concurrency: { type: "string" },
        timeout: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      io.stdout.write(USAGE + "\n");
      return EXIT.OK;
    }
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length === 0 ? "missing VIDEO" : `one VIDEO at a time (got ${positionals.length})`,
      );
    if (!values.output) throw new UsageError("missing -o OUT.zip");
    const input = positionals[0] as string;
    const output = path.resolve(values.output);
    const parsed = parseExtractionOptions(samplingOptions(values), { maxFrames: ABSOLUTE_MAX_FRAMES });
    if (!parsed.ok)
      throw new UsageError(parsed.problems.map((p) => `${p.field.join(".") || "options"}: ${p.message}`).join("; "));
    const concurrency = values.concurrency !== undefined ? Number(values.concurrency) : undefined;
    if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1))
      throw new UsageError("--concurrency must be a whole number >= 1");
    const timeoutSeconds = values.timeout !== undefined ? Number(values.timeout) : 3600;
    if (!(timeoutSeconds > 0)) throw new UsageError("--timeout must be a number of seconds > 0");

    const controller = new AbortController();
    const onSignal = (): void => controller.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    const tmp = `${output}.${process.pid}.partial`;
    const started = Date.now();
    const showProgress = !values.json && Boolean(io.stderr.isTTY);
    try {
      const probed = await probe(input, { signal: controller.signal });
      const limits = {
        maxFrames: ABSOLUTE_MAX_FRAMES,
        timeoutSeconds,
        ...(concurrency !== undefined ? { concurrency } : {}),
      };
      const verdict = validatePlan(parsed.value, probed, limits);
      if (!verdict.ok)
        throw new UsageError(verdict.problems.map((p) => `${p.field.join(".")}: ${p.message}`).join("; "));
      const result = await extract({
        inputPath: input,
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
        seconds: (Date.now() - started) / 1000,
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
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  },
};
