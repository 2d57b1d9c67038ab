import { getIntrospectionQuery, Kind, parse, specifiedRules, validate } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { buildApiSchema } from "../src/graphql/build-schema.js";
import { createDepthLimitRule } from "../src/graphql/limits/depth-limit.rule.js";
import { checkOperationLimits, checkTokenCount } from "../src/graphql/limits/operation-limits.js";
import { checkQueryCost, introspectionBudget, operationCost, queryCost } from "../src/graphql/limits/query-cost.js";
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

describe("document limits (checked before validation, over HTTP and WebSocket)", () => {
  const limits = { maxTokens: 5000, maxAliases: 30, maxRootMutationFields: 1, maxDirectives: 50, introspection: true };
  const codeOf = (query: string, overrides: Partial<typeof limits> = {}, operationName?: string) =>
    checkOperationLimits(parse(query), operationName, { ...limits, ...overrides })?.extensions["code"] ?? null;

  it("counts tokens without parsing, stopping at the limit", () => {
    expect(checkTokenCount(getIntrospectionQuery(), 200)).toBeNull();
    const bomb = `{ ${"a: viewer { id } ".repeat(100_000)} }`;
    const started = performance.now();
    expect(checkTokenCount(bomb, 5000)?.extensions).toEqual({ code: "QUERY_TOO_LARGE", maxTokens: 5000 });
    expect(performance.now() - started).toBeLessThan(50);
  });

  it("counts aliases and repeated fields through fragments, memoized", () => {
    expect(codeOf(`{ a: viewer { id } b: viewer { id } }`, { maxAliases: 2 })).toBeNull();
    expect(codeOf(`{ a: viewer { id } b: viewer { id } c: viewer { id } }`, { maxAliases: 2 })).toBe(
      "TOO_MANY_ALIASES",
    );
    // 1,250 unaliased copies of one field cost graphql's overlap validation ~0.5 s: they count too.
    expect(codeOf(`{ ${"viewer { id } ".repeat(40)} }`)).toBe("TOO_MANY_ALIASES");
    // Fragments doubling at every level: 2^20 aliases, counted in linear time.
    const levels = Array.from(
      { length: 20 },
      (_, i) =>
        `fragment F${i} on Query { ${i === 19 ? "a: viewer { id }" : `...F${i + 1} b${i}: __typename ...F${i + 1}`} }`,
    ).join(" ");
    const started = performance.now();
    expect(codeOf(`{ ...F0 } ${levels}`)).toBe("TOO_MANY_ALIASES");
    expect(performance.now() - started).toBeLessThan(50);
  });

  it("caps root mutation fields (fragments expanded), directives, and switches introspection", () => {
    expect(codeOf(`mutation { cancelJob(input: { jobId: "1" }) { job { id } } }`)).toBeNull();
    expect(
      codeOf(
        `mutation { ...M } fragment M on Mutation { a: cancelJob(input: { jobId: "1" }) { job { id } } b: cancelJob(input: { jobId: "2" }) { job { id } } }`,
      ),
    ).toBe("TOO_MANY_ROOT_MUTATION_FIELDS");
    expect(codeOf(`{ viewer { ${"id @include(if: true) ".repeat(3)} } }`, { maxDirectives: 2 })).toBe(
      "TOO_MANY_DIRECTIVES",
    );
    expect(codeOf(getIntrospectionQuery(), { introspection: false })).toBe("INTROSPECTION_DISABLED");
    expect(codeOf(`{ __typename viewer { id } }`, { introspection: false })).toBeNull();
    expect(codeOf(getIntrospectionQuery())).toBeNull();
  });

  it("lets every operation of the typed client through with the defaults", async () => {
    const { readFile, readdir } = await import("node:fs/promises");
    const dir = new URL("../../client/src/operations/", import.meta.url);
    const files = (await readdir(dir)).filter((f) => f.endsWith(".graphql"));
    const source = (await Promise.all(files.map((f) => readFile(new URL(f, dir), "utf8")))).join("\n");
    const document = parse(source);
    expect(checkTokenCount(source, limits.maxTokens)).toBeNull();
    for (const def of document.definitions)
      if (def.kind === Kind.OPERATION_DEFINITION)
        expect(checkOperationLimits(document, def.name?.value, limits), def.name?.value).toBeNull();
  });
});

describe("introspection cost", () => {
  it("charges introspection by the schema's real list sizes, up to one full introspection per operation", () => {
    const budget = introspectionBudget(schema);
    const graphiql = operationCost(
      schema,
      parse(getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true })),
      null,
      null,
    );
    expect(graphiql.cost).toBe(0);
    expect(graphiql.introspectionCost).toBeGreaterThan(1000);
    expect(graphiql.introspectionCost).toBeLessThanOrEqual(budget);
    expect(checkQueryCost(schema, parse(getIntrospectionQuery()), null, null, 5000)).toBeNull();
    const nested = parse(`{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }`);
    expect(operationCost(schema, nested, null, null).introspectionCost).toBeGreaterThan(budget);
    expect(checkQueryCost(schema, nested, null, null, 5000)?.extensions["code"]).toBe("INTROSPECTION_TOO_COSTLY");
    // A small lookup is cheap.
    expect(
      operationCost(schema, parse(`{ __type(name: "Video") { name fields { name } } }`), null, null).introspectionCost,
    ).toBeLessThan(100);
  });
});
