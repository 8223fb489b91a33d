import path from "node:path";
import { GENERIC_PUBLIC_CONSTRUCTORS, importedName, isGeneratedServer, PUBLIC_CONSTRUCTORS } from "./convexImports.js";

/**
 * `sessions-hub/public-function-builders`: a public module (`convex/*.ts`, as configured in
 * eslint.config.js) builds its public functions with the builders of `convex/model/functions.ts`
 * (`userQuery`, `permissionMutation`, …), which check the caller's identity and permission. It
 * rejects importing `query`, `mutation` or `action` from `_generated/server` (or their `…Generic`
 * forms from `convex/server`) unless the file and name are on the allow-list option, each entry with
 * a one-line reason. Internal constructors and `httpAction` are allowed.
 *
 * Option: `{ allow: [{ file: "convex/expertSessions.ts", name: "action", reason: "…" }] }`, file
 * relative to the working directory ESLint runs in. An entry whose import is gone is reported, so
 * the list never outlives its reason.
 *
 * @type {import("eslint").Rule.RuleModule}
 */
export default {
  meta: {
    type: "problem",
    docs: { description: "Public Convex functions are built with the builders of convex/model/functions.ts" },
    schema: [
      {
        type: "object",
        properties: {
          allow: {
            type: "array",
            items: {
              type: "object",
              properties: { file: { type: "string" }, name: { type: "string" }, reason: { type: "string", minLength: 1 } },
              required: ["file", "name", "reason"],
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      plainConstructor:
        "Build public functions with the builders of convex/model/functions.ts (userQuery, permissionMutation, …): `{{name}}` from {{source}} skips their identity and permission checks. If no builder can fit, add { file: \"{{file}}\", name: \"{{name}}\", reason } to the allow-list of sessions-hub/public-function-builders in eslint.config.js.",
      namespaceImport: "Import the names you use from {{source}}, so that ESLint can check them (no `import * as`).",
      staleAllowance: "The allow-list of sessions-hub/public-function-builders lets {{file}} import `{{name}}`, which it no longer does: remove the entry.",
    },
  },
  create(context) {
    const file = path.relative(context.cwd, context.filename).split(path.sep).join("/");
    const allowances = (context.options[0]?.allow ?? []).filter((entry) => entry.file === file);
    const used = new Set();
    return {
      ImportDeclaration(node) {
        if (node.importKind === "type") return;
        const source = node.source.value;
        const fromGenerated = isGeneratedServer(source);
        const fromConvexServer = source === "convex/server";
        if (!fromGenerated && !fromConvexServer) return;
        for (const specifier of node.specifiers) {
          if (specifier.type === "ImportNamespaceSpecifier" && fromGenerated) {
            context.report({ node: specifier, messageId: "namespaceImport", data: { source } });
            continue;
          }
          if (specifier.type !== "ImportSpecifier" || specifier.importKind === "type") continue;
          const name = importedName(specifier);
          const plain = fromGenerated ? PUBLIC_CONSTRUCTORS.has(name) : GENERIC_PUBLIC_CONSTRUCTORS.has(name);
          if (!plain) continue;
          if (allowances.some((entry) => entry.name === name)) {
            used.add(name);
            continue;
          }
          context.report({ node: specifier, messageId: "plainConstructor", data: { name, source, file } });
        }
      },
      "Program:exit"(program) {
        for (const entry of allowances) {
          if (!used.has(entry.name)) {
            context.report({ node: program, loc: { line: 1, column: 0 }, messageId: "staleAllowance", data: entry });
          }
        }
      },
    };
  },
};
