import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The web app, bundled fully offline: everything it loads is in web/dist and served from the
 * API's origin. The manifest lets a test measure the initial JavaScript.
 */
export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  base: "/",
  // Always the production build of React, even when a test process (NODE_ENV=test) runs the build.
  mode: "production",
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  plugins: [react()],
  logLevel: "warn",
  resolve: {
    // One copy of graphql for urql, graphcache and graphql-ws (its ESM build).
    alias: [{ find: /^graphql$/, replacement: "graphql/index.mjs" }],
  },
  build: {
    outDir: fileURLToPath(new URL("../../dist", import.meta.url)),
    emptyOutDir: true,
    manifest: true,
    // No inline data: URLs for assets (the CSP allows images from the origin and data: only for the favicon).
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
