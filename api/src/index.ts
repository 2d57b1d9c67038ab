export { startApiServer, type ApiServer, type ApiServerDeps } from "./http/server.js";
export { buildApiSchema } from "./graphql/build-schema.js";
export { createServices, type Services, type ServiceDeps, type ExtractionEngine } from "./services/index.js";
export { startApi, type ApiRoleOptions, type RunningApi } from "./start-api.js";
export { loadApiConfig, apiConfigSchema, apiSettingsShape, type ApiConfig } from "./config.js";
export { graphiqlDistDir } from "./graphiql/location.js";
