import { Field, ID, InterfaceType } from "type-graphql";

/**
 * Relay's Node: every object with an opaque global id. Resolvers hand back domain records
 * (Video, Job, Principal); the shape tells them apart.
 */
@InterfaceType("Node", {
  description: "An object with a globally unique, opaque id (use it with `node(id:)`).",
  resolveType: (value: object) => {
    if ("videoId" in value && "progress" in value) return "ExtractionJob";
    if ("blobKey" in value) return "Video";
    return "User";
  },
})
export abstract class Node {
  @Field(() => ID)
  id!: string;
}
