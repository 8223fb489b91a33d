import functionValidators from "./rules/functionValidators.js";
import publicFunctionBuilders from "./rules/publicFunctionBuilders.js";

/**
 * The project's own ESLint rules (configured in eslint.config.js, tested with ESLint's RuleTester in
 * the `tooling` vitest project): Convex conventions that no published plugin checks.
 */
export default {
  meta: { name: "sessions-hub" },
  rules: {
    "public-function-builders": publicFunctionBuilders,
    "function-validators": functionValidators,
  },
};
