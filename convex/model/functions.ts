import { customCtx, customMutation, customQuery } from "convex-helpers/server/customFunctions";
import { mutation, query } from "../_generated/server";
import { requirePermission, requireViewer, type Permission } from "./access";
import { checkArguments } from "./validation";

/**
 * Builders for public functions. Every public query and mutation of the app is made with one of
 * these, so that each has an authenticated, active `ctx.viewer` and, where given, a checked
 * permission. Anonymous or unknown callers get UNAUTHENTICATED; callers without the permission get
 * FORBIDDEN (both as ConvexError, see `errors.ts`). Before either, every call's arguments are checked
 * against the bounds declared on their validators (`checkArguments` in `validation.ts`): a value
 * out of bounds gets INVALID_ARGUMENT and the handler never runs.
 */

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

/** A public query for any signed-in user; `ctx.viewer` is their user record. */
export const userQuery = customQuery(
  checkedQuery,
  customCtx(async (ctx) => ({ viewer: await requireViewer(ctx) })),
);

/** A public mutation for any signed-in user; `ctx.viewer` is their user record. */
export const userMutation = customMutation(
  checkedMutation,
  customCtx(async (ctx) => ({ viewer: await requireViewer(ctx) })),
);

/** A public query that also requires `permission` (see `access.ts#PERMISSIONS`). */
export function permissionQuery(permission: Permission) {
  return customQuery(
    checkedQuery,
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
    checkedMutation,
    customCtx(async (ctx) => {
      const viewer = await requireViewer(ctx);
      requirePermission(viewer, permission);
      return { viewer };
    }),
  );
}
