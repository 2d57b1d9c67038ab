import { Field, Int, ObjectType } from "type-graphql";
import { DateTimeScalar, SafeIntScalar } from "./scalars.js";

@ObjectType("HttpHeader")
export class HttpHeaderType {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  value!: string;
}

@ObjectType("UploadPart", { description: "One part of a multipart upload: exactly sizeBytes bytes to url." })
export class UploadPartType {
  @Field(() => Int, { description: "From 1, in file order." })
  partNumber!: number;

  @Field(() => String)
  url!: string;

  @Field(() => SafeIntScalar)
  sizeBytes!: number;
}

@ObjectType("MultipartUpload", {
  description:
    "A file sent in parts: each part's bytes (in file order) to its URL with method and headers; keep each answer's ETag header and pass them all to completeVideoUpload.",
})
export class MultipartUploadType {
  @Field(() => String)
  uploadId!: string;

  @Field(() => String, { description: "HTTP method of every part (PUT)." })
  method!: string;

  @Field(() => [HttpHeaderType], { description: "Headers every part request must carry." })
  headers!: HttpHeaderType[];

  @Field(() => [UploadPartType])
  parts!: UploadPartType[];
}

@ObjectType("UploadTarget", {
  description: "Where to send the video's bytes, directly (never through GraphQL).",
})
export class UploadTargetType {
  @Field(() => String, {
    description:
      "Where to send the whole file; for a multipart target, the first part's URL (a whole file sent there is refused).",
  })
  url!: string;

  @Field(() => String, { description: "HTTP method to use (PUT or POST)." })
  method!: string;

  @Field(() => [HttpHeaderType], {
    description: "Headers the request must carry.",
  })
  headers!: HttpHeaderType[];

  @Field(() => DateTimeScalar)
  expiresAt!: Date;

  @Field(() => MultipartUploadType, {
    nullable: true,
    description: "Set for large files: send the parts instead of one request to url.",
  })
  multipart?: MultipartUploadType | null;
}
