import { Field, ObjectType } from "type-graphql";
import { Node } from "./node.interface.js";

/** The signed-in user. `videos` and `jobs` are field resolvers in the API. */
@ObjectType("User", { implements: Node })
export class UserType extends Node {
  @Field(() => String, { nullable: true })
  email!: string | null;
}
