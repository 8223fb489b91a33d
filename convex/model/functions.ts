import { customCtx, customMutation, customQuery } from "convex-helpers/server/customFunctions";
import { mutation, query } from "../_generated/server";
import { getViewer, requireIdentity, requirePermission, requireViewer, type Permission } from "./access";

/**
 * Builders for public functions. Every public query and mutation of the app is made with one of
 * these (ESLint's `sessions-hub/public-function-builders` rejects the plain `query`/`mutation`/
 * `action` of `_generated/server` in `convex/*.ts` outside its allow-list). Most give an
 * authenticated, active `ctx.viewer` and, where given, a checked permission: anonymous or unknown
 * callers get UNAUTHENTICATED; callers without the permission get FORBIDDEN (both as ConvexError,
 * see `errors.ts`). `optionalUserQuery` and `identityMutation` serve the two functions that run
 * before a user record exists.
 */

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

/**
 * A public query that anyone may call, signed in or not; `ctx.viewer` is the caller's active user
 * record, or null when nobody is signed in, the record is not stored yet or it is deactivated.
 */
export const optionalUserQuery = customQuery(
  query,
  customCtx(async (ctx) => ({ viewer: await getViewer(ctx) })),
);

/**
 * A public mutation for a signed-in caller who may have no user record yet (`users.store` creates
 * it); `ctx.identity` is their sign-in identity from `ctx.auth`. Anonymous callers get UNAUTHENTICATED.
 */
export const identityMutation = customMutation(
  mutation,
  customCtx(async (ctx) => ({ identity: await requireIdentity(ctx) })),
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
