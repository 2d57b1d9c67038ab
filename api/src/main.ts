import "reflect-metadata";
import { collectDefaultMetrics, Registry } from "prom-client";
import { createLogger, runMain, selectPlatform } from "@vp/platform";
import { loadApiConfig } from "./config.js";
import { graphiqlDistDir } from "./graphiql/location.js";
import { startApi } from "./start-api.js";

/** `node dist/api.js`: the API role alone. It needs no ffmpeg: workers probe and extract. */
await runMain(async () => {
  const config = loadApiConfig();
  const logger = createLogger(config.LOG_LEVEL);
  let publicUrl = config.publicUrl ?? `http://localhost:${config.PORT}`;
  const backend = await selectPlatform(config, {
    logger: logger.child({ component: "platform" }),
    service: "MSG_SERVICE_API",
    publicUrl: () => publicUrl,
  });
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const api = await startApi({ config, backend, logger, metrics, graphiqlDir: graphiqlDistDir() });
  if (!config.publicUrl) publicUrl = api.url;
  process.stdout.write(
    `\nvideo-processor (api) is ready on ${api.url}\n` +
      `  Playground:  ${api.url}/graphql\n  Health:      ${api.url}/healthz\n  Data dir:    ${config.dataDir}\n\n`,
  );
  return {
    logger,
    async close() {
      await api.close();
      await backend.platform.close();
    },
  };
});
