import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // type-graphql and graphql-ws must share one copy of graphql, or "another module or realm" errors appear.
    alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }],
  },
  test: {
    include: ["*/src/**/*.test.ts", "*/test/**/*.test.ts", "*/e2e/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    setupFiles: ["./schema/test-setup.ts"],
  },
});
