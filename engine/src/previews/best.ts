import type { ExtractionOptionsOf } from "@vp/domain";
import { FILE_EXTENSIONS, outputSize } from "../ffmpeg/args.js";
import { ImageSplitter } from "../ffmpeg/splitter.js";
import { ExtractionError, type ManifestFrame } from "../types.js";
import { analysisArgs, framesAtArgs } from "./args.js";
import { selectBest, type Candidate, type Rejection, type Scores } from "./best-select.js";
import { frameSeconds, onTimeline, type PreviewContext } from "./context.js";
import { pictureStats } from "./image-stats.js";
import { tileHeightFor } from "./layout.js";
import { rawSplitter, runPictures } from "./run-pictures.js";
import type { PreviewFile } from "./types.js";

/** Width of the grey pictures the candidates are judged on: enough for blur, cheap to scale and measure. */
export const ANALYSIS_WIDTH = 256;
/** Accurate seeks one ffmpeg answers for the chosen frames (each one a decoder held in memory). */
export const SEEKS_PER_PROCESS = 6;

export interface BestFrame extends ManifestFrame {
  readonly scores: Scores;
}

export interface BestResult {
  readonly files: readonly PreviewFile[];
  readonly frames: readonly BestFrame[];
  readonly manifest: {
    readonly candidates: number;
    readonly candidateSource: "keyframes" | "sample";
    readonly scenes: number;
    readonly rejected: readonly Rejection[];
  };
}

/**
 * Candidates from keyframes when the video has enough of them (nothing else is decoded), else from
 * an evenly spread sample of one low-cost pass; each judged on a small grey picture.
 */
export function candidatePlan(
  n: number,
  length: number,
  keyframeIntervalSeconds: number | null,
): { keyframesOnly: boolean; sample?: { count: number } } {
  const wanted = Math.max(3 * n, 24);
  if (keyframeIntervalSeconds !== null && keyframeIntervalSeconds > 0 && length / keyframeIntervalSeconds >= wanted)
    return { keyframesOnly: true };
  return { keyframesOnly: false, sample: { count: Math.min(160, Math.max(6 * n, 64)) } };
}

/** BEST: the `count` frames a person would pick, with their scores and why the others were not. */
export async function makeBest(ctx: PreviewContext, o: ExtractionOptionsOf<"COUNT">): Promise<BestResult> {
  const p = ctx.probe;
  const length = ctx.span.end - ctx.span.start;
  const aw = Math.min(ANALYSIS_WIDTH, 2 * Math.floor(p.width / 2));
  const ah = tileHeightFor(aw, p.width, p.height);
  const how = candidatePlan(o.count, length, p.keyframeIntervalSeconds);
  const stats: ReturnType<typeof pictureStats>[] = [];
  ctx.runs.count++;
  const { times } = await runPictures({
    ffmpegPath: ctx.bins.ffmpegPath,
    args: analysisArgs({ source: ctx.source, span: ctx.span, ...how, width: aw, height: ah }),
    signal: ctx.signal,
    timeoutSeconds: ctx.timeoutSeconds,
    split: rawSplitter(aw * ah),
    onPicture: (px) => void stats.push(pictureStats(px, aw, ah)),
    maxBytes: Number.MAX_SAFE_INTEGER,
  });
  const raw = times.get("cand") ?? [];
  const candidates: Candidate[] = stats
    .slice(0, raw.length)
    .map((s, i) => ({ ...s, seconds: onTimeline(ctx, raw[i] as number) }));
  if (candidates.length === 0)
    throw new ExtractionError("INPUT_CORRUPT", "No frame could be decoded from the video.", false);
  const selection = selectBest(candidates, o.count, ctx.span);
  if (selection.chosen.length === 0)
    throw new ExtractionError(
      "INPUT_CORRUPT",
      "No frame of the video is usable as a thumbnail: every candidate was black, flat, faded or blurred.",
      false,
    );

  const size = outputSize(p.width, p.height, o);
  const sizeFilters = [
    ...(size.scaleWidth !== p.width || size.scaleHeight !== p.height
      ? [`scale=${size.scaleWidth}:${size.scaleHeight}:flags=bicubic`]
      : []),
    ...(size.width !== size.scaleWidth || size.height !== size.scaleHeight
      ? [`crop=${size.width}:${size.height}`]
      : []),
  ];
  // A few seeks per process: each input is a decoder in memory, and the frames need no common picture.
  const wanted = selection.chosen.map((c) => c.timestampSeconds);
  const pictures: Buffer[] = [];
  const decodedAt: (number | undefined)[] = [];
  for (let from = 0; from < wanted.length; from += SEEKS_PER_PROCESS) {
    const times = wanted.slice(from, from + SEEKS_PER_PROCESS);
    ctx.runs.count++;
    const splitter = new ImageSplitter(o.format);
    const got = await runPictures({
      ffmpegPath: ctx.bins.ffmpegPath,
      args: framesAtArgs({
        source: ctx.source,
        times,
        sizeFilters,
        format: o.format,
        quality: o.quality,
        frameSeconds: frameSeconds(p),
      }),
      signal: ctx.signal,
      timeoutSeconds: ctx.timeoutSeconds,
      split: (chunk) => splitter.push(chunk),
      maxBytes: 1024 * 1024 * 1024,
    });
    pictures.push(...got.pictures);
    decodedAt.push(...times.map((_, i) => got.times.get(`f${i}`)?.[0]));
  }
  if (pictures.length !== wanted.length)
    throw new ExtractionError("INTERNAL", `${pictures.length} of the ${wanted.length} best frames were decoded.`, true);
  const ext = FILE_EXTENSIONS[o.format];
  const frames: BestFrame[] = selection.chosen.map((c, i) => {
    const m = decodedAt[i];
    const actual = m !== undefined ? onTimeline(ctx, m) : c.timestampSeconds;
    // The seek lands on the analysed frame itself: its time is the one the cheap pass logged.
    if (Math.abs(actual - c.timestampSeconds) > 1e-3)
      throw new ExtractionError(
        "INTERNAL",
        `The best frame at ${c.timestampSeconds} s was decoded at ${actual} s.`,
        true,
      );
    return {
      file: `frame_${String(i + 1).padStart(6, "0")}.${ext}`,
      index: i + 1,
      requestedSeconds: null,
      timestampSeconds: actual,
      scores: c.scores,
    };
  });
  return {
    files: frames.map((f, i) => ({ name: f.file, data: pictures[i] as Buffer })),
    frames,
    manifest: {
      candidates: candidates.length,
      candidateSource: how.keyframesOnly ? "keyframes" : "sample",
      scenes: selection.scenes,
      rejected: selection.rejected,
    },
  };
}
