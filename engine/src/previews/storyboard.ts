import type { StoryboardOptions } from "@vp/domain";
import { FILE_EXTENSIONS } from "../ffmpeg/args.js";
import { ImageSplitter } from "../ffmpeg/splitter.js";
import { ExtractionError } from "../types.js";
import { storyboardArgs } from "./args.js";
import { onTimeline, type PreviewContext } from "./context.js";
import { planStoryboard } from "./layout.js";
import { runPictures } from "./run-pictures.js";
import { layTiles, storyboardJson, storyboardVtt } from "./storyboard-files.js";
import type { PreviewFile } from "./types.js";

export interface StoryboardResult {
  readonly files: readonly PreviewFile[];
  readonly manifest: {
    readonly sheets: readonly string[];
    readonly vtt: string;
    readonly json: string;
    readonly intervalSeconds: number;
    readonly tiles: number;
    readonly tileWidth: number;
    readonly tileHeight: number;
    readonly columns: number;
    readonly rows: number;
    /** Each tile's frame, its true time (the first frame at or after start + k x interval). */
    readonly tileTimes: readonly number[];
  };
}

/** Sprite sheets from one decode of the range, then storyboard.vtt and storyboard.json for them. */
export async function makeStoryboard(ctx: PreviewContext, o: StoryboardOptions): Promise<StoryboardResult> {
  const plan = planStoryboard(o, ctx.span, ctx.probe);
  const ext = FILE_EXTENSIONS[o.format];
  ctx.runs.count++;
  const splitter = new ImageSplitter(o.format);
  const { pictures, times } = await runPictures({
    ffmpegPath: ctx.bins.ffmpegPath,
    args: storyboardArgs({ source: ctx.source, span: ctx.span, plan, format: o.format, quality: o.quality }),
    signal: ctx.signal,
    timeoutSeconds: ctx.timeoutSeconds,
    split: (chunk) => splitter.push(chunk),
    maxBytes: 512 * 1024 * 1024,
  });
  const frameTimes = (times.get("tile") ?? []).map((m) => onTimeline(ctx, m));
  if (frameTimes.length === 0)
    throw new ExtractionError("INPUT_CORRUPT", "No frame could be decoded for the storyboard.", false);
  const perSheet = plan.columns * plan.rows;
  if (pictures.length !== Math.ceil(frameTimes.length / perSheet))
    throw new ExtractionError(
      "INTERNAL",
      `The storyboard has ${pictures.length} sheets for ${frameTimes.length} tiles.`,
      true,
    );
  const tiles = layTiles(plan, ctx.span.start, ctx.span.end, frameTimes, ext);
  const sheets = [...new Set(tiles.map((t) => t.sheet))];
  const vtt = storyboardVtt(tiles, plan);
  const json = storyboardJson(tiles, plan, ctx.span.end - ctx.span.start);
  return {
    files: [
      ...sheets.map((name, i) => ({ name, data: pictures[i] as Buffer })),
      { name: "storyboard.vtt", data: Buffer.from(vtt) },
      { name: "storyboard.json", data: Buffer.from(JSON.stringify(json, null, 2)) },
    ],
    manifest: {
      sheets,
      vtt: "storyboard.vtt",
      json: "storyboard.json",
      intervalSeconds: plan.intervalSeconds,
      tiles: tiles.length,
      tileWidth: plan.tileWidth,
      tileHeight: plan.tileHeight,
      columns: plan.columns,
      rows: plan.rows,
      tileTimes: frameTimes,
    },
  };
}
