import { Field, Float, Int, ObjectType } from "type-graphql";
import type { VideoStatus } from "@vp/domain";
import { connectionTypes } from "./connection.type.js";
import { VideoStatusEnum } from "./enums.js";
import { ExtractionOptionsType } from "./extraction-options.type.js";
import { Node } from "./node.interface.js";
import { DateTimeScalar, SafeIntScalar } from "./scalars.js";

@ObjectType("VideoMetadata", {
  description: "What probing the uploaded file found.",
})
export class VideoMetadataType {
  @Field(() => Float)
  durationSeconds!: number;

  @Field(() => Int, { description: "Display width, after rotation." })
  width!: number;

  @Field(() => Int, { description: "Display height, after rotation." })
  height!: number;

  @Field(() => Float, { description: "Mean frames per second." })
  frameRate!: number;

  @Field(() => String)
  videoCodec!: string;

  @Field(() => Int, {
    description: "Degrees clockwise the stored picture is turned for display (0, 90, 180, 270).",
  })
  rotation!: number;

  @Field(() => Boolean)
  hasAudio!: boolean;

  @Field(() => String, { description: "Container format as ffprobe names it." })
  formatName!: string;
}

/** Relations (`jobs`, `latestJob`) are field resolvers in the API. */
@ObjectType("Video", {
  implements: Node,
  description: "An uploaded video owned by the viewer.",
})
export class VideoType extends Node {
  @Field(() => String, { description: "File name, sanitized." })
  filename!: string;

  @Field(() => String)
  contentType!: string;

  @Field(() => SafeIntScalar)
  sizeBytes!: number;

  @Field(() => VideoStatusEnum)
  status!: VideoStatus;

  @Field(() => VideoMetadataType, {
    nullable: true,
    description: "Null until the upload is completed and probed.",
  })
  metadata!: VideoMetadataType | null;

  @Field(() => String, {
    nullable: true,
    description: "Why the video was rejected (status REJECTED).",
  })
  rejectionReason!: string | null;

  @Field(() => ExtractionOptionsType, {
    description: "Options chosen at upload, used by the first extraction.",
  })
  extraction!: ExtractionOptionsType;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}

export const { Edge: VideoEdge, Connection: VideoConnection } = connectionTypes("Video", VideoType);
