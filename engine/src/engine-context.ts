import type { Readable } from "node:stream";
import type { ExtractionOptions } from "@vp/domain";
import { buildExtractArgs, type OutputSize } from "./ffmpeg/args.js";
import { frameSource, type DecodedFrame, type RawFrame } from "./ffmpeg/frame-source.js";
import type { FfmpegBinaries } from "./ffmpeg/resolve-ffmpeg.js";
import type { ProbeResult } from "./types.js";
import type { KeyframeIndex } from "./sampling/keyframe-index.js";

/** What one extraction knows once planned, shared by the ways frames are produced (seek-frames.ts, segment-frames.ts). */
export interface EngineContext {
  readonly bins: FfmpegBinaries;
  readonly probe: ProbeResult;
  readonly options: ExtractionOptions;
  readonly signal: AbortSignal;
  readonly size: OutputSize;
  readonly concurrency: number;
  readonly cores: number;
  readonly cap: number;
  readonly url: string;
  readonly origin: number;
  readonly seeksPerProcess: number;
  /** ffmpeg processes started, for the result. */
  readonly runs: { count: number };
  /** Fast paths (seek batches, keyframe spans) that failed and were answered by the plain path instead. */
  readonly fallbacks: { count: number };
  /** The frame picker (native/picker-binary.ts), or null: the ffmpeg command line alone. */
  readonly picker: string | null;
  /** Picker runs started (each with its encoding ffmpeg), for the result. */
  readonly picks: { count: number };
  /** Every keyframe, from the packets: where each decode starts. */
  readonly index: KeyframeIndex;
  /**
   * The earliest time an accurate seek found no frame at or after: the stream really ends before
   * it, whatever duration the container declares, so no later target is sought again (a file
   * claiming 10,000 s that holds 10 s would otherwise start one ffmpeg per target past its end).
   */
  readonly end: { noFrameFrom: number };
}

/** Decoder threads per process: the cores shared among the processes running at once. */
export const threadsFor = (ctx: EngineContext, running: number): number =>
  Math.max(1, Math.floor(ctx.cores / Math.max(1, running)));

/** Starts one ffmpeg extraction of the input (or of our own concat script of it): frames with ffmpeg's raw times. */
export function source(
  ctx: EngineContext,
  s: {
    seek?: number;
    concatScript?: string;
    /** The picker's output: raw pictures in NUT on ffmpeg's stdin. */
    stdin?: Readable;
    duration?: number;
    keyframesOnly?: boolean;
    threads?: number;
    maxFrames?: number;
    filters: string[];
  },
): AsyncGenerator<RawFrame> {
  const args = buildExtractArgs(
    {
      url: s.stdin
        ? "pipe:0"
        : s.concatScript
          ? `data:text/plain;base64,${Buffer.from(s.concatScript).toString("base64")}`
          : ctx.url,
      ...(s.concatScript ? { concat: true } : {}),
      ...(s.stdin ? { piped: true } : {}),
      ...(s.seek !== undefined ? { seek: s.seek } : {}),
      ...(s.duration !== undefined ? { duration: s.duration } : {}),
      ...(s.keyframesOnly ? { keyframesOnly: true } : {}),
      ...(s.threads !== undefined ? { threads: s.threads } : {}),
    },
    {
      filters: s.filters,
      format: ctx.options.format,
      quality: ctx.options.quality,
      ...(s.maxFrames !== undefined ? { maxFrames: s.maxFrames } : {}),
      fpsModeFlag: ctx.bins.outdated ? "-vsync" : "-fps_mode",
    },
  );
  ctx.runs.count++;
  return frameSource({
    ffmpegPath: ctx.bins.ffmpegPath,
    args,
    format: ctx.options.format,
    signal: ctx.signal,
    ...(s.stdin ? { stdin: s.stdin } : {}),
  });
}

/** ffmpeg's raw time (-copyts, microseconds) on the video's timeline (seconds, microsecond precision). */
export const onTimeline = (ctx: EngineContext, micros: number): number => Math.round(micros - ctx.origin * 1e6) / 1e6;

export async function* timed(ctx: EngineContext, frames: AsyncGenerator<RawFrame>): AsyncGenerator<DecodedFrame> {
  for await (const f of frames) yield { data: f.data, seconds: onTimeline(ctx, f.micros) };
}

/** Three frame intervals past a target; a second where frame intervals vary (screen recordings pause for seconds). */
export const outpointMargin = (p: ProbeResult): number =>
  p.variableFrameRate || !(p.frameRate > 0) ? 1 : Math.max(0.05, 3 / p.frameRate);

/** Containers whose seek lands on a true keyframe through an index; elsewhere (MPEG-TS) seeks are per target. */
export const INDEXED_FORMATS = /^(mov,mp4|matroska,webm$)/;

/**
 * Codecs whose decoder cannot follow our concat scripts' jumps: HEVC's open-GOP keyframes (CRA)
 * are decoded mid-sequence there, so their picture order counts collide ("Duplicate POC in a
 * sequence") or wrap (a jump of more than 128 frames), and frames come out with repeated times.
 * They take the plain paths (one accurate seek per target, segments decoded straight through).
 */
export const CONCAT_UNSAFE_CODECS: ReadonlySet<string> = new Set(["hevc", "vvc"]);

export const batchable = (ctx: EngineContext): boolean => {
  const tb = ctx.probe.timeBase;
  return (
    !ctx.bins.outdated &&
    tb !== undefined &&
    tb.den <= tb.num * 1e6 &&
    INDEXED_FORMATS.test(ctx.probe.formatName) &&
    !CONCAT_UNSAFE_CODECS.has(ctx.probe.videoCodec)
  );
};
