import { Field, ID, ObjectType } from "type-graphql";
import { ExtractionJobType } from "./job.type.js";
import { UploadTargetType } from "./upload-target.type.js";
import { UserError } from "./user-error.type.js";
import { VideoType } from "./video.type.js";

/** Every payload carries `userErrors`; the other fields are null when the mutation refused. */
@ObjectType("CreateVideoUploadPayload")
export class CreateVideoUploadPayload {
  @Field(() => VideoType, { nullable: true })
  video!: unknown;

  @Field(() => UploadTargetType, { nullable: true })
  upload!: UploadTargetType | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType("CompleteVideoUploadPayload")
export class CompleteVideoUploadPayload {
  @Field(() => VideoType, { nullable: true })
  video!: unknown;

  @Field(() => ExtractionJobType, {
    nullable: true,
    description: "The queued extraction job.",
  })
  job!: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType("StartExtractionPayload")
export class StartExtractionPayload {
  @Field(() => ExtractionJobType, { nullable: true })
  job!: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType("CancelJobPayload")
export class CancelJobPayload {
  @Field(() => ExtractionJobType, { nullable: true })
  job!: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType("RetryJobPayload")
export class RetryJobPayload {
  @Field(() => ExtractionJobType, { nullable: true })
  job!: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType("DeleteVideoPayload")
export class DeleteVideoPayload {
  @Field(() => ID, {
    nullable: true,
    description: "Global id of the deleted video.",
  })
  deletedVideoId!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
