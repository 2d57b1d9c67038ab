import { Field, Float, InputType, Int } from "type-graphql";
import type { FitMode, ImageFormat, SamplingMode, TimestampUnit } from "@vp/domain";
import { FitModeEnum, ImageFormatEnum, SamplingModeEnum, TimestampUnitEnum } from "./enums.js";

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
  mode?: SamplingMode | null;

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
}
