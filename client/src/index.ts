// The typed client: the hand-written sdk and every generated operation document and type.
export * from "./sdk/index.js";
export * from "./generated/graphql.js";
