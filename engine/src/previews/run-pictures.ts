import { run } from "../ffmpeg/runner.js";
import { ExtractionError } from "../types.js";

/**
 * Runs one preview's ffmpeg (through the engine's runner) and gathers what it wrote to stdout, cut
 * into pictures by `split`, with the true times its named showinfo filters logged (raw
 * microseconds, by instance name: `showinfo@tile` logs under "tile").
 */
export interface PictureRun {
  readonly ffmpegPath: string;
  readonly args: readonly string[];
  readonly signal: AbortSignal;
  readonly timeoutSeconds: number;
  /** Cuts stdout into pictures; absent: stdout is one picture (an animation). */
  readonly split?: (chunk: Buffer) => Buffer[];
  /** Called for each picture as it arrives, instead of keeping them (the analysis pass streams). */
  readonly onPicture?: (picture: Buffer) => void;
  /** stdout may not pass this many bytes. */
  readonly maxBytes: number;
}

export interface PictureResult {
  readonly pictures: Buffer[];
  readonly times: ReadonlyMap<string, number[]>;
}

const NAMED_SHOWINFO = /\[showinfo@(\w+) @ [^\]]+\] n:\s*\d+ pts:\s*(-?\d+)/;

export async function runPictures(spec: PictureRun): Promise<PictureResult> {
  const times = new Map<string, number[]>();
  const proc = run({
    command: spec.ffmpegPath,
    args: spec.args,
    signal: spec.signal,
    timeoutSeconds: spec.timeoutSeconds,
    quietLine: (line) => line.includes("[showinfo@"),
    onStderrLine: (line) => {
      const m = NAMED_SHOWINFO.exec(line);
      if (!m) return;
      const list = times.get(m[1] as string) ?? [];
      list.push(Number(m[2]));
      times.set(m[1] as string, list);
    },
  });
  const pictures: Buffer[] = [];
  const whole: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of proc.stdout as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > spec.maxBytes) {
        proc.kill();
        throw new ExtractionError("INTERNAL", `A preview run wrote more than ${spec.maxBytes} bytes.`, false);
      }
      if (!spec.split) whole.push(chunk);
      else
        for (const p of spec.split(chunk)) {
          if (spec.onPicture) spec.onPicture(p);
          else pictures.push(p);
        }
    }
  } catch (err) {
    await proc.done.catch(() => undefined);
    throw err;
  }
  await proc.done;
  if (!spec.split) pictures.push(Buffer.concat(whole));
  return { pictures, times };
}

/** Fixed-size raw pictures (rawvideo gray): cut every `bytes`. */
export function rawSplitter(bytes: number): (chunk: Buffer) => Buffer[] {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    const out: Buffer[] = [];
    while (pending.length >= bytes) {
      out.push(Buffer.from(pending.subarray(0, bytes)));
      pending = pending.subarray(bytes);
    }
    return out;
  };
}
