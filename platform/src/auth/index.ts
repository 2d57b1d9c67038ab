export * from "./bearer.js";
export * from "./jwks-token-verifier.js";
