import { ABSOLUTE_MAX_FRAMES, parseExtractionOptions } from "@vp/domain";
import type { ExtractionOptionsInput } from "../generated/graphql.js";
import { UsageError } from "./io.js";
import { samplingOptions } from "./sampling-options.js";
import type { FlagValues } from "./server-command.js";

/**
 * Every field of the server's ExtractionOptionsInput, from the generated types: when the schema
 * gains or loses a field, tsc points here. Options outside it are refused, never silently dropped.
 */
const SERVER_FIELDS = {
  allowUpscale: true,
  count: true,
  endSeconds: true,
  fit: true,
  format: true,
  height: true,
  intervalSeconds: true,
  maxFrames: true,
  mode: true,
  quality: true,
  sceneMinGapSeconds: true,
  sceneThreshold: true,
  startSeconds: true,
  timestampUnit: true,
  timestamps: true,
  width: true,
  includeFrames: true,
  storyboard: true,
  contactSheet: true,
  animated: true,
} as const satisfies Record<keyof ExtractionOptionsInput, true>;

/** The flag a user typed for an options field, for messages. */
const FLAG_OF: Readonly<Record<string, string>> = {
  intervalSeconds: "--every",
  count: "--count",
  timestamps: "--at",
  timestampUnit: "--at",
  sceneThreshold: "--scenes",
  sceneMinGapSeconds: "--min-scene-gap",
  allowUpscale: "--allow-upscale",
  startSeconds: "--start",
  endSeconds: "--end",
  maxFrames: "--max-frames",
  includeFrames: "--no-frames",
  "storyboard.tileWidth": "--storyboard-width",
  "storyboard.intervalSeconds": "--storyboard-interval",
  "contactSheet.count": "--contact-sheet-count",
  "animated.fromSeconds": "--animated-range",
  "animated.toSeconds": "--animated-range",
};
export const flagOf = (field: string): string =>
  FLAG_OF[field] ?? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * The sampling flags (the same words as vproc extract) as the server's input: checked locally with
 * the shared rules first (a mistake costs no upload), then limited to what the server accepts.
 */
export function serverExtraction(values: FlagValues): ExtractionOptionsInput {
  const options = samplingOptions(values) as Record<string, unknown>;
  const unsupported = Object.keys(options).filter((k) => !Object.hasOwn(SERVER_FIELDS, k));
  if (unsupported.length > 0) {
    throw new UsageError(
      `the server does not support ${[...new Set(unsupported.map(flagOf))].join(", ")} yet (vproc extract runs it locally)`,
    );
  }
  const parsed = parseExtractionOptions(options, { maxFrames: ABSOLUTE_MAX_FRAMES });
  if (!parsed.ok)
    throw new UsageError(
      parsed.problems
        .map((p) => `${FLAG_OF[p.field.join(".")] ?? flagOf(p.field.at(-1) ?? "")}: ${p.message}`)
        .join("; "),
    );
  return options;
}
