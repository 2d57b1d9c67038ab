import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/** Bundles GraphiQL fully offline (no CDN): served by the API at GET /graphql. */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/graphiql/",
  oxc: { jsx: { runtime: "automatic" } },
  logLevel: "warn",
  build: {
    outDir: fileURLToPath(new URL("../../graphiql-dist", import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
    rollupOptions: {
      // GraphiQL's dependencies carry "use client" directives that mean nothing in a plain bundle.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
  },
});
