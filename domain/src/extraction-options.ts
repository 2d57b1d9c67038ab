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

export type SamplingMode = (typeof SAMPLING_MODES)[number];
export type ImageFormat = (typeof IMAGE_FORMATS)[number];
export type FitMode = (typeof FIT_MODES)[number];
export type TimestampUnit = (typeof TIMESTAMP_UNITS)[number];

/** Hard ceilings that no configuration can raise: they bound memory and archive size. */
export const ABSOLUTE_MAX_FRAMES = 100_000;
export const DEFAULT_SCENE_THRESHOLD = 0.3;

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

/** What every mode shares: the images' encoding and size, the range, the frame cap. */
const commonFields = {
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
  z.object({ mode: z.literal("COUNT"), count: modeFields.count, ...commonFields }),
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
    mode: z.enum(SAMPLING_MODES).default("INTERVAL"),
    intervalSeconds: modeFields.intervalSeconds.optional(),
    count: modeFields.count.optional(),
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
const byMode = (o: FlatOptions): ExtractionOptions => extractionOptionsByModeSchema.parse(o);

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
