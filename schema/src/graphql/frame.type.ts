import { Field, Float, Int, ObjectType } from "type-graphql";
import { connectionTypes } from "./connection.type.js";
import { DateTimeScalar, SafeIntScalar } from "./scalars.js";

/** One frame of a succeeded job, served out of its stored archive by byte range. */
@ObjectType("Frame", { description: "One extracted frame, viewable without downloading the archive." })
export class FrameType {
  @Field(() => Int, { description: "1-based position in the archive (frame_000001 is 1)." })
  index!: number;

  @Field(() => Float, { description: "The frame's true presentation time in the video, in seconds." })
  timestampSeconds!: number;

  @Field(() => Int)
  width!: number;

  @Field(() => Int)
  height!: number;

  @Field(() => SafeIntScalar)
  sizeBytes!: number;

  @Field(() => String, { description: "image/jpeg, image/png or image/webp." })
  contentType!: string;

  @Field(() => String, {
    description:
      "A short-lived signed link to this one frame (GET or HEAD; byte ranges allowed), under the same rules as the archive's.",
  })
  url!: string;

  @Field(() => DateTimeScalar)
  urlExpiresAt!: Date;
}

export const { Edge: FrameEdge, Connection: FrameConnection } = connectionTypes(
  "Frame",
  FrameType,
  "A page of a job's frames, in index order.",
);
