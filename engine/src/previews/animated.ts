import type { AnimatedPreviewOptions } from "@vp/domain";
import { ExtractionError } from "../types.js";
import { animatedArgs } from "./args.js";
import type { PreviewContext } from "./context.js";
import { planAnimated } from "./layout.js";
import { runPictures } from "./run-pictures.js";
import type { PreviewFile } from "./types.js";

export interface Encoding {
  readonly width: number;
  readonly fps: number;
  readonly quality: number;
}

export interface AnimatedResult {
  readonly files: readonly PreviewFile[];
  readonly manifest: {
    readonly clips: readonly { readonly start: number; readonly end: number }[];
    readonly outputs: readonly ({
      readonly file: string;
      readonly bytes: number;
      readonly attempts: number;
    } & Encoding)[];
  };
}

/**
 * The encodings tried in turn until the animation fits its byte budget: lower quality first (cheap
 * in looks), then fewer frames per second, then a smaller picture.
 */
export function budgetLadder(width: number, fps: number, format: "WEBP" | "GIF"): Encoding[] {
  const steps: Encoding[] =
    format === "WEBP" ? [70, 50, 35].map((quality) => ({ width, fps, quality })) : [{ width, fps, quality: 0 }];
  const last = steps[steps.length - 1] as Encoding;
  const slower = Math.max(2, Math.floor(fps / 2));
  if (slower < fps) steps.push({ ...last, fps: slower });
  for (const share of [0.75, 0.5]) {
    const w = Math.max(64, 2 * Math.round((width * share) / 2));
    if (w < (steps[steps.length - 1] as Encoding).width) steps.push({ ...last, fps: slower, width: w });
  }
  return steps;
}

/**
 * RIFF's size field: ffmpeg's WebP muxer cannot go back to fill it in on a pipe, so the header says 0
 * and the size it meant to write lands after the last chunk instead. The animation's chunks are
 * whole: keep exactly them, then set the header (size of everything after the first 8 bytes).
 */
export function fixRiffSize(webp: Buffer): Buffer {
  if (webp.length < 12 || webp.toString("latin1", 0, 4) !== "RIFF" || webp.toString("latin1", 8, 12) !== "WEBP")
    return webp;
  let end = 12;
  while (end + 8 <= webp.length) {
    const size = webp.readUInt32LE(end + 4);
    const next = end + 8 + size + (size % 2);
    if (next > webp.length) break;
    end = next;
  }
  const whole = webp.subarray(0, end);
  whole.writeUInt32LE(end - 8, 4);
  return whole;
}

/** The hover preview: an animated WebP (and a GIF when asked), each within `maxBytes`. */
export async function makeAnimated(ctx: PreviewContext, o: AnimatedPreviewOptions): Promise<AnimatedResult> {
  const plan = planAnimated(o, ctx.span);
  if (plan.clips.some((c) => c.end <= c.start || c.start >= ctx.probe.durationSeconds))
    throw new ExtractionError("INVALID_OPTIONS", "animated: the clip lies outside the video.", false);
  const width = Math.min(plan.width, 2 * Math.floor(ctx.probe.width / 2));
  const files: PreviewFile[] = [];
  const outputs: ({ file: string; bytes: number; attempts: number } & Encoding)[] = [];
  for (const format of o.gif ? (["WEBP", "GIF"] as const) : (["WEBP"] as const)) {
    const ladder = budgetLadder(width, plan.fps, format);
    let attempts = 0;
    let fitted: { data: Buffer; enc: Encoding } | null = null;
    for (const enc of ladder) {
      attempts++;
      ctx.runs.count++;
      const { pictures } = await runPictures({
        ffmpegPath: ctx.bins.ffmpegPath,
        args: animatedArgs({
          source: ctx.source,
          clips: plan.clips,
          width: enc.width,
          fps: enc.fps,
          format,
          quality: enc.quality,
        }),
        signal: ctx.signal,
        timeoutSeconds: ctx.timeoutSeconds,
        maxBytes: Math.max(8 * o.maxBytes, 64 * 1024 * 1024),
      });
      const data = format === "WEBP" ? fixRiffSize(pictures[0] as Buffer) : (pictures[0] as Buffer);
      if (data.length === 0)
        throw new ExtractionError("INPUT_CORRUPT", "No frame could be decoded for the animated preview.", false);
      if (data.length <= o.maxBytes) {
        fitted = { data, enc };
        break;
      }
    }
    if (!fitted)
      throw new ExtractionError(
        "INVALID_OPTIONS",
        `animated.maxBytes: the ${format} preview does not fit in ${o.maxBytes} bytes even at ${ladder[ladder.length - 1]?.width} px and ${ladder[ladder.length - 1]?.fps} fps; allow more bytes, fewer or shorter clips.`,
        false,
      );
    const file = `preview.${format === "WEBP" ? "webp" : "gif"}`;
    files.push({ name: file, data: fitted.data });
    outputs.push({ file, bytes: fitted.data.length, attempts, ...fitted.enc });
  }
  return { files, manifest: { clips: plan.clips, outputs } };
}
