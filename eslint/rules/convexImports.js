/**
 * What the two Convex rules need to know about a module's imports: which local names are Convex's
 * function constructors (from `_generated/server` or `convex/server`) and which are our builders
 * (from `model/functions`).
 */

/** The plain constructors of public functions: they skip the access checks of our builders. */
export const PUBLIC_CONSTRUCTORS = new Set(["query", "mutation", "action"]);
/** Their generic twins in `convex/server`, which `_generated/server` re-exports with types. */
export const GENERIC_PUBLIC_CONSTRUCTORS = new Set(["queryGeneric", "mutationGeneric", "actionGeneric"]);
/** Constructors of internal functions: allowed anywhere, but they take validators too. */
export const INTERNAL_CONSTRUCTORS = new Set(["internalQuery", "internalMutation", "internalAction"]);
const GENERIC_INTERNAL_CONSTRUCTORS = new Set(["internalQueryGeneric", "internalMutationGeneric", "internalActionGeneric"]);

/** True for `./_generated/server` (with or without `.js`, from any folder depth). */
export function isGeneratedServer(source) {
  return /(^|\/)_generated\/server(\.js)?$/.test(source);
}

/** True for our builders module, `convex/model/functions.ts`, imported from anywhere. */
export function isBuildersModule(source) {
  return /(^|\/)model\/functions(\.js|\.ts)?$/.test(source);
}

/** The name an import specifier imports (`import { a as b }` → "a"). */
export function importedName(specifier) {
  return specifier.imported.type === "Identifier" ? specifier.imported.name : specifier.imported.value;
}

/**
 * Local names bound to something that defines a Convex function: constructors of `_generated/server`
 * and `convex/server` and every export of `model/functions` (builders, and builder factories such
 * as `permissionQuery`). Type-only imports are left out.
 */
export function functionDefiningNames(program) {
  const names = new Set();
  for (const node of program.body) {
    if (node.type !== "ImportDeclaration" || node.importKind === "type") continue;
    const source = node.source.value;
    for (const specifier of node.specifiers) {
      if (specifier.type !== "ImportSpecifier" || specifier.importKind === "type") continue;
      const name = importedName(specifier);
      const defines =
        (isGeneratedServer(source) && (PUBLIC_CONSTRUCTORS.has(name) || INTERNAL_CONSTRUCTORS.has(name))) ||
        (source === "convex/server" && (GENERIC_PUBLIC_CONSTRUCTORS.has(name) || GENERIC_INTERNAL_CONSTRUCTORS.has(name))) ||
        isBuildersModule(source);
      if (defines) names.add(specifier.local.name);
    }
  }
  return names;
}
