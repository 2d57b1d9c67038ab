import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, rmdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const testDistRoot = join(repoRoot, ".test-dist");

export interface BuiltBundles {
  /** Holds `api.js`, `worker.js`, `standalone.js` (+ maps), `graphiql/`, `schema.graphql`: run `node <dir>/api.js`. */
  readonly dir: string;
  remove(): Promise<void>;
}

export interface BuildIntoOptions {
  /**
   * Build what the images ship: the bundles plus `node_modules/` with only the native external
   * (better-sqlite3) and its dependencies, in a folder outside the repository, so nothing can be
   * found in the repository's node_modules. Without it the folder is `.test-dist/<random>/` and the
   * externals, optional ones included (the npm ffmpeg fallback), resolve from the repository.
   * @default false
   */
  readonly selfContained?: boolean;
}

/**
 * `npm run build -- --out <fresh folder>`: the real build script as a child process, so a test runs
 * exactly the files `npm start` and the images run. About 5 s (plus ~5 s when GraphiQL's sources
 * changed since its last build).
 */
export async function buildInto(options: BuildIntoOptions = {}): Promise<BuiltBundles> {
  let dir: string;
  if (options.selfContained) {
    dir = await mkdtemp(join(tmpdir(), "vp-built-"));
  } else {
    await mkdir(testDistRoot, { recursive: true });
    dir = await mkdtemp(join(testDistRoot, "build-"));
  }
  const args = [
    "--import",
    "tsx",
    "scripts/build.ts",
    "--out",
    dir,
    ...(options.selfContained ? ["--node-modules"] : []),
  ];
  // As `npm run build` runs it: vitest's NODE_ENV=test would make Vite build React's development code.
  const { NODE_ENV: _testEnv, ...env } = process.env;
  try {
    await promisify(execFile)(process.execPath, args, { cwd: repoRoot, env, maxBuffer: 10 * 1024 * 1024 });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    const { stdout = "", stderr = "" } = err as { stdout?: string; stderr?: string };
    throw new Error(`npm run build -- --out ${dir} failed:\n${stdout}${stderr}`, { cause: err });
  }
  return {
    dir,
    async remove() {
      await rm(dir, { recursive: true, force: true });
      // The shared parent goes too once no other build is in it.
      if (!options.selfContained) await rmdir(testDistRoot).catch(() => undefined);
    },
  };
}
