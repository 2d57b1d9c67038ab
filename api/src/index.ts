export { startApiServer, type ApiServer, type ApiServerDeps } from "./http/server.js";
export { buildApiSchema } from "./graphql/build-schema.js";
export { createServices, type Services, type ServiceDeps, type ExtractionEngine } from "./services/index.js";
