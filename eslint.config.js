// @ts-check
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    // Generated or built output, and tool state: never linted.
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "**/.test-dist/**",
      "**/cdk.out/**",
      "client/src/generated/**",
      "web/src/generated/**",
      "api/graphiql-dist/**",
      "coverage/**",
      "data/**",
      ".bench/**",
    ],
  },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The promise rules are the point of type-aware linting: on, as errors (recommendedTypeChecked has them).
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      // `_`-prefixed names are deliberately unused: framework-required parameters (Express error handler, GraphQL args) and fields dropped by rest destructuring.
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
      // Off: ports are async (Promise-returning) and the SQLite/in-memory adapters implement them synchronously; `async` keeps throws as rejections.
      "@typescript-eslint/require-await": "off",
      // As only-throw-error does by default: forwarding an unknown/any reason (AbortSignal.reason, an iterator's throw(e)) is allowed; literals and other non-Errors are still refused.
      "@typescript-eslint/prefer-promise-reject-errors": [
        "error",
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
    },
  },
  {
    // Tests read untyped JSON (HTTP bodies, CDK templates, k8s manifests, manifest.json) and use expect.any(): the unsafe-* rules are noise there.
    files: ["*/test/**/*.ts", "**/*.test.ts", "e2e/**/*.ts", "platform/src/testing/**/*.ts", "schema/test-setup.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // Plain JavaScript (this file, the CLI shim): no tsconfig covers it, so no type-aware rules.
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
);
