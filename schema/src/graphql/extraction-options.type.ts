import { Field, Float, Int, ObjectType } from "type-graphql";
import type { FitMode, ImageFormat, SamplingMode, TimestampUnit } from "@vp/domain";
import { FitModeEnum, ImageFormatEnum, SamplingModeEnum, TimestampUnitEnum } from "./enums.js";

/**
 * The validated options with their defaults filled in, flat: the domain's ExtractionOptions is a
 * union by mode, and each mode's fields resolve to null outside it (the API's
 * extraction-options.resolver.ts), so clients read one shape whatever the mode.
 */
@ObjectType("ExtractionOptions", {
  description: "The options an extraction runs with, defaults filled in.",
})
export class ExtractionOptionsType {
  @Field(() => SamplingModeEnum)
  mode!: SamplingMode;

  @Field(() => Float, { nullable: true })
  intervalSeconds?: number;

  @Field(() => Int, { nullable: true })
  count?: number;

  @Field(() => [Float], { nullable: true })
  timestamps?: number[];

  @Field(() => TimestampUnitEnum)
  timestampUnit!: TimestampUnit;

  @Field(() => Float, { nullable: true })
  sceneThreshold?: number;

  @Field(() => Float, { nullable: true })
  sceneMinGapSeconds?: number;

  @Field(() => ImageFormatEnum)
  format!: ImageFormat;

  @Field(() => Int)
  quality!: number;

  @Field(() => Int, { nullable: true })
  width?: number;

  @Field(() => Int, { nullable: true })
  height?: number;

  @Field(() => FitModeEnum)
  fit!: FitMode;

  @Field(() => Boolean)
  allowUpscale!: boolean;

  @Field(() => Float, { nullable: true })
  startSeconds?: number;

  @Field(() => Float, { nullable: true })
  endSeconds?: number;

  @Field(() => Int, { nullable: true })
  maxFrames?: number;
}
