import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@vp/platform";
import {
  loadStandaloneConfig as loadConfig,
  rolesFor,
  startProduct,
  type Role,
  type RunningProduct,
} from "@vp/standalone";

export interface TestProduct extends RunningProduct {
  readonly dataDir: string;
}

/** The real product, in this process, on port 0 and its own temporary data dir. */
export async function startTestProduct(
  options: { role?: Role; dataDir?: string; env?: Record<string, string> } = {},
): Promise<TestProduct> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "vp-e2e-")));
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    VP_DATA_DIR: dataDir,
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "silent",
    VP_WORKER_CONCURRENCY: "2",
    ...options.env,
  });
  const product = await startProduct({
    config,
    roles: rolesFor(options.role ?? "all"),
    logger: createLogger(config.LOG_LEVEL),
    statusPollMs: 200,
  });
  return { ...product, dataDir };
}

export const removeDir = (dir: string) => rm(dir, { recursive: true, force: true });
