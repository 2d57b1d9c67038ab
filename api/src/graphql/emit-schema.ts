import "reflect-metadata";
import { writeFile } from "node:fs/promises";
import { buildApiSchema } from "./build-schema.js";
import { renderSchema, SCHEMA_FILE } from "./schema-file.js";

/** `npm run emit-schema`: writes schema/schema.graphql. A test fails when it is stale. */
const schema = await buildApiSchema();
await writeFile(SCHEMA_FILE, await renderSchema(schema));
process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
