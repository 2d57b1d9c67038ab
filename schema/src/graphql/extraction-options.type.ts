import { Field, Float, Int, ObjectType } from "type-graphql";
import type { FitMode, ImageFormat, PreviewImageFormat, RequestedMode, TimestampUnit } from "@vp/domain";
import { FitModeEnum, ImageFormatEnum, PreviewImageFormatEnum, SamplingModeEnum, TimestampUnitEnum } from "./enums.js";

@ObjectType("StoryboardOptions", { description: "The storyboard asked for, defaults filled in." })
export class StoryboardOptionsType {
  @Field(() => PreviewImageFormatEnum)
  format!: PreviewImageFormat;

  @Field(() => Int)
  tileWidth!: number;

  @Field(() => Int)
  columns!: number;

  @Field(() => Int)
  rows!: number;

  @Field(() => Float, { nullable: true, description: "Null: chosen from the duration." })
  intervalSeconds?: number;

  @Field(() => Int)
  quality!: number;
}

@ObjectType("ContactSheetOptions", { description: "The contact sheet asked for, defaults filled in." })
export class ContactSheetOptionsType {
  @Field(() => Int)
  count!: number;

  @Field(() => Int)
  columns!: number;

  @Field(() => Int)
  tileWidth!: number;

  @Field(() => ImageFormatEnum)
  format!: ImageFormat;

  @Field(() => Int)
  quality!: number;

  @Field(() => String, { nullable: true })
  title?: string;
}

@ObjectType("AnimatedPreviewOptions", { description: "The animated preview asked for, defaults filled in." })
export class AnimatedPreviewOptionsType {
  @Field(() => Int)
  width!: number;

  @Field(() => Int)
  clips!: number;

  @Field(() => Float)
  clipSeconds!: number;

  @Field(() => Int)
  fps!: number;

  @Field(() => Int)
  maxBytes!: number;

  @Field(() => Boolean)
  gif!: boolean;

  @Field(() => Float, { nullable: true })
  fromSeconds?: number;

  @Field(() => Float, { nullable: true })
  toSeconds?: number;
}

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
  mode!: RequestedMode;

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

  @Field(() => Boolean)
  includeFrames!: boolean;

  @Field(() => StoryboardOptionsType, { nullable: true })
  storyboard?: StoryboardOptionsType;

  @Field(() => ContactSheetOptionsType, { nullable: true })
  contactSheet?: ContactSheetOptionsType;

  @Field(() => AnimatedPreviewOptionsType, { nullable: true })
  animated?: AnimatedPreviewOptionsType;
}
