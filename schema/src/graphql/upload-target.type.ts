import { Field, ObjectType } from "type-graphql";
import { DateTimeScalar } from "./scalars.js";

@ObjectType("HttpHeader")
export class HttpHeaderType {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  value!: string;
}

@ObjectType("UploadTarget", {
  description: "Where to send the video's bytes, directly (never through GraphQL).",
})
export class UploadTargetType {
  @Field(() => String)
  url!: string;

  @Field(() => String, { description: "HTTP method to use (PUT or POST)." })
  method!: string;

  @Field(() => [HttpHeaderType], {
    description: "Headers the request must carry.",
  })
  headers!: HttpHeaderType[];

  @Field(() => DateTimeScalar)
  expiresAt!: Date;
}
