export * from "./local-identity-provider.js";
export * from "./signing-keys.js";
export * from "./migrate.js";
export * from "../../shared/credentials-policy.js";
export * from "./password-hash.js";
export * from "./sqlite-session-revocations.js";
