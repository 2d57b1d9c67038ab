import { Field, ObjectType } from "type-graphql";
import type { UserErrorCode } from "@vp/domain";
import { UserErrorCodeEnum } from "./enums.js";

@ObjectType("UserError", {
  description: "A problem with a mutation's input or with the state it acts on.",
})
export class UserError {
  @Field(() => [String], {
    nullable: true,
    description:
      'Path to the input field at fault, e.g. ["input", "extraction", "intervalSeconds"]; null when no single field is.',
  })
  field!: string[] | null;

  @Field(() => String)
  message!: string;

  @Field(() => UserErrorCodeEnum)
  code!: UserErrorCode;
}
