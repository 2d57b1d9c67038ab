import { z } from "zod";

/**
 * One options type for every entry point (GraphQL input, queue message, CLI, worker).
 *
 * What arrives is flat and tolerant: every mode's fields side by side, the ones of other modes
 * checked and then dropped (GraphQL and the CLI send one flat object). What comes out is a union
 * by `mode`: each mode carries exactly its own fields, required ones present, defaults filled, so
 * code past the edge narrows on `mode` instead of reading optional fields. A new mode is one more
 * variant (plus its fields in the flat input).
 */
export const SAMPLING_MODES = ["INTERVAL", "COUNT", "TIMESTAMPS", "KEYFRAMES", "SCENES"] as const;
export const IMAGE_FORMATS = ["JPEG", "PNG", "WEBP"] as const;
export const FIT_MODES = ["CONTAIN", "COVER", "FILL"] as const;
export const TIMESTAMP_UNITS = ["SECONDS", "PERCENT"] as const;

/**
 * The modes a request may name. BEST is COUNT with a different chooser (the `count` frames a person
 * would pick instead of evenly spaced ones): it parses to `{ mode: "COUNT", pick: "BEST" }`, so
 * code that plans evenly spread frames never meets an unknown mode.
 */
export const REQUESTED_MODES = [...SAMPLING_MODES, "BEST"] as const;
export const FRAME_PICKS = ["EVEN", "BEST"] as const;
export const PREVIEW_IMAGE_FORMATS = ["JPEG", "WEBP"] as const;

export type SamplingMode = (typeof SAMPLING_MODES)[number];
export type RequestedMode = (typeof REQUESTED_MODES)[number];
export type FramePick = (typeof FRAME_PICKS)[number];
export type PreviewImageFormat = (typeof PREVIEW_IMAGE_FORMATS)[number];
export type ImageFormat = (typeof IMAGE_FORMATS)[number];
export type FitMode = (typeof FIT_MODES)[number];
export type TimestampUnit = (typeof TIMESTAMP_UNITS)[number];

/** Hard ceilings that no configuration can raise: they bound memory and archive size. */
export const ABSOLUTE_MAX_FRAMES = 100_000;
export const DEFAULT_SCENE_THRESHOLD = 0.3;
/** BEST scores every candidate: a person picks a handful, not hundreds. */
export const MAX_BEST_FRAMES = 24;

const seconds = z.number().finite().min(0, "must be zero or more");

/** The mode-specific fields' rules, written once for the flat input and the variants. */
const modeFields = {
  /** INTERVAL: one frame every N seconds, starting at the range start. */
  intervalSeconds: z.number().finite().positive("must be greater than zero").max(86_400),
  /** COUNT: N frames evenly spread over the range. */
  count: z.number().int("must be a whole number").min(1, "must be at least 1").max(ABSOLUTE_MAX_FRAMES),
  /** TIMESTAMPS: explicit instants, in `timestampUnit`. */
  timestamps: z.array(seconds).min(1, "must list at least one timestamp").max(ABSOLUTE_MAX_FRAMES),
  timestampUnit: z.enum(TIMESTAMP_UNITS).default("SECONDS"),
  /** SCENES: ffmpeg scene score (0..1) above which a frame starts a new scene. */
  sceneThreshold: z.number().gt(0, "must be greater than 0").lt(1, "must be less than 1"),
  /** SCENES: minimum seconds between two scene frames. */
  sceneMinGapSeconds: seconds,
};

const int = (min: number, max: number) =>
  z.number().int("must be a whole number").min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

/**
 * Storyboard: sprite sheets of small tiles, one per interval, plus storyboard.vtt and storyboard.json
 * (players' seek-bar thumbnails). Without `intervalSeconds` the interval gives 50 to 200 tiles.
 */
export const storyboardOptionsSchema = z.object({
  format: z.enum(PREVIEW_IMAGE_FORMATS).default("JPEG"),
  /** Tile width; the height keeps the video's aspect ratio. */
  tileWidth: int(160, 320).default(160),
  columns: int(1, 20).default(10),
  rows: int(1, 20).default(10),
  intervalSeconds: z.number().finite().min(0.1, "must be at least 0.1").max(3600).optional(),
  quality: int(1, 100).default(75),
});

/** Contact sheet: one image, a grid of evenly spread frames with their times under a header. */
export const contactSheetOptionsSchema = z.object({
  count: int(2, 64).default(16),
  columns: int(1, 10).default(4),
  tileWidth: int(96, 640).default(320),
  format: z.enum(IMAGE_FORMATS).default("JPEG"),
  quality: int(1, 100).default(85),
  /** The header's first line; absent: the video's file name (the worker fills it in). */
  title: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters").optional(),
});

/** Animated preview (hover preview): short clips at evenly spread points, or one clip of a range. */
export const animatedPreviewOptionsSchema = z
  .object({
    width: int(64, 480).default(320),
    clips: int(1, 10).default(5),
    clipSeconds: z.number().finite().min(0.5, "must be at least 0.5").max(5, "must be at most 5").default(1),
    fps: int(2, 30).default(10),
    /** The WebP (and the GIF) may not be larger: quality, then frame rate, then width are lowered to fit. */
    maxBytes: int(16 * 1024, 16 * 1024 * 1024).default(2 * 1024 * 1024),
    /** Also a GIF (larger, but plays everywhere). */
    gif: z.boolean().default(false),
    /** One clip of this range instead of `clips` spread ones (at most 30 s). */
    fromSeconds: seconds.optional(),
    toSeconds: z.number().finite().positive("must be greater than zero").optional(),
  })
  .superRefine((o, ctx) => {
    const need = (field: string, message: string) => ctx.addIssue({ code: "custom", path: [field], message });
    if ((o.fromSeconds === undefined) !== (o.toSeconds === undefined))
      need(o.fromSeconds === undefined ? "fromSeconds" : "toSeconds", "fromSeconds and toSeconds go together");
    if (o.fromSeconds !== undefined && o.toSeconds !== undefined) {
      if (o.toSeconds <= o.fromSeconds) need("toSeconds", "must be greater than fromSeconds");
      else if (o.toSeconds - o.fromSeconds > 30) need("toSeconds", "the clip may last at most 30 s");
    }
  });

export type StoryboardOptions = z.output<typeof storyboardOptionsSchema>;
export type ContactSheetOptions = z.output<typeof contactSheetOptionsSchema>;
export type AnimatedPreviewOptions = z.output<typeof animatedPreviewOptionsSchema>;

/** What every mode shares: the images' encoding and size, the range, the frame cap. */
const commonFields = {
  /** false: no frames in the archive, only the previews asked for. Absent: true. */
  includeFrames: z.boolean().optional(),
  storyboard: storyboardOptionsSchema.optional(),
  contactSheet: contactSheetOptionsSchema.optional(),
  animated: animatedPreviewOptionsSchema.optional(),
  format: z.enum(IMAGE_FORMATS).default("JPEG"),
  /** 1..100, mapped per encoder (JPEG qscale, WEBP quality, PNG compression level). */
  quality: z.number().int("must be a whole number").min(1).max(100).default(85),
  width: z.number().int("must be a whole number").min(2).max(8192).optional(),
  height: z.number().int("must be a whole number").min(2).max(8192).optional(),
  fit: z.enum(FIT_MODES).default("CONTAIN"),
  allowUpscale: z.boolean().default(false),
  startSeconds: seconds.optional(),
  endSeconds: z.number().finite().positive("must be greater than zero").optional(),
  /** Hard cap on frames in the archive; the server's configured maximum bounds it. */
  maxFrames: z.number().int("must be a whole number").min(1, "must be at least 1").max(ABSOLUTE_MAX_FRAMES).optional(),
};

/** The parsed options: one variant per mode, each with only its own fields. */
export const extractionOptionsByModeSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("INTERVAL"), intervalSeconds: modeFields.intervalSeconds, ...commonFields }),
  z.object({
    mode: z.literal("COUNT"),
    count: modeFields.count,
    /** Absent: EVEN (evenly spread). BEST: the best-looking frames (the request's mode BEST). */
    pick: z.enum(FRAME_PICKS).optional(),
    ...commonFields,
  }),
  z.object({
    mode: z.literal("TIMESTAMPS"),
    timestamps: modeFields.timestamps,
    timestampUnit: modeFields.timestampUnit,
    ...commonFields,
  }),
  z.object({ mode: z.literal("KEYFRAMES"), ...commonFields }),
  z.object({
    mode: z.literal("SCENES"),
    sceneThreshold: modeFields.sceneThreshold.optional(),
    sceneMinGapSeconds: modeFields.sceneMinGapSeconds.optional(),
    ...commonFields,
  }),
]);

/**
 * The flat input: `mode` (default INTERVAL) and every mode's fields, optional, each checked
 * whatever the mode; a mode's required field is reported under its own name.
 */
export const extractionOptionsInputSchema = z
  .object({
    mode: z.enum(REQUESTED_MODES).default("INTERVAL"),
    intervalSeconds: modeFields.intervalSeconds.optional(),
    count: modeFields.count.optional(),
    pick: z.enum(FRAME_PICKS).optional(),
    timestamps: modeFields.timestamps.optional(),
    timestampUnit: modeFields.timestampUnit,
    sceneThreshold: modeFields.sceneThreshold.optional(),
    sceneMinGapSeconds: modeFields.sceneMinGapSeconds.optional(),
    ...commonFields,
  })
  .superRefine((o, ctx) => {
    const need = (field: keyof typeof o, message: string) => ctx.addIssue({ code: "custom", path: [field], message });
    if (o.mode === "INTERVAL" && o.intervalSeconds === undefined)
      need("intervalSeconds", "is required when mode is INTERVAL");
    if (o.mode === "COUNT" && o.count === undefined) need("count", "is required when mode is COUNT");
    if (o.mode === "BEST" && o.count === undefined) need("count", "is required when mode is BEST");
    if (o.mode === "BEST" && o.count !== undefined && o.count > MAX_BEST_FRAMES)
      need("count", `must be at most ${MAX_BEST_FRAMES} when mode is BEST`);
    const previews = o.storyboard !== undefined || o.contactSheet !== undefined || o.animated !== undefined;
    if (o.includeFrames === false && (o.mode === "BEST" || o.pick === "BEST"))
      need("includeFrames", "is false, but mode BEST is asked for frames");
    if (o.includeFrames === false && !previews)
      need(
        "includeFrames",
        "is false but no storyboard, contactSheet or animated preview is asked for: nothing to make",
      );
    if (o.mode === "TIMESTAMPS" && o.timestamps === undefined)
      need("timestamps", "is required when mode is TIMESTAMPS");
    if (o.mode === "TIMESTAMPS" && o.timestampUnit === "PERCENT" && o.timestamps?.some((t) => t > 100))
      need("timestamps", "percentages must be between 0 and 100");
    if (o.startSeconds !== undefined && o.endSeconds !== undefined && o.endSeconds <= o.startSeconds)
      need("endSeconds", "must be greater than startSeconds (the range is empty)");
  });

type FlatOptions = z.output<typeof extractionOptionsInputSchema>;

/**
 * A checked flat object as its mode's variant: the variant keeps its own fields and drops the other
 * modes'. Cannot fail: the flat schema checked every field and each mode's required one.
 */
const byMode = (o: FlatOptions): ExtractionOptions =>
  extractionOptionsByModeSchema.parse(o.mode === "BEST" ? { ...o, mode: "COUNT", pick: "BEST" } : o);

/** Whether the job makes any preview output (storyboard, contact sheet, animated preview). */
export const wantsPreviews = (o: ExtractionOptions): boolean =>
  o.storyboard !== undefined || o.contactSheet !== undefined || o.animated !== undefined;

/** The mode as the request named it (BEST for the best-frames pick). */
export const requestedMode = (o: ExtractionOptions): RequestedMode =>
  o.mode === "COUNT" && o.pick === "BEST" ? "BEST" : o.mode;

/**
 * Flat in, union out. Also reads what was stored or queued, in this shape or in the flat one of
 * earlier versions (mode-specific fields of other modes are dropped).
 */
export const extractionOptionsSchema = extractionOptionsInputSchema.transform(byMode);

export type ExtractionOptionsInput = z.input<typeof extractionOptionsInputSchema>;
export type ExtractionOptions = z.output<typeof extractionOptionsByModeSchema>;
/** The options of one mode, e.g. `ExtractionOptionsOf<"SCENES">`. */
export type ExtractionOptionsOf<M extends SamplingMode> = Extract<ExtractionOptions, { readonly mode: M }>;

export interface FieldProblem {
  readonly field: readonly string[];
  readonly message: string;
}

export interface ExtractionLimits {
  /** The server's default and maximum `maxFrames`. */
  readonly maxFrames: number;
  /**
   * Largest width x height of one output frame, checked against the probed video (the output size
   * depends on the source's); absent: no limit.
   */
  readonly maxOutputPixels?: number;
}

/**
 * Validates at the edge. Returns every problem at once, each with the offending field,
 * so a client can show them all next to their inputs. The server's limits, like the schema's
 * rules, apply to every field sent.
 */
export function parseExtractionOptions(
  input: unknown,
  limits: ExtractionLimits,
): { ok: true; value: ExtractionOptions } | { ok: false; problems: FieldProblem[] } {
  const parsed = extractionOptionsInputSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({ field: i.path.map(String), message: i.message })),
    };
  }
  const flat = parsed.data;
  const problems: FieldProblem[] = [];
  if (flat.maxFrames !== undefined && flat.maxFrames > limits.maxFrames)
    problems.push({ field: ["maxFrames"], message: `must be at most ${limits.maxFrames} (the server's limit)` });
  if (flat.count !== undefined && flat.count > limits.maxFrames)
    problems.push({ field: ["count"], message: `must be at most ${limits.maxFrames} (the server's frame limit)` });
  if (flat.timestamps !== undefined && flat.timestamps.length > limits.maxFrames)
    problems.push({
      field: ["timestamps"],
      message: `lists more than ${limits.maxFrames} timestamps (the server's frame limit)`,
    });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: byMode(flat) };
}

/** The contact sheet's header names the video as its owner knows it (the worker only has a blob). */
export const withContactSheetTitle = (o: ExtractionOptions, filename: string): ExtractionOptions =>
  o.contactSheet && o.contactSheet.title === undefined && filename.trim() !== ""
    ? { ...o, contactSheet: { ...o.contactSheet, title: filename.slice(0, 200) } }
    : o;
