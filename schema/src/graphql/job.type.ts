import { Field, Float, Int, ObjectType } from "type-graphql";
import type { ExtractionErrorCode, JobStatus } from "@vp/domain";
import { connectionTypes } from "./connection.type.js";
import { ExtractionErrorCodeEnum, JobStatusEnum } from "./enums.js";
import { ExtractionOptionsType } from "./extraction-options.type.js";
import { Node } from "./node.interface.js";
import { DateTimeScalar, SafeIntScalar } from "./scalars.js";

@ObjectType("ExtractionJobError", { description: "Why a job failed." })
export class ExtractionJobErrorType {
  @Field(() => ExtractionErrorCodeEnum)
  code!: ExtractionErrorCode;

  @Field(() => String, { description: "In words a user understands." })
  message!: string;

  @Field(() => Boolean, { description: "Whether retrying the job can help." })
  retryable!: boolean;
}

/** `downloadUrl` and `downloadUrlExpiresAt` are field resolvers: the URL is minted when asked for. */
@ObjectType("ExtractionResult", {
  description: "The archive of a succeeded job.",
})
export class ExtractionResultType {
  @Field(() => Int)
  frameCount!: number;

  @Field(() => SafeIntScalar)
  archiveSizeBytes!: number;

  @Field(() => String, { description: "Extraction strategy the engine chose." })
  strategy!: string;
}

/** Relations (`video`) and `result` are field resolvers in the API. */
@ObjectType("ExtractionJob", {
  implements: Node,
  description: "One run of frame extraction over a video.",
})
export class ExtractionJobType extends Node {
  @Field(() => JobStatusEnum)
  status!: JobStatus;

  @Field(() => Float, { description: "0..1, monotonic within an attempt." })
  progress!: number;

  @Field(() => Int)
  framesExtracted!: number;

  @Field(() => ExtractionOptionsType)
  options!: ExtractionOptionsType;

  @Field(() => Int, { description: "Attempts started so far." })
  attempts!: number;

  @Field(() => ExtractionJobErrorType, { nullable: true })
  error!: ExtractionJobErrorType | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  startedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}

export const { Edge: ExtractionJobEdge, Connection: ExtractionJobConnection } = connectionTypes(
  "ExtractionJob",
  ExtractionJobType,
);
