import path from "node:path";
import rule from "./publicFunctionBuilders.js";
import { ruleTester } from "./ruleTester";

const file = (relative: string) => path.join(process.cwd(), relative);
const allowAction = [
  { allow: [{ file: "convex/expertSessions.ts", name: "action", reason: "reads file bytes; an internal query checks the permission" }] },
];

ruleTester.run("public-function-builders", rule, {
  valid: [
    { code: `import { internalMutation, internalQuery, internalAction, httpAction, env } from "./_generated/server";`, filename: file("convex/users.ts") },
    { code: `import type { QueryCtx } from "./_generated/server";`, filename: file("convex/users.ts") },
    { code: `import { type MutationCtx } from "./_generated/server";`, filename: file("convex/users.ts") },
    { code: `import { userQuery } from "./model/functions";`, filename: file("convex/users.ts") },
    { code: `import { paginationOptsValidator, internalQueryGeneric } from "convex/server";`, filename: file("convex/users.ts") },
    { code: `import { action, internalMutation } from "./_generated/server";`, filename: file("convex/expertSessions.ts"), options: allowAction },
  ],
  invalid: [
    {
      code: `import { internalMutation, mutation, query } from "./_generated/server";`,
      filename: file("convex/users.ts"),
      errors: [
        { messageId: "plainConstructor", data: { name: "mutation", source: "./_generated/server", file: "convex/users.ts" } },
        { messageId: "plainConstructor", data: { name: "query", source: "./_generated/server", file: "convex/users.ts" } },
      ],
    },
    {
      code: `import { query as q } from "./_generated/server.js";`,
      filename: file("convex/users.ts"),
      errors: [{ messageId: "plainConstructor", data: { name: "query", source: "./_generated/server.js", file: "convex/users.ts" } }],
    },
    {
      code: `import { queryGeneric } from "convex/server";`,
      filename: file("convex/users.ts"),
      errors: [{ messageId: "plainConstructor", data: { name: "queryGeneric", source: "convex/server", file: "convex/users.ts" } }],
    },
    {
      code: `import * as server from "./_generated/server";`,
      filename: file("convex/users.ts"),
      errors: [{ messageId: "namespaceImport" }],
    },
    {
      // The allow-list names a file and an import: the same import elsewhere, or another one there, fails.
      code: `import { action } from "./_generated/server";`,
      filename: file("convex/coaching.ts"),
      options: allowAction,
      errors: [{ messageId: "plainConstructor", data: { name: "action", source: "./_generated/server", file: "convex/coaching.ts" } }],
    },
    {
      code: `import { action, mutation } from "./_generated/server";`,
      filename: file("convex/expertSessions.ts"),
      options: allowAction,
      errors: [{ messageId: "plainConstructor", data: { name: "mutation", source: "./_generated/server", file: "convex/expertSessions.ts" } }],
    },
    {
      code: `import { internalMutation } from "./_generated/server";`,
      filename: file("convex/expertSessions.ts"),
      options: allowAction,
      errors: [{ messageId: "staleAllowance", data: { file: "convex/expertSessions.ts", name: "action" } }],
    },
  ],
});
