export * from "./api-gateway.js";
export * from "./rate-limiter.js";
export * from "./bodies.js";
export * from "./accounts-handler.js";
