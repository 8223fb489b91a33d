import js from "@eslint/js";
import convexPlugin from "@convex-dev/eslint-plugin";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";
import sessionsHub from "./eslint/plugin.js";

export default tseslint.config(
  { ignores: ["dist", "node_modules", "convex/_generated", "coverage"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...convexPlugin.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    files: ["src/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ["convex/**/*.ts"],
    ignores: ["convex/_generated/**"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { "sessions-hub": sessionsHub },
    rules: { "@convex-dev/no-filter-in-query": "error", "sessions-hub/function-validators": "error" },
  },
  {
    // Public modules build their functions with the builders of convex/model/functions.ts. The
    // allow-list names each exception with the one-line reason no builder fits.
    files: ["convex/*.ts"],
    rules: {
      "sessions-hub/public-function-builders": [
        "error",
        {
          allow: [
            {
              file: "convex/expertSessions.ts",
              name: "action",
              reason:
                "checkCaptionsUpload reads file bytes, so it is an action, which has no database to load the caller's record; its first step, the internal query captionsUploadToCheck, checks the permission.",
            },
            {
              file: "convex/discordLinking.ts",
              name: "action",
              reason:
                "finish calls Discord's OAuth2 token endpoint, so it is an action, which has no database to load the caller's record; its first step, the internal mutation consumeStateForCaller, checks the caller.",
            },
          ],
        },
      ],
    },
  },
  {
    // auth.config.ts is evaluated when functions are pushed, where the documented way to read the
    // deployment's variables is process.env; the typed `env` of _generated/server is for functions.
    files: ["convex/auth.config.ts"],
    rules: { "@convex-dev/no-process-env": "off" },
  },
  {
    files: ["scripts/**/*.{js,mjs}", "testing/**/*.mjs", "eslint/**/*.js", "*.config.{js,ts}"],
    languageOptions: { globals: globals.node },
  },
);
