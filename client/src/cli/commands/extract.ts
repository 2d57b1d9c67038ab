import path from "node:path";
import { parseArgs } from "node:util";
import { startProbe } from "@vp/engine/start-probe";
import { EXIT, UsageError, type CliIo, type Command, type ExitCode } from "../io.js";
import { normalizeOptionalValues, SAMPLING_FLAGS, SAMPLING_HELP } from "../sampling-options.js";

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

const parse = (argv: readonly string[]) =>
  parseArgs({
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

export type ExtractValues = ReturnType<typeof parse>["values"];

/** What extract-run.ts is handed: the checked command line and the probe, already running. */
export interface ExtractInvocation {
  readonly values: ExtractValues;
  readonly input: string;
  readonly output: string;
  readonly concurrency: number | undefined;
  readonly timeoutSeconds: number;
  readonly controller: AbortController;
  /** Date.now() when the command began: the summary's seconds count from here. */
  readonly startedAt: number;
  readonly started: ReturnType<typeof startProbe>;
  readonly io: CliIo;
}

/**
 * The command line is checked and ffprobe started here, with nothing heavier than Node's modules
 * loaded; the rest (the engine's schemas and ZIP code, 0.08 s to load) then loads while it reads.
 */
export const extractCommand: Command = {
  summary: "extract frames from a local video into a ZIP (no server)",
  usage: USAGE,
  async run(argv, io): Promise<ExitCode> {
    const { values, positionals } = parse(argv);
    if (values.help) {
      io.stdout.write(USAGE + "\n");
      return EXIT.OK;
    }
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length === 0 ? "missing VIDEO" : `one VIDEO at a time (got ${positionals.length})`,
      );
    if (!values.output) throw new UsageError("missing -o OUT.zip");
    const concurrency = values.concurrency !== undefined ? Number(values.concurrency) : undefined;
    if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1))
      throw new UsageError("--concurrency must be a whole number >= 1");
    const timeoutSeconds = values.timeout !== undefined ? Number(values.timeout) : 3600;
    if (!(timeoutSeconds > 0)) throw new UsageError("--timeout must be a number of seconds > 0");

    const startedAt = Date.now();
    const controller = new AbortController();
    const onSignal = (): void => controller.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
      const input = positionals[0] as string;
      const started = startProbe(input, { signal: controller.signal });
      // Until ffprobe is spawned: loading a module holds the event loop, so the checks before the
      // spawn would otherwise wait for it. A failure is extract-run's to report.
      await started.catch(() => undefined);
      const { runExtract } = await import("./extract-run.js");
      return await runExtract({
        values,
        input,
        output: path.resolve(values.output),
        concurrency,
        timeoutSeconds,
        controller,
        startedAt,
        started,
        io,
      });
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  },
};
