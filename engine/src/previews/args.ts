import type { ImageFormat } from "@vp/domain";
import { encoderArgs, num, secs } from "../ffmpeg/args.js";
import type { ContactSheetPlan, Span, StoryboardPlan } from "./layout.js";

/**
 * The previews' ffmpeg arguments, as data: one pure builder per run, asserted exactly by
 * args.test.ts. Times in `Span`s and lists are on the video's timeline; `origin` is where ffmpeg's
 * own (-copyts) timeline puts its zero. Which process runs them is the engine's one runner.
 */

export interface Source {
  /** A `file:` URL: the only input ffmpeg may open. */
  readonly url: string;
  /** The container's start time: raw ffmpeg time = timeline time + origin. */
  readonly origin: number;
  readonly threads: number;
}

const COMMON = ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", "-protocol_whitelist", "file"];
const VIDEO_ONLY = ["-map", "0:v:0", "-an", "-sn", "-dn"];
const PIPE_IMAGES = ["-f", "image2pipe", "pipe:1"];
/** Filter instance names label showinfo's log lines, so each picture's true time is read back by name. */
export const SHOWINFO = (name: string): string => `settb=AVTB,showinfo@${name}=checksum=0`;

/** Index of the target start + k·step at or before time v (raw seconds); microsecond slack for rounding. */
const k = (v: string, rawStart: number, step: number): string => `floor((${v}-${num(rawStart)}+0.000001)/${num(step)})`;

/**
 * The first frame at or after each of `count` targets rawStart + k·step: a frame is kept when a
 * target falls in (previous frame, this frame]. Stateless, exact on any frame rate.
 */
export function targetsSelect(rawStart: number, step: number, count: number): string {
  const at = (v: string): string => k(v, rawStart, step);
  return `select='if(isnan(prev_t),gte(${at("t")},0),gt(${at("t")},${at("prev_t")})*lt(${at("prev_t")},${count - 1}))'`;
}

/** Characters a path or a text may not hold inside a filter graph without escaping: refused or replaced instead. */
const FILTER_UNSAFE = /[^\p{L}\p{N} ._()+\-/]/gu;
const TEXT_UNSAFE = /[^\p{L}\p{N} ._()+\-/·×:]/gu;

/**
 * A text shown with drawtext (expansion off) inside single quotes: letters, digits and a few marks
 * kept, the rest replaced, and the one special character left, `:`, escaped.
 */
export const drawableText = (s: string, max = 64): string => {
  const clean = [...s.replace(TEXT_UNSAFE, "_")];
  const cut = clean.length > max ? `${clean.slice(0, max - 1).join("")}…` : clean.join("");
  return cut.replaceAll(":", "\\:");
};

export function checkFontPath(path: string): string {
  if (path.replace(FILTER_UNSAFE, "") !== path || !path.startsWith("/"))
    throw new Error(`font path ${JSON.stringify(path)} cannot be used in a filter graph`);
  return path;
}

/** The storyboard's tiles in its scratch folder, in time order, numbered from 0. */
export const TILE_PATTERN = "tile_%06d.png";
export const tileFileName = (index: number): string => `tile_${String(index).padStart(6, "0")}.png`;

export interface SheetArgs {
  /** The tiles' files (TILE_PATTERN in a folder), already at the tile size. */
  readonly pattern: string;
  readonly plan: StoryboardPlan;
  readonly format: ImageFormat;
  readonly quality: number;
}

/** The tiles laid out into sheets, columns x rows each (the last sheet's empty cells black). */
export function sheetArgs(a: SheetArgs): string[] {
  return [
    ...COMMON,
    "-f",
    "image2",
    "-framerate",
    "1",
    "-start_number",
    "0",
    "-i",
    a.pattern,
    "-vf",
    `setsar=1,tile=${a.plan.columns}x${a.plan.rows}`,
    "-fps_mode",
    "passthrough",
    ...encoderArgs(a.format, a.quality),
    ...PIPE_IMAGES,
  ];
}

export interface ContactSheetArgs {
  readonly source: Source;
  readonly plan: ContactSheetPlan;
  /** `seek`: one accurate seek per tile (sparse frames); `decode`: one pass over the span (dense ones). */
  readonly strategy: "seek" | "decode";
  readonly span: Span;
  readonly fontPath: string;
  /** Header lines, already made drawable (drawableText). */
  readonly title: string;
  readonly details: string;
  readonly format: ImageFormat;
  readonly quality: number;
  /** A frame interval: how far past a seek point a tile's frame may lie. */
  readonly frameSeconds: number;
}

/** Each tile: scaled, its true time logged, its time drawn in its corner. */
function tileFilters(a: ContactSheetArgs, name: string): string[] {
  const { plan } = a;
  const offset = a.source.origin !== 0 ? `\\:${num(-a.source.origin)}` : "";
  return [
    `scale=${plan.tileWidth}:${plan.tileHeight}:flags=bicubic`,
    "setsar=1",
    SHOWINFO(name),
    `drawtext=fontfile=${checkFontPath(a.fontPath)}:text='%{pts\\:hms${offset}}':fontsize=${plan.fontSize}:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=4:x=w-tw-8:y=h-th-8`,
  ];
}

/** The grid, a band on top, and the video's name and facts in it. */
function sheetFilters(a: ContactSheetArgs): string[] {
  const { plan } = a;
  const font = checkFontPath(a.fontPath);
  const g = plan.gap;
  return [
    `tile=${plan.columns}x${plan.rows}:margin=${g}:padding=${g}:color=0x1c1c1c`,
    `pad=iw:ih+${plan.headerHeight}:0:${plan.headerHeight}:color=0x1c1c1c`,
    `drawtext=fontfile=${font}:expansion=none:text='${a.title}':fontsize=${Math.round(plan.fontSize * 1.4)}:fontcolor=white:x=${g * 2}:y=${g * 2}`,
    `drawtext=fontfile=${font}:expansion=none:text='${a.details}':fontsize=${plan.fontSize}:fontcolor=0xd0d0d0:x=${g * 2}:y=${g * 2 + Math.round(plan.fontSize * 2.1)}`,
  ];
}

export function contactSheetArgs(a: ContactSheetArgs): string[] {
  const { plan, source } = a;
  const tail = ["-frames:v", "1", "-fps_mode", "passthrough", ...encoderArgs(a.format, a.quality), ...PIPE_IMAGES];
  if (a.strategy === "decode") {
    const step = (a.span.end - a.span.start) / plan.times.length;
    return [
      ...COMMON,
      "-threads",
      String(source.threads),
      "-ss",
      secs(plan.times[0] as number),
      "-t",
      secs(a.span.end - (plan.times[0] as number)),
      "-copyts",
      "-i",
      source.url,
      ...VIDEO_ONLY,
      "-vf",
      [
        targetsSelect(source.origin + (plan.times[0] as number), step, plan.times.length),
        ...tileFilters(a, "c"),
        ...sheetFilters(a),
      ].join(","),
      ...tail,
    ];
  }
  const inputs = plan.times.flatMap((t) => [
    "-threads",
    "1",
    "-ss",
    secs(t),
    "-t",
    secs(Math.max(0.5, 3 * a.frameSeconds)),
    "-i",
    source.url,
  ]);
  const chains = plan.times.map((_, i) => `[${i}:v]trim=end_frame=1,${tileFilters(a, `c${i}`).join(",")}[t${i}]`);
  const labels = plan.times.map((_, i) => `[t${i}]`).join("");
  return [
    ...COMMON,
    "-copyts",
    ...inputs,
    "-filter_complex",
    `${chains.join(";")};${labels}concat=n=${plan.times.length}:v=1:a=0,${sheetFilters(a).join(",")}`,
    "-an",
    ...tail,
  ];
}

export interface AnimatedArgs {
  readonly source: Source;
  readonly clips: readonly Span[];
  readonly width: number;
  readonly fps: number;
  readonly format: "WEBP" | "GIF";
  /** WEBP only: 1..100. */
  readonly quality: number;
}

/** The clips one after another (an accurate seek each), at a fixed rate and width, as one animation that loops. */
export function animatedArgs(a: AnimatedArgs): string[] {
  const inputs = a.clips.flatMap((c) => ["-ss", secs(c.start), "-t", secs(c.end - c.start), "-i", a.source.url]);
  const chains = a.clips.map(
    (_, i) => `[${i}:v]fps=${a.fps},scale=${a.width}:-2:flags=lanczos,setsar=1,format=yuv420p[c${i}]`,
  );
  const joined = `${a.clips.map((_, i) => `[c${i}]`).join("")}concat=n=${a.clips.length}:v=1:a=0`;
  const graph =
    a.format === "GIF"
      ? `${chains.join(";")};${joined},split[g0][g1];[g0]palettegen=max_colors=128:stats_mode=diff[p];[g1][p]paletteuse=dither=bayer:bayer_scale=4:diff_mode=rectangle`
      : `${chains.join(";")};${joined}`;
  const encoder =
    a.format === "GIF"
      ? ["-loop", "0", "-f", "gif"]
      : [
          "-c:v",
          "libwebp",
          "-lossless",
          "0",
          "-quality",
          String(a.quality),
          "-compression_level",
          "4",
          "-loop",
          "0",
          "-f",
          "webp",
        ];
  return [
    ...COMMON,
    "-threads",
    String(a.source.threads),
    ...inputs,
    "-filter_complex",
    graph,
    "-an",
    ...encoder,
    "pipe:1",
  ];
}

export interface AnalysisArgs {
  readonly source: Source;
  readonly span: Span;
  /** Decode keyframes only (cheap), or the referenced frames and keep `sample` evenly spread ones. */
  readonly keyframesOnly: boolean;
  readonly sample?: { readonly count: number };
  readonly width: number;
  readonly height: number;
}

/** The cheap pass for best thumbnails: small grey pictures, raw, each with its true time logged. */
export function analysisArgs(a: AnalysisArgs): string[] {
  const step = a.sample ? (a.span.end - a.span.start) / a.sample.count : 0;
  return [
    ...COMMON,
    "-threads",
    String(a.source.threads),
    // The sample skips frames nothing refers to (B-frames, mostly): fewer to decode, every one kept still real.
    "-skip_frame",
    a.keyframesOnly ? "nokey" : "noref",
    "-ss",
    secs(a.span.start),
    "-t",
    secs(a.span.end - a.span.start),
    "-copyts",
    "-i",
    a.source.url,
    ...VIDEO_ONLY,
    "-vf",
    [
      ...(a.sample ? [targetsSelect(a.source.origin + a.span.start + step / 2, step, a.sample.count)] : []),
      `scale=${a.width}:${a.height}:flags=area`,
      "format=gray",
      SHOWINFO("cand"),
    ].join(","),
    "-fps_mode",
    "passthrough",
    "-f",
    "rawvideo",
    "-pix_fmt",
    "gray",
    "pipe:1",
  ];
}

export interface FramesAtArgs {
  readonly source: Source;
  /** Exact frame times (as an earlier pass logged them). */
  readonly times: readonly number[];
  /** Scale and crop filters for the output size. */
  readonly sizeFilters: readonly string[];
  readonly format: ImageFormat;
  readonly quality: number;
  readonly frameSeconds: number;
}

/** The frames at known times, full size: an accurate seek just before each, its first frame kept. */
export function framesAtArgs(a: FramesAtArgs): string[] {
  const lead = Math.min(0.001, a.frameSeconds / 4);
  const inputs = a.times.flatMap((t) => [
    "-threads",
    "1",
    "-ss",
    secs(Math.max(0, t - lead)),
    "-t",
    secs(Math.max(0.5, 3 * a.frameSeconds)),
    "-i",
    a.source.url,
  ]);
  const chains = a.times.map(
    (_, i) => `[${i}:v]trim=end_frame=1,${[...a.sizeFilters, "setsar=1", SHOWINFO(`f${i}`)].join(",")}[f${i}]`,
  );
  return [
    ...COMMON,
    "-copyts",
    ...inputs,
    "-filter_complex",
    `${chains.join(";")};${a.times.map((_, i) => `[f${i}]`).join("")}concat=n=${a.times.length}:v=1:a=0`,
    "-an",
    "-fps_mode",
    "passthrough",
    ...encoderArgs(a.format, a.quality),
    ...PIPE_IMAGES,
  ];
}
