/**
 * The esbuild settings every Node bundle of this repository shares: the service roles
 * (`scripts/build.ts` → `dist/*.js`) and the Lambdas (CDK's NodejsFunction, infra/src/constructs/functions.ts).
 * It imports types only, so both a plain script and the CDK app can load it.
 */
import type { BuildOptions } from "esbuild";

/** The Node release the images and the Lambda runtime run (the output also runs on Node 20). */
export const NODE_TARGET = "node22";

/**
 * ESM bundles still meet CommonJS dependencies that call `require("os")` and friends; esbuild's
 * shim throws "Dynamic require of 'os' is not supported" unless a real `require` is in scope.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

/**
 * CommonJS dependencies that read `__dirname` / `__filename` get the bundle's own location, which is
 * also where its assets are copied (`dist/graphiql/`, `dist/schema.graphql`). A bundled ES module
 * that declares its own top-level `__dirname` does not clash: esbuild renames it (`__dirname2`),
 * since the bundle uses the name unbound.
 */
export const ESM_DIRNAME_BANNER =
  "import { fileURLToPath as __vpFileURLToPath } from 'node:url'; " +
  "const __filename = __vpFileURLToPath(import.meta.url); " +
  "const __dirname = __vpFileURLToPath(new URL('.', import.meta.url));";

/**
 * Modules a bundle must load from node_modules beside it rather than inline:
 * native addons (`better-sqlite3` opens a compiled `.node` file), optional dependencies the code
 * imports by variable name when present (the 2018 ffmpeg/ffprobe fallback binaries), and optional
 * peers that are never installed: type-graphql's `class-validator` (imported only with
 * `validate: true`, which we do not set) and the native speed-ups `ws` requires inside try/catch.
 */
export const SERVICE_EXTERNALS = [
  "better-sqlite3",
  "@ffmpeg-installer/ffmpeg",
  "@ffprobe-installer/ffprobe",
  "class-validator",
  "bufferutil",
  "utf-8-validate",
] as const;

/**
 * The externals a deployment must install beside the bundles (the others are optional and loaded
 * only when present): `npm run build -- --node-modules` copies these and their dependencies.
 */
export const RUNTIME_MODULES = ["better-sqlite3"] as const;

/**
 * Options common to every bundle, in esbuild's own shape (NodejsFunction takes the same values
 * under slightly different names, see functions.ts).
 */
export const nodeBundleOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: NODE_TARGET,
  // CommonJS `main` first: packages such as graphql ship both, and two copies in one bundle break
  // `instanceof` checks ("Cannot use GraphQLObjectType from another module or realm").
  mainFields: ["main", "module"],
  // type-graphql names GraphQL types after their classes: esbuild must not rename them on collision.
  keepNames: true,
  sourcemap: true,
  legalComments: "none",
} satisfies BuildOptions;
