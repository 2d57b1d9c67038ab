import { randomUUID } from "node:crypto";
import { readdir, rename, rm, stat } from "node:fs/promises";
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

const isFresh = async (): Promise<boolean> => (await builtMtime()) > (await newestSourceMtime());

/**
 * Vite writes into a folder of its own, which then replaces api/graphiql-dist in one rename: several
 * builds at once (parallel test files, `npm run build` beside a dev server) never see a half-written
 * or emptied bundle, and an interrupted build leaves the old one in place.
 */
export async function ensureGraphiqlBuilt(): Promise<void> {
  if (await isFresh()) return;
  process.stdout.write("Building the GraphiQL playground bundle (once)...\n");
  const staging = `${graphiqlDistDir}.${process.pid}-${randomUUID().slice(0, 8)}.tmp`;
  try {
    await build({ configFile: join(sourceDir, "vite.config.ts"), build: { outDir: staging, emptyOutDir: true } });
    // Another build finished first: its output is as fresh as ours.
    if (await isFresh()) return;
    const old = `${staging}.old`;
    await rename(graphiqlDistDir, old).catch(() => undefined);
    await rename(staging, graphiqlDistDir).catch(async (err: unknown) => {
      if (!(await isFresh())) throw err; // else another build got there between our two renames
    });
    await rm(old, { recursive: true, force: true });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await ensureGraphiqlBuilt();
