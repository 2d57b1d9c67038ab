export * from "./bearer.js";
export * from "./jwks-token-verifier.js";
export * from "./cached-session-revocations.js";
