import { Field, ID, InputType, Int } from "type-graphql";
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

@InputType("CompletedPart")
export class CompletedPartInput {
  @Field(() => Int)
  partNumber!: number;

  @Field(() => String, { description: "The ETag header the part's upload answered." })
  etag!: string;
}

@InputType("CompleteMultipartInput")
export class CompleteMultipartInput {
  @Field(() => String)
  uploadId!: string;

  @Field(() => [CompletedPartInput], { description: "Every part, in order from 1." })
  parts!: CompletedPartInput[];
}

@InputType("CompleteVideoUploadInput")
export class CompleteVideoUploadInput {
  @Field(() => ID)
  videoId!: string;

  @Field(() => CompleteMultipartInput, {
    nullable: true,
    description: "Required when the upload target was multipart: the parts sent, to assemble the file.",
  })
  multipart?: CompleteMultipartInput | null;
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
