import rule from "./functionValidators.js";
import { ruleTester } from "./ruleTester";

const imports = `
import { v } from "convex/values";
import { internalMutation, query } from "./_generated/server";
import { permissionQuery, userQuery } from "./model/functions";
`;

ruleTester.run("function-validators", rule, {
  valid: [
    { code: `${imports} export const a = userQuery({ args: {}, returns: v.null(), handler: async () => null });` },
    { code: `${imports} export const a = permissionQuery("catalog.read")({ args: {}, returns: v.null(), handler: async () => null });` },
    { code: `${imports} export const a = internalMutation({ args: { id: v.string() }, returns: v.null(), handler: async () => null });` },
    // A builder factory on its own is not a definition.
    { code: `${imports} const staffQuery = permissionQuery("catalog.read");` },
    // Calls of names that do not come from _generated/server or model/functions are not definitions.
    { code: `import { query } from "./somewhere"; export const a = query({ handler: () => null });` },
    { code: `${imports} export const a = query({ "args": {}, "returns": v.null(), handler: () => null });` },
    { code: `import { queryGeneric } from "convex/server"; export const a = queryGeneric({ args: {}, returns: null, handler: () => null });` },
  ],
  invalid: [
    {
      code: `${imports} export const a = userQuery({ args: {}, handler: async () => null });`,
      errors: [{ messageId: "missing", data: { property: "returns" } }],
    },
    {
      code: `${imports} export const a = permissionQuery("catalog.read")({ args: {}, handler: async () => null });`,
      errors: [{ messageId: "missing", data: { property: "returns" } }],
    },
    {
      code: `${imports} export const a = internalMutation({ returns: v.null(), handler: async () => null });`,
      errors: [{ messageId: "missing", data: { property: "args" } }],
    },
    {
      code: `${imports} export const a = query({ handler: async () => null });`,
      errors: [
        { messageId: "missing", data: { property: "args" } },
        { messageId: "missing", data: { property: "returns" } },
      ],
    },
    {
      // A spread may carry validators, but the definition must show them itself.
      code: `${imports} const common = { args: {}, returns: v.null() }; export const a = userQuery({ ...common, handler: async () => null });`,
      errors: [
        { messageId: "missing", data: { property: "args" } },
        { messageId: "missing", data: { property: "returns" } },
      ],
    },
    {
      code: `${imports} const staffQuery = permissionQuery("catalog.read"); export const a = staffQuery({ args: {}, handler: async () => null });`,
      errors: [{ messageId: "missing", data: { property: "returns" } }],
    },
    {
      code: `${imports} export const a = query(async () => null);`,
      errors: [{ messageId: "notObject" }],
    },
    {
      code: `import { query as makeQuery } from "../_generated/server.js"; export const a = makeQuery({ args: {}, handler: () => 1 });`,
      errors: [{ messageId: "missing", data: { property: "returns" } }],
    },
    {
      code: `import { mutationGeneric } from "convex/server"; export const a = mutationGeneric({ args: {}, handler: () => 1 });`,
      errors: [{ messageId: "missing", data: { property: "returns" } }],
    },
  ],
});
