import { Field, ObjectType, type ClassType } from "type-graphql";
import { PageInfo } from "./page-info.type.js";

export interface Edge<T> {
  readonly cursor: string;
  readonly node: T;
}

export interface Connection<T> {
  readonly edges: ReadonlyArray<Edge<T>>;
  readonly nodes: readonly T[];
  readonly pageInfo: PageInfo;
}

/** Declares `<Name>Edge` and `<Name>Connection` for a node type. */
export function connectionTypes(
  name: string,
  nodeType: ClassType,
  /** @default "A page of <Name> objects, newest first." */
  description = `A page of ${name} objects, newest first.`,
): { Edge: ClassType; Connection: ClassType } {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String, {
      description: "Pass as `after` to continue after this edge.",
    })
    cursor!: string;

    @Field(() => nodeType)
    node!: unknown;
  }

  @ObjectType(`${name}Connection`, { description })
  class ConnectionType {
    @Field(() => [EdgeType])
    edges!: unknown[];

    @Field(() => [nodeType], {
      description: "The nodes of `edges`, for clients that need no cursors.",
    })
    nodes!: unknown[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }

  return { Edge: EdgeType, Connection: ConnectionType };
}
