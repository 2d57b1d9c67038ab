// The CLI's TypeScript as one cached esbuild bundle (chunked per command), rebuilt when any file it
// was built from changed. Compiling every module through tsx at each start cost ~0.6 s of CPU, most
// of a small job's fixed overhead; statting the bundle's few hundred inputs costs milliseconds.
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL, URL } from "node:url";

const clientDir = fileURLToPath(new URL("..", import.meta.url));
const repoRoot = path.resolve(clientDir, "..");
const entry = path.join(clientDir, "src/cli/main.ts");
/**
 * What the CLI reaches that must stay out of the bundle: the native speed-ups `ws` requires inside
 * try/catch (never installed). The engine's other externals (scripts/esbuild-options.ts) it loads by
 * variable name, which esbuild leaves alone, or never imports (better-sqlite3 is the server's).
 */
const EXTERNALS = ["bufferutil", "utf-8-validate"];
const BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";
/** Builds older than this, other than the current one, are removed by the next rebuild. */
const STALE_MS = 60 * 60 * 1000;

/** @typedef {{ dir: string, inputs: [string, number, number][] }} Manifest */

/**
 * The CLI's `main`: from the bundle when it is fresh or can be rebuilt, else compiled by tsx (a
 * read-only install, or esbuild missing).
 * @param {string} cacheDir
 * @returns {Promise<{ main: (argv: string[]) => Promise<number>, from: "bundle" | "rebuilt" | "tsx" }>}
 */
export async function loadCli(
  cacheDir = process.env.VPROC_CLI_CACHE || path.join(repoRoot, "node_modules/.cache/vproc-cli"),
) {
  // The engine compiles its frame picker from this source (engine/src/native/picker-binary.ts); a bundle has no source tree beside it.
  process.env.VP_PICKER_SOURCE ??= path.join(repoRoot, "engine/native/pick-frames.c");
  const current = fresh(cacheDir);
  if (current) return { main: (await import(pathToFileURL(path.join(current, "main.js")).href)).main, from: "bundle" };
  let built = null;
  try {
    built = await rebuild(cacheDir);
  } catch {
    // No cache is writable or esbuild failed: tsx still runs the sources.
  }
  if (built) return { main: (await import(pathToFileURL(path.join(built, "main.js")).href)).main, from: "rebuilt" };
  const { register } = await import("tsx/esm/api");
  register();
  return { main: (await import(pathToFileURL(entry).href)).main, from: "tsx" };
}

/**
 * The current build's folder when every input still has the size and mtime it was built from.
 * @param {string} cacheDir
 * @returns {string | null}
 */
function fresh(cacheDir) {
  /** @type {Manifest} */
  let m;
  try {
    m = JSON.parse(readFileSync(path.join(cacheDir, "current.json"), "utf8"));
  } catch {
    return null;
  }
  try {
    for (const [file, mtimeMs, size] of m.inputs) {
      const s = statSync(path.join(repoRoot, file));
      if (s.mtimeMs !== mtimeMs || s.size !== size) return null;
    }
    statSync(path.join(cacheDir, m.dir, "main.js"));
  } catch {
    return null;
  }
  return path.join(cacheDir, m.dir);
}

/**
 * A new build in its own folder, then `current.json` swapped by rename: CLIs starting meanwhile, or
 * building at the same time, never read a half-written build.
 * @param {string} cacheDir
 * @returns {Promise<string>}
 */
async function rebuild(cacheDir) {
  const { build } = await import("esbuild");
  const dir = `build-${Date.now()}-${randomUUID().slice(0, 8)}`;
  const out = path.join(cacheDir, dir);
  mkdirSync(out, { recursive: true });
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: { main: entry },
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // CommonJS `main` first, as in the service bundles (scripts/esbuild-options.ts): one copy of graphql.
    mainFields: ["main", "module"],
    external: EXTERNALS,
    banner: { js: BANNER },
    outdir: out,
    entryNames: "[name]",
    metafile: true,
    logLevel: "silent",
  });
  writeFileSync(path.join(out, "package.json"), '{ "type": "module" }\n');
  /** @type {Manifest} */
  const manifest = {
    dir,
    inputs: Object.keys(result.metafile.inputs)
      .filter((f) => !f.includes(":"))
      .map((f) => {
        const s = statSync(path.join(repoRoot, f));
        return [f, s.mtimeMs, s.size];
      }),
  };
  const tmp = path.join(cacheDir, `current.${process.pid}.${randomUUID().slice(0, 8)}.tmp`);
  writeFileSync(tmp, JSON.stringify(manifest));
  renameSync(tmp, path.join(cacheDir, "current.json"));
  for (const name of readdirSync(cacheDir)) {
    if (!name.startsWith("build-") || name === dir) continue;
    const made = Number(name.split("-")[1]);
    if (Date.now() - made > STALE_MS) rmSync(path.join(cacheDir, name), { recursive: true, force: true });
  }
  return out;
}
