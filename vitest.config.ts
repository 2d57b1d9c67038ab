import { defineConfig } from "vitest/config";

/**
 * `unit`: pure and fast. No ffmpeg, no servers (not even in-process ones), no child processes, no
 * SQLite; temp files at most. A test that starts any of those belongs in `integration`, which is
 * also where a new test file lands unless it is listed here.
 */
const UNIT = [
  // domain and schema are pure by their role.
  "domain/src/**/*.test.ts",
  "schema/src/**/*.test.ts",
  // engine/src/runtime.test.ts spawns processes (sh, sleep, ffmpeg -version): integration.
  "engine/src/ffmpeg/*.test.ts",
  "engine/src/sampling/*.test.ts",
  "engine/src/previews/*.test.ts",
  "api/test/filename.test.ts",
  "api/test/frames.unit.test.ts",
  "api/test/limits.test.ts",
  "api/test/schema-file.test.ts",
  "auth-lambda/test/rate-limiter.test.ts",
  "client/test/codegen.test.ts",
  "web/test/codegen.test.ts",
  "infra/test/k8s-manifests.test.ts",
  "infra/test/stage.test.ts",
  "notify-lambda/test/notify.test.ts",
  "platform/test/aws-messaging.test.ts",
  "platform/test/aws-webhook-queue.test.ts",
  "platform/test/outbox-mailer.test.ts",
];
/** The web app's components, hooks and browser-side modules, in happy-dom. */
const WEB = ["web/src/**/*.test.ts", "web/src/**/*.test.tsx"];
/** The started product over real HTTP/WebSocket, as child processes. */
const E2E = ["e2e/test/**/*.test.ts", "*/e2e/**/*.test.ts"];
const ALL = ["*/src/**/*.test.ts", "*/test/**/*.test.ts"];
const IGNORED = ["**/node_modules/**", "**/dist/**", "**/.test-dist/**"];

export default defineConfig({
  resolve: {
    // type-graphql and graphql-ws must share one copy of graphql, or "another module or realm" errors appear.
    alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }],
  },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    setupFiles: ["./schema/test-setup.ts"],
    // Each project extends the settings above (alias, setup file, pool, timeouts).
    projects: [
      { extends: true, test: { name: "unit", include: UNIT, exclude: IGNORED } },
      // Real SQLite, real ffmpeg, in-process AWS protocol servers, local HTTP servers.
      { extends: true, test: { name: "integration", include: ALL, exclude: [...IGNORED, ...UNIT, ...E2E, ...WEB] } },
      { extends: true, test: { name: "web", include: WEB, exclude: IGNORED, environment: "happy-dom" } },
      { extends: true, test: { name: "e2e", include: E2E, exclude: IGNORED } },
    ],
  },
});
