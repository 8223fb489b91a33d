import { customCtx, customMutation, customQuery } from "convex-helpers/server/customFunctions";
import { internalMutation as rawInternalMutation, mutation as rawMutation, query } from "../_generated/server";
import { requirePermission, requireViewer, type Permission } from "./access";
import { triggers } from "./triggers";

/**
 * Builders for public functions. Every public query and mutation of the app is made with one of
 * these, so that each has an authenticated, active `ctx.viewer` and, where given, a checked
 * permission. Anonymous or unknown callers get UNAUTHENTICATED; callers without the permission get
 * FORBIDDEN (both as ConvexError, see `errors.ts`). Every mutation builder runs the table triggers of
 * `triggers.ts` on its writes.
 */

/** A mutation whose `ctx.db` runs the table triggers of `triggers.ts`. */
const mutation = customMutation(rawMutation, customCtx(triggers.wrapDB));

/** An internal mutation whose `ctx.db` runs the table triggers of `triggers.ts`; use it for every internal mutation that writes a table with triggers. */
export const internalMutation = customMutation(rawInternalMutation, customCtx(triggers.wrapDB));

/** A public query for any signed-in user; `ctx.viewer` is their user record. */
export const userQuery = customQuery(
  query,
  customCtx(async (ctx) => ({ viewer: await requireViewer(ctx) })),
);

/** A public mutation for any signed-in user; `ctx.viewer` is their user record. */
export const userMutation = customMutation(
  mutation,
  customCtx(async (ctx) => ({ viewer: await requireViewer(ctx) })),
);

/** A public query that also requires `permission` (see `access.ts#PERMISSIONS`). */
export function permissionQuery(permission: Permission) {
  return customQuery(
    query,
    customCtx(async (ctx) => {
      const viewer = await requireViewer(ctx);
      requirePermission(viewer, permission);
      return { viewer };
    }),
  );
}

/** A public mutation that also requires `permission` (see `access.ts#PERMISSIONS`). */
export function permissionMutation(permission: Permission) {
  return customMutation(
    mutation,
    customCtx(async (ctx) => {
      const viewer = await requireViewer(ctx);
      requirePermission(viewer, permission);
      return { viewer };
    }),
  );
}
