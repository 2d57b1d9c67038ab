import type { Readable } from "node:stream";
import type { ImageFormat } from "@vp/domain";
import { run } from "./runner.js";
import { ImageSplitter } from "./splitter.js";
import { ExtractionError } from "../types.js";

export interface DecodedFrame {
  readonly data: Buffer;
  /** Presentation time on the video's timeline (seconds, microsecond precision). */
  readonly seconds: number;
}

export interface RawFrame {
  readonly data: Buffer;
  /** The pts showinfo logged after settb=AVTB: microseconds on ffmpeg's input timeline (-copyts). */
  readonly micros: number;
}

export interface FrameSourceSpec {
  readonly ffmpegPath: string;
  readonly args: readonly string[];
  readonly format: ImageFormat;
  readonly signal: AbortSignal;
  /** What ffmpeg reads as `pipe:0` (the frame picker's output, see native/picked-frames.ts). */
  readonly stdin?: Readable;
}

// showinfo after settb=AVTB: integer pts in microseconds.
const SHOWINFO = /Parsed_showinfo_\d+ @ [^\]]+\] n:\s*\d+ pts:\s*(-?\d+)/;
const isShowinfo = (line: string): boolean => line.includes("Parsed_showinfo_");

/**
 * Runs one ffmpeg extraction and yields its images in order, each paired with the raw time that
 * showinfo logged for it. Pulling drives the pipe: a slow consumer stalls ffmpeg (bounded memory).
 */
export async function* frameSource(spec: FrameSourceSpec): AsyncGenerator<RawFrame> {
  const times: number[] = [];
  let waiter: (() => void) | null = null;
  const proc = run({
    command: spec.ffmpegPath,
    args: spec.args,
    signal: spec.signal,
    ...(spec.stdin ? { stdin: spec.stdin } : {}),
    quietLine: isShowinfo,
    onStderrLine: (line) => {
      const m = SHOWINFO.exec(line);
      if (!m) return;
      times.push(Number(m[1]));
      waiter?.();
    },
  });
  const exited = proc.done.then(
    () => undefined,
    () => undefined,
  );
  void exited.then(() => waiter?.());
  const splitter = new ImageSplitter(spec.format);
  let delivered = 0;
  try {
    try {
      for await (const chunk of proc.stdout as AsyncIterable<Buffer>) {
        for (const image of safeSplit(splitter, chunk, proc)) {
          // The timestamp line normally precedes the image; wait for it when the pipes raced.
          while (times.length <= delivered) {
            const exitedNow = await Promise.race([
              new Promise<boolean>((r) => (waiter = () => r(false))),
              exited.then(() => true),
            ]);
            waiter = null;
            if (exitedNow && times.length <= delivered) break;
          }
          if (times.length <= delivered) {
            await proc.done;
            throw new ExtractionError("INTERNAL", "The decoder produced an image without a timestamp.", true);
          }
          const micros = times[delivered] as number;
          delivered++;
          yield { data: image, micros };
        }
      }
    } catch (err) {
      // A killed or failed process explains a broken pipe better than the pipe does.
      await proc.done;
      throw err;
    }
    await proc.done;
    if (splitter.pending > 0)
      throw new ExtractionError("INPUT_CORRUPT", "The decoder stopped in the middle of an image.", true);
  } finally {
    proc.kill();
  }
}

function safeSplit(splitter: ImageSplitter, chunk: Buffer, proc: { kill(): void }): Buffer[] {
  try {
    return splitter.push(chunk);
  } catch (err) {
    proc.kill();
    throw new ExtractionError("INTERNAL", "The decoder's image stream could not be read.", true, String(err));
  }
}
