import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Where the built GraphiQL bundle is: beside the bundled server (`dist/graphiql/`) in production,
 * `api/graphiql-dist/` when running from source.
 */
export function graphiqlDistDir(): string {
  const besideBundle = fileURLToPath(new URL("./graphiql/", import.meta.url));
  return existsSync(besideBundle) ? besideBundle : fileURLToPath(new URL("../../graphiql-dist", import.meta.url));
}
