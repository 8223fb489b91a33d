import { functionDefiningNames } from "./convexImports.js";

/**
 * `sessions-hub/function-validators`: every Convex function definition states its argument and
 * return validators. A definition is a call of a constructor from `_generated/server` (`query`,
 * `internalMutation`, …) or `convex/server` (`queryGeneric`, …), or of a builder from
 * `model/functions` (`userQuery({...})`, `permissionQuery("catalog.read")({...})`, or a builder kept
 * in a variable). Its argument must be an object literal with `args` and `returns` properties (a bare
 * handler function is rejected), written in the literal itself (not only through a spread), so that
 * a reader sees both where the function is defined. The Convex backend validates both at run time;
 * `npm run check:deploy` checks the same on the pushed bundle.
 *
 * @type {import("eslint").Rule.RuleModule}
 */
export default {
  meta: {
    type: "problem",
    docs: { description: "Convex function definitions have args and returns validators" },
    schema: [],
    messages: {
      missing: "This Convex function definition has no `{{property}}` validator: add `{{property}}: v.…` to the object.",
      notObject:
        "Define the function with an object literal `{ args, returns, handler }` so its validators can be checked (a bare handler has none).",
    },
  },
  create(context) {
    let definers = new Set();
    /** The identifier a definition call goes through: `f({...})` or `f("permission")({...})`. */
    const definerOf = (call) => {
      const callee = call.callee.type === "CallExpression" ? call.callee.callee : call.callee;
      return callee.type === "Identifier" && definers.has(callee.name) ? callee.name : null;
    };
    const hasProperty = (object, name) =>
      object.properties.some(
        (property) =>
          property.type === "Property" &&
          !property.computed &&
          ((property.key.type === "Identifier" && property.key.name === name) ||
            (property.key.type === "Literal" && property.key.value === name)),
      );
    return {
      Program(program) {
        definers = functionDefiningNames(program);
      },
      // `const staffQuery = permissionQuery("catalog.read")`: `staffQuery({...})` defines functions too.
      VariableDeclarator(node) {
        const init = node.init;
        if (
          node.id.type === "Identifier" &&
          init?.type === "CallExpression" &&
          init.arguments[0]?.type !== "ObjectExpression" &&
          definerOf(init) !== null
        ) {
          definers.add(node.id.name);
        }
      },
      CallExpression(node) {
        if (definerOf(node) === null) return;
        // `permissionQuery("catalog.read")` only makes a builder; the call of its result is the definition.
        if (node.parent.type === "CallExpression" && node.parent.callee === node) return;
        const [definition] = node.arguments;
        if (definition === undefined) return;
        if (definition.type === "ArrowFunctionExpression" || definition.type === "FunctionExpression") {
          context.report({ node: definition, messageId: "notObject" });
          return;
        }
        // Anything else but an object literal makes a builder (`permissionQuery(permission)`).
        if (definition.type !== "ObjectExpression") return;
        for (const property of ["args", "returns"]) {
          if (!hasProperty(definition, property)) context.report({ node: definition, messageId: "missing", data: { property } });
        }
      },
    };
  },
};
