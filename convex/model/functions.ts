import { customCtx, customMutation, customQuery } from "convex-helpers/server/customFunctions";
import { internalMutation as rawInternalMutation, mutation as rawMutation, query, type QueryCtx } from "../_generated/server";
import { getViewer, requireIdentity, requirePermission, requireViewer, type Permission } from "./access";
import { triggers } from "./triggers";
import { checkArguments } from "./validation";

/**
 * Builders for public functions. Every public query and mutation of the app is made with one of
 * these (ESLint's `sessions-hub/public-function-builders` rejects the plain `query`/`mutation`/
 * `action` of `_generated/server` in `convex/*.ts` outside its allow-list). Most give an
 * authenticated, active `ctx.viewer` and, where given, a checked permission: anonymous or unknown
 * callers get UNAUTHENTICATED; callers without the permission get FORBIDDEN (both as ConvexError,
 * see `errors.ts`). `optionalUserQuery` and `identityMutation` serve the two functions that run
 * before a user record exists. Every mutation builder runs the table triggers of `triggers.ts` on
 * its writes. Before anything else, every builder checks each call's arguments against the bounds
 * declared on their validators (`checkArguments` in `validation.ts`): a value out of bounds gets
 * INVALID_ARGUMENT and the handler never runs.
 */

/** A mutation whose `ctx.db` runs the table triggers of `triggers.ts`. */
const mutation = customMutation(rawMutation, customCtx(triggers.wrapDB));

/** An internal mutation whose `ctx.db` runs the table triggers of `triggers.ts`; use it for every internal mutation that writes a table with triggers. */
export const internalMutation = customMutation(rawInternalMutation, customCtx(triggers.wrapDB));

type FunctionDefinition = {
  args?: Parameters<typeof checkArguments>[0];
  handler: (ctx: unknown, args: Record<string, unknown>) => unknown;
};

/** `builder` with {@link checkArguments} run on each call before the definition's handler. */
function checkingArguments<Builder>(builder: Builder): Builder {
  const build = builder as (definition: FunctionDefinition) => unknown;
  return ((definition: FunctionDefinition) =>
    build({
      ...definition,
      handler: (ctx, args) => {
        checkArguments(definition.args, args);
        return definition.handler(ctx, args);
      },
    })) as Builder;
}

const checkedQuery = checkingArguments(query);
const checkedMutation = checkingArguments(mutation);

/** Gives the handler `ctx.viewer`, the signed-in caller's active user record (UNAUTHENTICATED otherwise). */
const withViewer = customCtx(async (ctx: QueryCtx) => ({ viewer: await requireViewer(ctx) }));

/** {@link withViewer} for a caller who must also hold `permission` (FORBIDDEN otherwise). */
function withPermittedViewer(permission: Permission) {
  return customCtx(async (ctx: QueryCtx) => {
    const viewer = await requireViewer(ctx);
    requirePermission(viewer, permission);
    return { viewer };
  });
}

/** A public query for any signed-in user; `ctx.viewer` is their user record. */
export const userQuery = customQuery(checkedQuery, withViewer);

/** A public mutation for any signed-in user; `ctx.viewer` is their user record. */
export const userMutation = customMutation(checkedMutation, withViewer);

/**
 * A public query that anyone may call, signed in or not; `ctx.viewer` is the caller's active user
 * record, or null when nobody is signed in, the record is not stored yet or it is deactivated.
 */
export const optionalUserQuery = customQuery(
  checkedQuery,
  customCtx(async (ctx) => ({ viewer: await getViewer(ctx) })),
);

/**
 * A public mutation for a signed-in caller who may have no user record yet (`users.store` creates
 * it); `ctx.identity` is their sign-in identity from `ctx.auth`. Anonymous callers get UNAUTHENTICATED.
 */
export const identityMutation = customMutation(
  checkedMutation,
  customCtx(async (ctx) => ({ identity: await requireIdentity(ctx) })),
);

/** A public query that also requires `permission` (see `access.ts#PERMISSIONS`). */
export function permissionQuery(permission: Permission) {
  return customQuery(checkedQuery, withPermittedViewer(permission));
}

/** A public mutation that also requires `permission` (see `access.ts#PERMISSIONS`). */
export function permissionMutation(permission: Permission) {
  return customMutation(checkedMutation, withPermittedViewer(permission));
}
