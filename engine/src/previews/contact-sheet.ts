import type { ContactSheetOptions } from "@vp/domain";
import { FILE_EXTENSIONS } from "../ffmpeg/args.js";
import { ImageSplitter } from "../ffmpeg/splitter.js";
import { ExtractionError } from "../types.js";
import { contactSheetArgs, drawableText } from "./args.js";
import { frameSeconds, onTimeline, type PreviewContext } from "./context.js";
import { planContactSheet } from "./layout.js";
import { runPictures } from "./run-pictures.js";
import type { PreviewFile } from "./types.js";

const round6 = (n: number): number => Math.round(n * 1e6) / 1e6;

/**
 * The grid is one picture, so its seeks share one process: each is a decoder held in memory
 * (measured: 16 of them on 720p H.264 peak at 267 MiB). More tiles than this are taken from one pass.
 */
export const MAX_SEEK_INPUTS = 16;

/** Seconds an accurate seek costs besides decoding (process-side work per input). */
const SEEK_OVERHEAD_SECONDS = 0.2;

export interface ContactSheetResult {
  readonly files: readonly PreviewFile[];
  readonly manifest: {
    readonly file: string;
    readonly strategy: "seek" | "decode";
    readonly columns: number;
    readonly rows: number;
    readonly tiles: readonly { readonly requestedSeconds: number; readonly timestampSeconds: number }[];
  };
}

export const hms = (seconds: number): string => {
  const t = Math.round(seconds);
  const p = (n: number): string => String(n).padStart(2, "0");
  return `${p(Math.floor(t / 3600))}:${p(Math.floor((t % 3600) / 60))}:${p(t % 60)}`;
};

/**
 * One image: evenly spread frames with their times, under a header with the name, duration, size
 * and codec. Sparse frames are sought one by one (each decodes from its keyframe), dense ones are
 * taken from one pass: whichever decodes less.
 */
export async function makeContactSheet(ctx: PreviewContext, o: ContactSheetOptions): Promise<ContactSheetResult> {
  const plan = planContactSheet(o, ctx.span, ctx.probe);
  const p = ctx.probe;
  const length = ctx.span.end - ctx.span.start;
  const gop = Math.min(p.keyframeIntervalSeconds ?? 2, length);
  const strategy =
    plan.times.length <= MAX_SEEK_INPUTS && plan.times.length * (gop / 2 + SEEK_OVERHEAD_SECONDS) < length
      ? "seek"
      : "decode";
  const fps = p.frameRate > 0 ? `${Math.round(p.frameRate * 100) / 100} fps` : "";
  const details = drawableText(
    [hms(p.durationSeconds), `${p.width}×${p.height}`, p.videoCodec, fps].filter(Boolean).join("  ·  "),
    96,
  );
  ctx.runs.count++;
  const splitter = new ImageSplitter(o.format);
  const { pictures, times } = await runPictures({
    ffmpegPath: ctx.bins.ffmpegPath,
    args: contactSheetArgs({
      source: ctx.source,
      plan,
      strategy,
      span: ctx.span,
      fontPath: await ctx.fontPath(),
      title: drawableText(ctx.displayName),
      details,
      format: o.format,
      quality: o.quality,
      frameSeconds: frameSeconds(p),
    }),
    signal: ctx.signal,
    timeoutSeconds: ctx.timeoutSeconds,
    split: (chunk) => splitter.push(chunk),
    maxBytes: 256 * 1024 * 1024,
  });
  if (pictures.length !== 1)
    throw new ExtractionError("INPUT_CORRUPT", "No frame could be decoded for the contact sheet.", false);
  const raw =
    strategy === "decode"
      ? (times.get("c") ?? [])
      : plan.times.map((_, i) => times.get(`c${i}`)?.[0]).filter((m): m is number => m !== undefined);
  const file = `contact-sheet.${FILE_EXTENSIONS[o.format]}`;
  return {
    files: [{ name: file, data: pictures[0] as Buffer }],
    manifest: {
      file,
      strategy,
      columns: plan.columns,
      rows: plan.rows,
      tiles: raw.map((m, i) => ({
        requestedSeconds: round6(plan.times[i] as number),
        timestampSeconds: onTimeline(ctx, m),
      })),
    },
  };
}
