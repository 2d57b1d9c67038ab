import type { ExtractionOptions } from "@vp/domain";
import type { FfmpegBinaries } from "../ffmpeg/resolve-ffmpeg.js";
import type { ExtractRequest, ProbeResult } from "../types.js";
import type { Source } from "./args.js";
import type { Span } from "./layout.js";

/** What every preview run knows: the binaries, the probed video, the range, the abort signal. */
export interface PreviewContext {
  readonly bins: FfmpegBinaries;
  readonly probe: ProbeResult;
  readonly options: ExtractionOptions;
  readonly source: Source;
  /** The input file and the job's limits: a storyboard plans its tiles as the engine plans frames. */
  readonly inputPath: string;
  readonly limits: ExtractRequest["limits"];
  readonly span: Span;
  readonly signal: AbortSignal;
  readonly timeoutSeconds: number;
  /** A TrueType font for drawtext (DejaVu Sans); resolved once (font.ts). */
  readonly fontPath: () => Promise<string>;
  /** The video's name as shown in the contact sheet's header. */
  readonly displayName: string;
  /** ffmpeg processes started. */
  readonly runs: { count: number };
}

/** Raw ffmpeg microseconds (-copyts) on the video's timeline, in seconds. */
export const onTimeline = (ctx: PreviewContext, micros: number): number =>
  Math.round(micros - ctx.source.origin * 1e6) / 1e6;

export const frameSeconds = (p: ProbeResult): number => (p.frameRate > 0 ? 1 / p.frameRate : 1 / 30);
