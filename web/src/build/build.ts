import { randomUUID } from "node:crypto";
import { readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

/**
 * Builds the web app into web/dist when it is missing or older than its sources, so `npm start`,
 * `npm run dev` and the browser tests on a fresh clone serve a working app with nothing run by hand.
 */
const webRoot = fileURLToPath(new URL("../..", import.meta.url));
export const webDistDir = join(webRoot, "dist");
const SOURCES = ["src", "index.html", "package.json"];

async function newestMtime(path: string): Promise<number> {
  const s = await stat(path);
  if (!s.isDirectory()) return s.mtimeMs;
  const names = await readdir(path);
  const times = await Promise.all(names.map((n) => newestMtime(join(path, n))));
  return Math.max(s.mtimeMs, ...times);
}

async function builtMtime(): Promise<number> {
  try {
    return (await stat(join(webDistDir, "index.html"))).mtimeMs;
  } catch {
    return 0;
  }
}

const isFresh = async (): Promise<boolean> =>
  (await builtMtime()) > Math.max(...(await Promise.all(SOURCES.map((s) => newestMtime(join(webRoot, s))))));

/**
 * Vite writes into a folder of its own that replaces web/dist in one rename: concurrent builds
 * (parallel test files, a build beside a dev server) never see a half-written bundle.
 */
export async function ensureWebBuilt(): Promise<string> {
  if (await isFresh()) return webDistDir;
  process.stdout.write("Building the web app (once)...\n");
  const staging = `${webDistDir}.${process.pid}-${randomUUID().slice(0, 8)}.tmp`;
  // Vite and the React plugin pick development JSX and React from NODE_ENV (vitest sets "test"):
  // the shipped bundle is the production one whoever builds it.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({
      configFile: fileURLToPath(new URL("./vite.config.ts", import.meta.url)),
      build: { outDir: staging, emptyOutDir: true },
    });
    if (await isFresh()) return webDistDir;
    const old = `${staging}.old`;
    await rename(webDistDir, old).catch(() => undefined);
    await rename(staging, webDistDir).catch(async (err: unknown) => {
      if (!(await isFresh())) throw err;
    });
    await rm(old, { recursive: true, force: true });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    await rm(staging, { recursive: true, force: true });
  }
  return webDistDir;
}

if (import.meta.url === `file://${process.argv[1]}`) await ensureWebBuilt();
