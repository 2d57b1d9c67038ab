import { Field, Float, InputType, Int } from "type-graphql";
import type { FitMode, ImageFormat, PreviewImageFormat, RequestedMode, TimestampUnit } from "@vp/domain";
import { FitModeEnum, ImageFormatEnum, PreviewImageFormatEnum, SamplingModeEnum, TimestampUnitEnum } from "./enums.js";

@InputType("StoryboardOptionsInput", {
  description:
    "Sprite sheets of small tiles, one per interval, with storyboard.vtt (cues pointing at `sheet#xywh=`) and storyboard.json (Mux's shape).",
})
export class StoryboardOptionsInput {
  @Field(() => PreviewImageFormatEnum, { nullable: true, description: "Default JPEG." })
  format?: PreviewImageFormat | null;

  @Field(() => Int, {
    nullable: true,
    description: "Tile width, 160..320 (the height keeps the aspect ratio). Default 160.",
  })
  tileWidth?: number | null;

  @Field(() => Int, { nullable: true, description: "Tiles per row, 1..20. Default 10." })
  columns?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Rows per sheet at most, 1..20 (more tiles start another sheet). Default 10.",
  })
  rows?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "Seconds between tiles (>= 0.1). Default: chosen for 50 to 200 tiles (about one every 5 s).",
  })
  intervalSeconds?: number | null;

  @Field(() => Int, { nullable: true, description: "1..100. Default 75." })
  quality?: number | null;
}

@InputType("ContactSheetOptionsInput", {
  description:
    "One image: a grid of evenly spread frames with their times, under a header (name, duration, size, codec).",
})
export class ContactSheetOptionsInput {
  @Field(() => Int, { nullable: true, description: "Frames, 2..64. Default 16." })
  count?: number | null;

  @Field(() => Int, { nullable: true, description: "Frames per row, 1..10. Default 4." })
  columns?: number | null;

  @Field(() => Int, { nullable: true, description: "Width of each frame, 96..640. Default 320." })
  tileWidth?: number | null;

  @Field(() => ImageFormatEnum, { nullable: true, description: "Default JPEG." })
  format?: ImageFormat | null;

  @Field(() => Int, { nullable: true, description: "1..100. Default 85." })
  quality?: number | null;

  @Field(() => String, { nullable: true, description: "The header's first line. Default: the video's file name." })
  title?: string | null;
}

@InputType("AnimatedPreviewOptionsInput", {
  description: "An animated WebP (and a GIF when asked) of short clips at evenly spread points, or of one range.",
})
export class AnimatedPreviewOptionsInput {
  @Field(() => Int, { nullable: true, description: "Width, 64..480. Default 320." })
  width?: number | null;

  @Field(() => Int, { nullable: true, description: "Clips, 1..10. Default 5." })
  clips?: number | null;

  @Field(() => Float, { nullable: true, description: "Seconds per clip, 0.5..5. Default 1." })
  clipSeconds?: number | null;

  @Field(() => Int, { nullable: true, description: "Frames per second, 2..30. Default 10." })
  fps?: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "Largest size of each file in bytes (16 KiB..16 MiB); quality, rate and width are lowered to fit. Default 2 MiB.",
  })
  maxBytes?: number | null;

  @Field(() => Boolean, { nullable: true, description: "Also a GIF. Default false." })
  gif?: boolean | null;

  @Field(() => Float, {
    nullable: true,
    description: "One clip from here (with `toSeconds`, at most 30 s) instead of spread clips.",
  })
  fromSeconds?: number | null;

  @Field(() => Float, { nullable: true, description: "End of the one clip." })
  toSeconds?: number | null;
}

/**
 * Every option of the extraction engine. All fields are optional in GraphQL so new modes and
 * outputs can be added without breaking clients; the server validates the combination
 * (parseExtractionOptions) and answers problems as userErrors with the field's path.
 */
@InputType("ExtractionOptionsInput", {
  description: "How to sample frames and encode them. Omitted fields take their defaults.",
})
export class ExtractionOptionsInput {
  @Field(() => SamplingModeEnum, {
    nullable: true,
    description: "Default INTERVAL.",
  })
  mode?: RequestedMode | null;

  @Field(() => Float, {
    nullable: true,
    description: "INTERVAL: seconds between frames (> 0). Default 1.",
  })
  intervalSeconds?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "COUNT: number of frames evenly spread over the range.",
  })
  count?: number | null;

  @Field(() => [Float], {
    nullable: true,
    description: "TIMESTAMPS: instants, in `timestampUnit`.",
  })
  timestamps?: number[] | null;

  @Field(() => TimestampUnitEnum, {
    nullable: true,
    description: "Unit of `timestamps`. Default SECONDS.",
  })
  timestampUnit?: TimestampUnit | null;

  @Field(() => Float, {
    nullable: true,
    description: "SCENES: scene-change score threshold, between 0 and 1 (exclusive).",
  })
  sceneThreshold?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "SCENES: minimum seconds between two scene frames.",
  })
  sceneMinGapSeconds?: number | null;

  @Field(() => ImageFormatEnum, {
    nullable: true,
    description: "Default JPEG.",
  })
  format?: ImageFormat | null;

  @Field(() => Int, {
    nullable: true,
    description: "1..100, mapped per encoder. Default 85.",
  })
  quality?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Output width in pixels (2..8192).",
  })
  width?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Output height in pixels (2..8192).",
  })
  height?: number | null;

  @Field(() => FitModeEnum, { nullable: true, description: "Default CONTAIN." })
  fit?: FitMode | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Allow output larger than the source. Default false.",
  })
  allowUpscale?: boolean | null;

  @Field(() => Float, {
    nullable: true,
    description: "Start of the range, in seconds.",
  })
  startSeconds?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "End of the range, in seconds.",
  })
  endSeconds?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Hard cap on frames; the server's limit bounds it.",
  })
  maxFrames?: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "false: no frames, only the previews asked for. Default true, except that a request naming previews and no mode gets only the previews.",
  })
  includeFrames?: boolean | null;

  @Field(() => StoryboardOptionsInput, { nullable: true, description: "Add a storyboard (storyboard.* files)." })
  storyboard?: StoryboardOptionsInput | null;

  @Field(() => ContactSheetOptionsInput, { nullable: true, description: "Add a contact sheet (contact-sheet.*)." })
  contactSheet?: ContactSheetOptionsInput | null;

  @Field(() => AnimatedPreviewOptionsInput, {
    nullable: true,
    description: "Add an animated preview (preview.webp, preview.gif).",
  })
  animated?: AnimatedPreviewOptionsInput | null;
}
