import { paginationResultValidator } from "convex/server";
import { paginationArg, textArg, listArg } from "./model/validation";
import { v } from "convex/values";
import { literals } from "convex-helpers/validators";
import { internalMutation } from "./_generated/server";
import { replaceUserRoles, setDiscordUserIdByHand } from "./model/users/administration";
import { activeUsersWithRole, listUsers, userByEmail } from "./model/users/directory";
import { identityMutation, optionalUserQuery, permissionMutation, permissionQuery, userMutation } from "./model/functions";
import { roleValidator } from "./model/users/roles";
import {
  applyClerkUserEvent as applyClerkEvent,
  makeSuperadminByEmail,
  publicUserValidator,
  setTimeZone,
  storeUserFromIdentity,
  toPublicUser,
} from "./model/users/accounts";

/** Creates or refreshes the caller's user record; see `model/users/accounts.ts#storeUserFromIdentity`. */
export const store = identityMutation({
  args: {},
  returns: v.id("users"),
  handler: (ctx) => storeUserFromIdentity(ctx, ctx.identity),
});

/** The caller's own record, or null; see `toPublicUser` in `model/users/accounts.ts`. */
export const me = optionalUserQuery({
  args: {},
  returns: v.union(publicUserValidator, v.null()),
  handler: (ctx) => (ctx.viewer === null ? null : toPublicUser(ctx.viewer)),
});

/** Sets the caller's time zone; see `model/users/accounts.ts#setTimeZone`. */
export const setMyTimeZone = userMutation({
  args: { timeZone: textArg("Time zone", 100) },
  returns: v.null(),
  handler: (ctx, { timeZone }) => setTimeZone(ctx, ctx.viewer._id, timeZone),
});

/** Users, newest first, a page at a time; see `listUsers` in `model/users/directory.ts`. */
export const list = permissionQuery("users.read")({
  args: { paginationOpts: paginationArg, role: v.optional(roleValidator) },
  returns: paginationResultValidator(publicUserValidator),
  handler: (ctx, { paginationOpts, role }) => listUsers(ctx, paginationOpts, role),
});

/** Active holders of a role, for pickers; see `activeUsersWithRole` in `model/users/directory.ts`. */
export const listByRole = permissionQuery("users.read")({
  args: { role: roleValidator },
  returns: v.array(publicUserValidator),
  handler: (ctx, { role }) => activeUsersWithRole(ctx, role),
});

/** Finds a user by email; see `userByEmail` in `model/users/directory.ts`. */
export const findByEmail = permissionQuery("users.read")({
  args: { email: v.string() },
  returns: v.union(publicUserValidator, v.null()),
  handler: (ctx, { email }) => userByEmail(ctx, email),
});

/** Replaces a user's roles; see `replaceUserRoles` in `model/users/administration.ts`. */
export const setRoles = permissionMutation("roles.manage")({
  args: { userId: v.id("users"), roles: listArg("Roles", roleValidator, 20) },
  returns: v.array(roleValidator),
  handler: (ctx, { userId, roles }) => replaceUserRoles(ctx, ctx.viewer._id, userId, roles),
});

/** Sets or clears a user's Discord user id by hand; see `setDiscordUserIdByHand` in `model/users/administration.ts`. */
export const setDiscordUserId = permissionMutation("users.manageDiscord")({
  args: { userId: v.id("users"), discordUserId: v.union(textArg("Discord user id", 32), v.null()) },
  returns: v.null(),
  handler: (ctx, { userId, discordUserId }) => setDiscordUserIdByHand(ctx, userId, discordUserId, Date.now()),
});

/** Makes the user with `email` a superadmin (CLI); see `model/users/accounts.ts#makeSuperadminByEmail`. */
export const makeSuperadmin = internalMutation({
  args: { email: v.string() },
  returns: v.id("users"),
  handler: (ctx, { email }) => makeSuperadminByEmail(ctx, email),
});

/** A verified Clerk user event (from `POST /clerk-users-webhook`); see `model/users/accounts.ts#applyClerkUserEvent`. */
export const applyClerkUserEvent = internalMutation({
  args: {
    messageId: v.string(),
    change: v.union(
      v.object({
        kind: v.literal("upsert"),
        externalId: v.string(),
        eventAt: v.number(),
        tokenIdentifier: v.string(),
        name: v.string(),
        email: v.string(),
        emailVerified: v.boolean(),
        imageUrl: v.optional(v.string()),
      }),
      v.object({ kind: v.literal("deactivate"), externalId: v.string(), eventAt: v.number() }),
    ),
  },
  returns: literals("applied", "replayed", "outdated"),
  handler: (ctx, { messageId, change }) => applyClerkEvent(ctx, change, messageId, Date.now()),
});
