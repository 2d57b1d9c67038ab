import { Field, Float, Int, ObjectType } from "type-graphql";
import type { FitMode, ImageFormat, SamplingMode, TimestampUnit } from "@vp/domain";
import { FitModeEnum, ImageFormatEnum, SamplingModeEnum, TimestampUnitEnum } from "./enums.js";

/** The validated options with their defaults filled in (the domain's ExtractionOptions). */
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
