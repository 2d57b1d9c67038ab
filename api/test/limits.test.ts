import { getIntrospectionQuery, parse, specifiedRules, validate } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { buildApiSchema } from "../src/graphql/build-schema.js";
import { createDepthLimitRule } from "../src/graphql/limits/depth-limit.rule.js";
import { checkQueryCost, queryCost } from "../src/graphql/limits/query-cost.js";
import type { GraphQLSchema } from "graphql";

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildApiSchema();
});

const depthErrors = (query: string, max: number) =>
  validate(schema, parse(query), [...specifiedRules, createDepthLimitRule(max)]);

describe("depth limit", () => {
  const deep = `{ viewer { videos { edges { node { jobs { edges { node { video { latestJob { id } } } } } } } } } }`; // 10 levels

  it("accepts an operation at the limit and refuses one beyond it with QUERY_TOO_DEEP", () => {
    expect(depthErrors(deep, 10)).toEqual([]);
    const errors = depthErrors(deep, 9);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.extensions).toMatchObject({
      code: "QUERY_TOO_DEEP",
      depth: 10,
      maxDepth: 9,
    });
    expect(errors[0]?.message).toMatch(/10 levels deep; the maximum allowed depth is 9/);
  });

  it("follows fragments and ignores introspection", () => {
    const withFragments = `query { viewer { ...V } } fragment V on User { videos { nodes { ...J } } } fragment J on Video { latestJob { video { id } } }`;
    expect(depthErrors(withFragments, 6)).toEqual([]);
    expect(depthErrors(withFragments, 5)[0]?.extensions?.["code"]).toBe("QUERY_TOO_DEEP");
    expect(depthErrors(getIntrospectionQuery(), 3)).toEqual([]);
  });
});

describe("cost limit", () => {
  it("charges 1 per field and multiplies connection children by first (from literals, variables or the default)", () => {
    expect(queryCost(schema, parse(`{ viewer { id email } }`), null, null)).toBe(3);
    // videos(1) + first(10) * (nodes(1) + id(1))
    expect(queryCost(schema, parse(`{ videos(first: 10) { nodes { id } } }`), null, null)).toBe(21);
    expect(queryCost(schema, parse(`query($n: Int!) { videos(first: $n) { nodes { id } } }`), null, { n: 50 })).toBe(
      101,
    );
    // default first = 20
    expect(queryCost(schema, parse(`{ videos { nodes { id } } }`), null, null)).toBe(41);
    expect(queryCost(schema, parse(getIntrospectionQuery()), null, null)).toBe(0);
  });

  it("refuses a nested fan-out over the maximum with QUERY_TOO_COSTLY", () => {
    const query = parse(
      `query($a: Int!, $b: Int!) { viewer { videos(first: $a) { nodes { jobs(first: $b) { nodes { id status progress } } } } } }`,
    );
    expect(checkQueryCost(schema, query, null, { a: 5, b: 5 }, 5000)).toBeNull();
    const error = checkQueryCost(schema, query, null, { a: 100, b: 100 }, 5000);
    expect(error?.extensions).toMatchObject({
      code: "QUERY_TOO_COSTLY",
      maxCost: 5000,
    });
    expect(Number(error?.extensions["cost"])).toBeGreaterThan(5000);
    expect(error?.message).toMatch(/over the maximum of 5000/);
  });
});
