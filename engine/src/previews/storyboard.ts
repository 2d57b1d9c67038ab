import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ExtractionOptionsOf, StoryboardOptions } from "@vp/domain";
import { FILE_EXTENSIONS } from "../ffmpeg/args.js";
import { ImageSplitter } from "../ffmpeg/splitter.js";
import { planSampling } from "../sampled-frames.js";
import { TIME_EPSILON } from "../sampling/targets.js";
import { ExtractionError } from "../types.js";
import { sheetArgs, TILE_PATTERN, tileFileName } from "./args.js";
import type { PreviewContext } from "./context.js";
import { planStoryboard, type Span, type StoryboardPlan } from "./layout.js";
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
    /** How the engine's planner took the tiles (seek-parallel, segmented-decode). */
    readonly strategy: string;
  };
}

/**
 * The tiles are an INTERVAL sampling at the tile size: the engine's own plan (seek batches,
 * keyframe spans or segments over the cores, with their fallbacks) decodes only what the tile
 * times need, where one pass would decode the whole range. Each small lossless tile waits in a
 * scratch folder (bounded memory), then one ffmpeg lays them out into the sheets.
 */
export async function makeStoryboard(ctx: PreviewContext, o: StoryboardOptions): Promise<StoryboardResult> {
  const plan = planStoryboard(o, ctx.span, ctx.probe);
  const ext = FILE_EXTENSIONS[o.format];
  const sampling = await planSampling({
    bins: ctx.bins,
    probe: ctx.probe,
    inputPath: ctx.inputPath,
    signal: ctx.signal,
    // The storyboard bounds its own tile count (layout.ts); the job's frame cap is for its frames.
    limits: { ...ctx.limits, maxFrames: plan.count },
    options: tileOptions(plan, ctx.span),
    size: { scaleWidth: plan.tileWidth, scaleHeight: plan.tileHeight, width: plan.tileWidth, height: plan.tileHeight },
  });
  const dir = await mkdtemp(path.join(tmpdir(), "vp-storyboard-"));
  try {
    const frameTimes: number[] = [];
    try {
      for await (const f of sampling.frames()) {
        if (ctx.signal.aborted) throw ctx.signal.reason;
        // A tile time past the last frame: the planner answers it with that earlier frame; a tile is the frame at or after.
        if (f.requestedSeconds !== null && f.seconds < f.requestedSeconds - TIME_EPSILON) continue;
        await writeFile(path.join(dir, tileFileName(frameTimes.length)), f.data);
        frameTimes.push(f.seconds);
      }
    } finally {
      ctx.runs.count += sampling.ctx.runs.count;
    }
    if (frameTimes.length === 0)
      throw new ExtractionError("INPUT_CORRUPT", "No frame could be decoded for the storyboard.", false);
    ctx.runs.count++;
    const splitter = new ImageSplitter(o.format);
    const { pictures } = await runPictures({
      ffmpegPath: ctx.bins.ffmpegPath,
      args: sheetArgs({ pattern: path.join(dir, TILE_PATTERN), plan, format: o.format, quality: o.quality }),
      signal: ctx.signal,
      timeoutSeconds: ctx.timeoutSeconds,
      split: (chunk) => splitter.push(chunk),
      maxBytes: 512 * 1024 * 1024,
    });
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
        strategy: sampling.plan.strategy,
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The tile times as the engine's INTERVAL mode: span.start + k x interval, k < plan.count (targets.ts). */
const tileOptions = (plan: StoryboardPlan, span: Span): ExtractionOptionsOf<"INTERVAL"> => ({
  mode: "INTERVAL",
  intervalSeconds: plan.intervalSeconds,
  startSeconds: span.start,
  endSeconds: span.end,
  // Lossless and quick to write (quality 100: PNG's fastest level); the sheet is encoded once, at the end.
  format: "PNG",
  quality: 100,
  fit: "FILL",
  allowUpscale: true,
  maxFrames: plan.count,
});
