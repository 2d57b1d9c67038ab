import "reflect-metadata";
import { ConfigError, loadConfig } from "@vp/platform/config";
import { graphiqlDistDir } from "./graphiql/build.js";
import { createLogger } from "./compose/logger.js";
import { parseRole, rolesFor } from "./compose/roles.js";
import { startProduct } from "./compose/start-product.js";

/** `npm start` (everything), `npm run start:api`, `npm run start:worker`: one entry, roles by flag. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const role = parseRole(process.argv);
  const logger = createLogger(config.LOG_LEVEL);
  const product = await startProduct({ config, roles: rolesFor(role), logger, graphiqlDir: graphiqlDistDir });
  if (product.url) {
    process.stdout.write(
      `\nvideo-processor (${role}) is ready on ${product.url}\n` +
        `  Playground:  ${product.url}/graphql\n  Health:      ${product.url}/healthz\n  Data dir:    ${config.dataDir}\n\n`,
    );
  } else {
    process.stdout.write(`\nvideo-processor (${role}) is running. Data dir: ${config.dataDir}\n\n`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: draining requests, finishing or handing back jobs");
    product.close().then(
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

await main();
