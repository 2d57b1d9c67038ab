import { build, stop, type Metafile } from "esbuild";
import { existsSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { cp, mkdir, readdir, readFile, realpath, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ensureGraphiqlBuilt } from "../api/src/graphiql/build.js";
import { ensureWebBuilt, webDistDir } from "../web/src/build/build.js";
import {
  ESM_DIRNAME_BANNER,
  ESM_REQUIRE_BANNER,
  nodeBundleOptions,
  RUNTIME_MODULES,
  SERVICE_EXTERNALS,
} from "./esbuild-options.js";

/**
 * `npm run build [-- --out DIR] [--node-modules]`: each service role as one ESM file for Node 22
 * (it runs on Node 20 too), with no TypeScript and no tsx at run time:
 *
 *   DIR/api.js            the API role (needs no ffmpeg)         each with a .js.map;
 *   DIR/worker.js         the worker role                        run with --enable-source-maps
 *   DIR/standalone.js     every role in one process (npm start)  for TypeScript stack traces
 *   DIR/graphiql/         the offline playground, served from beside the bundle
 *   DIR/web/              the web app, served at / from beside the bundle
 *   DIR/schema.graphql    the GraphQL contract
 *   DIR/native/           the frame picker's C source (compiled on first use; the worker image ships it built)
 *   DIR/package.json      `"type": "module"`, so DIR runs wherever it is copied
 *
 * The SERVICE_EXTERNALS stay out of the bundles and are resolved from node_modules at run time:
 * from the repository's, so DIR must be inside it (`dist/`, `.test-dist/<random>/`), or, with
 * `--node-modules`, from DIR/node_modules, which then holds RUNTIME_MODULES and their dependencies
 * (the native better-sqlite3 as compiled by this install) and DIR may be anywhere: what the images ship.
 */
const repoRoot = fileURLToPath(new URL("..", import.meta.url));

export const ENTRIES = {
  api: "api/src/main.ts",
  worker: "worker/src/main.ts",
  standalone: "standalone/src/main.ts",
} as const;

export interface BuildOptions {
  /** Relative to the repository root, or absolute. */
  readonly outDir: string;
  /** Copy RUNTIME_MODULES (and their dependencies) into `outDir/node_modules`. */
  readonly nodeModules?: boolean;
}

export interface BuildResult {
  readonly outDir: string;
  /** Top-level files and their sizes in bytes. */
  readonly files: Record<string, number>;
  /** Packages copied into `outDir/node_modules`, as `name@version`. */
  readonly modules: string[];
  readonly ms: number;
}

export async function buildServices(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const out = resolve(repoRoot, options.outDir);
  const rel = relative(repoRoot, out);
  const insideRepo = rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
  if (rel === "" || (!insideRepo && !options.nodeModules)) {
    throw new Error(
      `--out must be a folder inside the repository, whose node_modules hold the externals (or pass --node-modules): ${out}`,
    );
  }
  // Everything is written to a sibling folder that then replaces `out` in one rename: a process
  // started from `out` meanwhile (or a second build, e.g. `start:api` and `start:worker` at once)
  // never meets a half-written or emptied folder, and a failed build leaves the last good one.
  const staging = `${out}.${process.pid}-${randomUUID().slice(0, 8)}.tmp`;
  try {
    await mkdir(staging, { recursive: true });
    const modules = await writeArtifacts(staging, options);
    await replaceDir(out, staging);
    const files: Record<string, number> = {};
    for (const name of (await readdir(out)).sort()) {
      const s = await stat(join(out, name));
      if (s.isFile()) files[name] = s.size;
    }
    return { outDir: out, files, modules, ms: Math.round(performance.now() - started) };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** `out` becomes `next`; a concurrent build's swap in between is retried (the last build wins). */
async function replaceDir(out: string, next: string): Promise<void> {
  const old = `${next}.old`;
  for (let attempt = 1; ; attempt++) {
    await rename(out, old).catch(() => undefined);
    try {
      await rename(next, out);
      break;
    } catch (err) {
      if (attempt >= 5) throw err;
    }
  }
  await rm(old, { recursive: true, force: true });
}

async function writeArtifacts(out: string, options: BuildOptions): Promise<string[]> {
  // Vite (GraphiQL, the web app) and esbuild side by side; all settle before a failure is reported.
  const [graphiql, web, bundles] = await Promise.allSettled([
    ensureGraphiqlBuilt(),
    ensureWebBuilt(),
    build({
      ...nodeBundleOptions,
      absWorkingDir: repoRoot,
      entryPoints: ENTRIES,
      outdir: out,
      external: [...SERVICE_EXTERNALS],
      banner: { js: `${ESM_REQUIRE_BANNER}\n${ESM_DIRNAME_BANNER}` },
      // Maps carry the mappings only: stack traces name the .ts files without shipping them.
      sourcesContent: false,
      metafile: true,
      logLevel: "warning",
    }),
  ]);
  if (graphiql.status === "rejected") throw graphiql.reason;
  if (web.status === "rejected") throw web.reason;
  if (bundles.status === "rejected") throw bundles.reason;
  assertSingleGraphql(bundles.value.metafile);

  await cp(join(repoRoot, "api/graphiql-dist"), join(out, "graphiql"), { recursive: true });
  // The Vite manifest (.vite/) is for the bundle-size test only: not shipped.
  await cp(webDistDir, join(out, "web"), {
    recursive: true,
    filter: (src) => !relative(webDistDir, src).startsWith(".vite"),
  });
  await cp(join(repoRoot, "schema/schema.graphql"), join(out, "schema.graphql"));
  // The engine compiles its frame picker from here on first use where the libav* headers are (engine/src/native/picker-binary.ts).
  await cp(join(repoRoot, "engine/native/pick-frames.c"), join(out, "native/pick-frames.c"));
  const manifest = { name: "video-processor-dist", private: true, type: "module" };
  await writeFile(join(out, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return options.nodeModules ? copyRuntimeModules(join(out, "node_modules")) : [];
}

/**
 * graphql bundled twice (its CommonJS and ESM builds, or two installed versions) breaks `instanceof`
 * between the copies: "Cannot use GraphQLObjectType from another module or realm" at start-up.
 */
function assertSingleGraphql(metafile: Metafile): void {
  for (const [bundle, output] of Object.entries(metafile.outputs)) {
    if (!output.entryPoint) continue;
    const copies = new Set<string>();
    for (const input of Object.keys(output.inputs)) {
      const m = /^(.*node_modules\/graphql\/).*?(\.mjs)?$/.exec(input);
      if (m) copies.add(`${m[1]}*${m[2] ?? ".js"}`);
    }
    if (copies.size > 1) throw new Error(`${bundle} bundles graphql more than once: ${[...copies].join(", ")}`);
  }
}

/** Dependencies only an install script uses (better-sqlite3 runs `prebuild-install || node-gyp rebuild`). */
const INSTALL_TIME_ONLY = new Set(["prebuild-install"]);

/**
 * RUNTIME_MODULES and everything they depend on at run time (installed optional dependencies
 * included), copied flat from this install, so the native addons are the ones compiled here. Native
 * packages keep their compiled `.node` files and drop sources and intermediate build output.
 */
async function copyRuntimeModules(target: string): Promise<string[]> {
  const copied = new Map<string, string>();
  const queue: Array<{ name: string; from: string }> = RUNTIME_MODULES.map((name) => ({ name, from: repoRoot }));
  while (queue.length > 0) {
    const { name, from } = queue.shift()!;
    const dir = await findPackage(name, from);
    if (!dir) throw new Error(`${name} is not installed (needed by ${relative(repoRoot, from) || "the bundles"})`);
    const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as {
      version: string;
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    const had = copied.get(name);
    if (had !== undefined) {
      if (had !== pkg.version) throw new Error(`${name} is needed at both ${had} and ${pkg.version}`);
      continue;
    }
    copied.set(name, pkg.version);
    const native = existsSync(join(dir, "binding.gyp"));
    await cp(dir, join(target, name), { recursive: true, filter: (src) => keep(relative(dir, src), native) });
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      if (!INSTALL_TIME_ONLY.has(dep)) queue.push({ name: dep, from: dir });
    }
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) {
      if (await findPackage(dep, dir)) queue.push({ name: dep, from: dir });
    }
  }
  return [...copied].map(([name, version]) => `${name}@${version}`).sort();
}

/** Node's lookup: `node_modules/<name>` in `from` and each folder above it. */
async function findPackage(name: string, from: string): Promise<string | null> {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpath(candidate);
    if (dirname(dir) === dir) return null;
  }
}

function keep(path: string, native: boolean): boolean {
  const parts = path.split(sep);
  if (parts[0] === "node_modules") return false; // nested copies are found and copied flat
  if (!native) return true;
  if (parts[0] === "src" || parts[0] === "deps") return false;
  if (parts[0] !== "build") return true;
  // build/ and build/Release/ themselves, then only the compiled addons inside.
  return parts.length === 1 || (parts[1] === "Release" && (parts.length === 2 || path.endsWith(".node")));
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { out: { type: "string", default: "dist" }, "node-modules": { type: "boolean", default: false } },
  });
  const { outDir, files, modules, ms } = await buildServices({
    outDir: values.out,
    nodeModules: values["node-modules"],
  }).finally(() => stop()); // ends esbuild's service process before this one exits
  const lines = Object.entries(files).map(([name, bytes]) => `  ${name.padEnd(20)} ${size(bytes).padStart(8)}`);
  if (modules.length > 0) lines.push(`  node_modules/        ${modules.join(", ")}`);
  const shown = relative(process.cwd(), outDir);
  process.stdout.write(`Built ${shown.startsWith("..") ? outDir : shown}/ in ${ms} ms\n${lines.join("\n")}\n`);
}
