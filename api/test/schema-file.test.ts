import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { buildApiSchema } from "../src/graphql/build-schema.js";
import { renderSchema, SCHEMA_FILE } from "../src/graphql/schema-file.js";

describe("schema/schema.graphql", () => {
  it("matches the schema the code builds (run `npm run emit-schema` after changing types)", async () => {
    const committed = await readFile(SCHEMA_FILE, "utf8");
    expect(await renderSchema(await buildApiSchema())).toBe(committed);
  });
});
