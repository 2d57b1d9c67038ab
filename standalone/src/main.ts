import "reflect-metadata";
import { graphiqlDistDir } from "@vp/api";
import { createLogger, runMain } from "@vp/platform";
import { loadStandaloneConfig } from "./config.js";
import { startProduct } from "./start-product.js";

/** `npm start`: the whole product in one process on one machine (SQLite, local disk, local accounts, an outbox). */
await runMain(async () => {
  const config = loadStandaloneConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const product = await startProduct({
    config,
    roles: { api: true, worker: true },
    logger,
    graphiqlDir: graphiqlDistDir(),
  });
  process.stdout.write(
    `\nvideo-processor (all) is ready on ${product.url}\n` +
      `  Playground:  ${product.url}/graphql\n  Health:      ${product.url}/healthz\n  Data dir:    ${config.dataDir}\n\n`,
  );
  return { logger, close: () => product.close() };
});
