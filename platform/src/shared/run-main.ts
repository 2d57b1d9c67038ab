import type { Logger } from "pino";
import { ConfigError } from "./env-config.js";

/**
 * The body of every process entry: a configuration problem prints one line per setting and exits 2;
 * SIGINT/SIGTERM drain what `start` returned, then exit 0 (1 when draining fails).
 */
export async function runMain(
  start: () => Promise<{ readonly logger: Logger; close(): Promise<void> }>,
): Promise<void> {
  let running;
  try {
    running = await start();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const { logger } = running;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: draining requests, finishing or handing back jobs");
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}
