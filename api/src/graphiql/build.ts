import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

/**
 * Builds the offline GraphiQL bundle when it is missing or older than its sources,
 * so `npm start` on a fresh clone serves a working playground with nothing to run by hand.
 */
const sourceDir = fileURLToPath(new URL(".", import.meta.url));
const graphiqlDistDir = fileURLToPath(new URL("../../graphiql-dist", import.meta.url));

async function newestSourceMtime(): Promise<number> {
  const names = await readdir(sourceDir);
  const times = await Promise.all(names.map(async (n) => (await stat(join(sourceDir, n))).mtimeMs));
  return Math.max(...times);
}

async function builtMtime(): Promise<number> {
  try {
    return (await stat(join(graphiqlDistDir, "index.html"))).mtimeMs;
  } catch {
    return 0;
  }
}

export async function ensureGraphiqlBuilt(): Promise<void> {
  if ((await builtMtime()) > (await newestSourceMtime())) return;
  process.stdout.write("Building the GraphiQL playground bundle (once)...\n");
  await build({ configFile: join(sourceDir, "vite.config.ts") });
}

if (import.meta.url === `file://${process.argv[1]}`) await ensureGraphiqlBuilt();
