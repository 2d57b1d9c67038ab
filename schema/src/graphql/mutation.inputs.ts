import { Field, ID, InputType } from "type-graphql";
import { ExtractionOptionsInput } from "./extraction-options.input.js";
import { SafeIntScalar } from "./scalars.js";

@InputType("CreateVideoUploadInput")
export class CreateVideoUploadInput {
  @Field(() => String, {
    description: "Original file name; sanitized and shortened to 200 characters.",
  })
  filename!: string;

  @Field(() => String, { description: "video/* or application/octet-stream." })
  contentType!: string;

  @Field(() => SafeIntScalar, {
    description: "Exact size of the file; the upload target enforces it.",
  })
  sizeBytes!: number;

  @Field(() => ExtractionOptionsInput, {
    nullable: true,
    description: "Options of the extraction queued by completeVideoUpload. Default: one JPEG frame every second.",
  })
  extraction?: ExtractionOptionsInput | null;
}

@InputType("CompleteVideoUploadInput")
export class CompleteVideoUploadInput {
  @Field(() => ID)
  videoId!: string;
}

@InputType("StartExtractionInput")
export class StartExtractionInput {
  @Field(() => ID)
  videoId!: string;

  @Field(() => ExtractionOptionsInput, {
    nullable: true,
    description: "Default: one JPEG frame every second.",
  })
  extraction?: ExtractionOptionsInput | null;
}

@InputType("CancelJobInput")
export class CancelJobInput {
  @Field(() => ID)
  jobId!: string;
}

@InputType("RetryJobInput")
export class RetryJobInput {
  @Field(() => ID)
  jobId!: string;
}

@InputType("DeleteVideoInput")
export class DeleteVideoInput {
  @Field(() => ID)
  videoId!: string;
}
