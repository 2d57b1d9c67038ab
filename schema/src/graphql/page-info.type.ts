import { Field, ObjectType } from "type-graphql";

@ObjectType("PageInfo", {
  description: "Relay cursor pagination state (forward only).",
})
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  /** Always false: listings are forward-only. Present for Relay clients. */
  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Pass as `after` to get the next page.",
  })
  endCursor!: string | null;
}
