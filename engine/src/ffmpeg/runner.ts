import { spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { ExtractionError } from "../types.js";
import { classifyFailure } from "./classify.js";

/**
 * The only module that starts ffmpeg or ffprobe. Everything else builds argument arrays
 * (pure data) and hands them here: spawn without a shell, no stdin, abort and timeout with a
 * SIGKILL after a short grace, a bounded stderr tail for diagnostics, exit classification.
 */
export interface RunSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly signal?: AbortSignal;
  readonly timeoutSeconds?: number;
  /** Every complete stderr line, as it arrives (e.g. to read showinfo timestamps). */
  readonly onStderrLine?: (line: string) => void;
  /** Lines for which this returns true are kept out of the diagnostics tail. */
  readonly quietLine?: (line: string) => boolean;
  /** Another process's stdout, as this one's stdin (a pipeline); else no stdin. */
  readonly stdin?: Readable;
}

export interface RunningProcess {
  readonly pid: number | undefined;
  readonly stdout: Readable;
  /** Resolves when the process exited with status 0; otherwise rejects with a classified ExtractionError. */
  readonly done: Promise<{ readonly stderrTail: string }>;
  /** Kills the process (idempotent). */
  kill(): void;
}

export const STDERR_TAIL_BYTES = 16 * 1024;
export const KILL_GRACE_MS = 250;

/** Keeps the last `max` characters of a growing text. */
export class BoundedTail {
  private text = "";
  constructor(private readonly max: number) {}
  push(s: string): void {
    this.text += s;
    if (this.text.length > this.max * 2) this.text = this.text.slice(-this.max);
  }
  toString(): string {
    return this.text.slice(-this.max);
  }
}

/** Every ffprobe run's first arguments: errors only, and no protocol but plain files (a playlist cannot reach the network). */
export const FFPROBE_QUIET_FILE_ONLY: readonly string[] = [
  "-v",
  "error",
  "-hide_banner",
  "-protocol_whitelist",
  "file",
];

/** Reason carried by an AbortSignal that the engine aborted itself (timeout, sibling failure). */
const abortError = (signal: AbortSignal, tail: string): ExtractionError => {
  const reason: unknown = signal.reason;
  if (reason instanceof ExtractionError)
    return new ExtractionError(reason.code, reason.message, reason.retryable, tail || reason.diagnostics);
  return new ExtractionError("CANCELLED", "The extraction was cancelled.", true, tail);
};

export function run(spec: RunSpec): RunningProcess {
  const child = spawn(spec.command, [...spec.args], {
    stdio: [spec.stdin ?? "ignore", "pipe", "pipe"],
    windowsHide: true,
  });
  // The child holds its own copy of the pipe now; ours would keep the writing process's 'close' from ever firing.
  spec.stdin?.destroy();
  const tail = new BoundedTail(STDERR_TAIL_BYTES);
  let partial = "";
  let killedFor: ExtractionError | null = null;
  let killTimer: NodeJS.Timeout | undefined;

  const kill = (why: ExtractionError | null = null): void => {
    if (why && !killedFor) killedFor = why;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    // A child blocked on a full stdout pipe may not act on SIGTERM: unblock it, then make sure.
    child.stdout.destroy();
    killTimer ??= setTimeout(() => child.kill("SIGKILL"), KILL_GRACE_MS);
  };

  const onAbort = (): void => kill(abortError(spec.signal as AbortSignal, ""));
  if (spec.signal?.aborted) queueMicrotask(onAbort);
  else spec.signal?.addEventListener("abort", onAbort, { once: true });

  const timeout =
    spec.timeoutSeconds !== undefined && spec.timeoutSeconds > 0
      ? setTimeout(
          () =>
            kill(
              new ExtractionError("TIMEOUT", `Processing took longer than the ${spec.timeoutSeconds} s limit.`, true),
            ),
          spec.timeoutSeconds * 1000,
        )
      : undefined;

  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    const lines = (partial + chunk).split(/\r?\n|\r/);
    partial = lines.pop() ?? "";
    for (const line of lines) {
      spec.onStderrLine?.(line);
      if (!spec.quietLine?.(line)) tail.push(line + "\n");
    }
  });

  const done = new Promise<{ stderrTail: string }>((resolve, reject) => {
    child.on("error", (err: NodeJS.ErrnoException) => {
      reject(
        new ExtractionError(
          "INTERNAL",
          `Could not start ${spec.command}: ${err.code ?? err.message}`,
          false,
          String(err),
        ),
      );
    });
    child.on("close", (code, sig) => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      spec.signal?.removeEventListener("abort", onAbort);
      if (partial) {
        spec.onStderrLine?.(partial);
        tail.push(partial);
      }
      const stderrTail = tail.toString();
      if (killedFor)
        return reject(new ExtractionError(killedFor.code, killedFor.message, killedFor.retryable, stderrTail));
      if (code === 0) return resolve({ stderrTail });
      reject(classifyFailure({ exitCode: code, signal: sig, stderrTail }));
    });
  });
  // Nobody may be awaiting `done` yet when it rejects; the caller observes it later.
  done.catch(() => undefined);

  return { pid: child.pid, stdout: child.stdout, done, kill: () => kill(null) };
}

/** Runs to completion and returns stdout (bounded), e.g. ffprobe's JSON or `-version`. */
export async function runCollect(
  spec: RunSpec & { readonly maxStdoutBytes?: number },
): Promise<{ stdout: string; stderrTail: string }> {
  const max = spec.maxStdoutBytes ?? 32 * 1024 * 1024;
  const proc = run(spec);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of proc.stdout as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      proc.kill();
      throw new ExtractionError("INPUT_CORRUPT", "The video's metadata is unreasonably large.", false);
    }
    chunks.push(chunk);
  }
  const { stderrTail } = await proc.done;
  return { stdout: Buffer.concat(chunks).toString("utf8"), stderrTail };
}
