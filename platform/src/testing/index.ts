// One contract suite per port (every adapter of a port must pass its suite), and the AWS
// wire-protocol servers the suites and end-to-end tests run against.
export * from "./contracts/index.js";
export * from "./aws/servers.js";
export * from "./aws/cognito-local.js";
