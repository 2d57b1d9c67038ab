import { z } from "zod";

/**
 * One options type for every entry point (GraphQL input, queue message, CLI, worker).
 * Parsing fills the defaults, so code past the edge always sees a complete object.
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

export const extractionOptionsSchema = z
  .object({
    mode: z.enum(SAMPLING_MODES).default("INTERVAL"),
    /** INTERVAL: one frame every N seconds, starting at the range start. */
    intervalSeconds: z.number().finite().positive("must be greater than zero").max(86_400).optional(),
    /** COUNT: N frames evenly spread over the range. */
    count: z.number().int("must be a whole number").min(1, "must be at least 1").max(ABSOLUTE_MAX_FRAMES).optional(),
    /** TIMESTAMPS: explicit instants, in `timestampUnit`. */
    timestamps: z.array(seconds).min(1, "must list at least one timestamp").max(ABSOLUTE_MAX_FRAMES).optional(),
    timestampUnit: z.enum(TIMESTAMP_UNITS).default("SECONDS"),
    /** SCENES: ffmpeg scene score (0..1) above which a frame starts a new scene. */
    sceneThreshold: z.number().gt(0, "must be greater than 0").lt(1, "must be less than 1").optional(),
    /** SCENES: minimum seconds between two scene frames. */
    sceneMinGapSeconds: seconds.optional(),
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
    maxFrames: z
      .number()
      .int("must be a whole number")
      .min(1, "must be at least 1")
      .max(ABSOLUTE_MAX_FRAMES)
      .optional(),
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

export type ExtractionOptionsInput = z.input<typeof extractionOptionsSchema>;
export type ExtractionOptions = z.output<typeof extractionOptionsSchema>;

export interface FieldProblem {
  readonly field: readonly string[];
  readonly message: string;
}

export interface ExtractionLimits {
  /** The server's default and maximum `maxFrames`. */
  readonly maxFrames: number;
}

/**
 * Validates at the edge. Returns every problem at once, each with the offending field,
 * so a client can show them all next to their inputs.
 */
export function parseExtractionOptions(
  input: unknown,
  limits: ExtractionLimits,
): { ok: true; value: ExtractionOptions } | { ok: false; problems: FieldProblem[] } {
  const parsed = extractionOptionsSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({ field: i.path.map(String), message: i.message })),
    };
  }
  const value = parsed.data;
  const problems: FieldProblem[] = [];
  if (value.maxFrames !== undefined && value.maxFrames > limits.maxFrames)
    problems.push({ field: ["maxFrames"], message: `must be at most ${limits.maxFrames} (the server's limit)` });
  if (value.count !== undefined && value.count > limits.maxFrames)
    problems.push({ field: ["count"], message: `must be at most ${limits.maxFrames} (the server's frame limit)` });
  if (value.timestamps !== undefined && value.timestamps.length > limits.maxFrames)
    problems.push({
      field: ["timestamps"],
      message: `lists more than ${limits.maxFrames} timestamps (the server's frame limit)`,
    });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}
