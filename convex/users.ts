import { paginationResultValidator } from "convex/server";
import { paginationArg, textArg, listArg } from "./model/validation";
import { v } from "convex/values";
import { internalMutation } from "./_generated/server";
import { scheduleRoleGrantsForUser } from "./model/discord/grants";
import { throwError } from "./model/errors";
import { identityMutation, optionalUserQuery, permissionMutation, permissionQuery, userMutation } from "./model/functions";
import { roleValidator } from "./model/users/roles";
import {
  applyClerkUserEvent as applyClerkEvent,
  makeSuperadminByEmail,
  publicUserValidator,
  setTimeZone,
  setUserRoles,
  storeUserFromIdentity,
  toPublicUser,
} from "./model/users/accounts";

/** Creates or refreshes the caller's user record; see `model/users/accounts.ts#storeUserFromIdentity`. */
export const store = identityMutation({
  args: {},
  returns: v.id("users"),
  handler: (ctx) => storeUserFromIdentity(ctx, ctx.identity),
});

/**
 * The signed-in user's own record (roles, time zone, linked Discord account), or null when nobody
 * is signed in or the record is not stored yet. Any caller.
 */
export const me = optionalUserQuery({
  args: {},
  returns: v.union(publicUserValidator, v.null()),
  handler: (ctx) => (ctx.viewer === null ? null : toPublicUser(ctx.viewer)),
});

/** Sets the caller's time zone; see `model/users/accounts.ts#setTimeZone`. */
export const setMyTimeZone = userMutation({
  args: { timeZone: textArg("Time zone", 100) },
  returns: v.null(),
  handler: async (ctx, { timeZone }) => {
    await setTimeZone(ctx, ctx.viewer._id, timeZone);
    return null;
  },
});

/**
 * Users, newest first, a page at a time; with `role`, only holders of that role (through the
 * `userRoles` index). Staff (`users.read`).
 * @param paginationOpts Convex pagination options.
 */
export const list = permissionQuery("users.read")({
  args: { paginationOpts: paginationArg, role: v.optional(roleValidator) },
  returns: paginationResultValidator(publicUserValidator),
  handler: async (ctx, { paginationOpts, role }) => {
    if (role === undefined) {
      const page = await ctx.db.query("users").order("desc").paginate(paginationOpts);
      return { ...page, page: page.page.map(toPublicUser) };
    }
    const page = await ctx.db
      .query("userRoles")
      .withIndex("by_role", (q) => q.eq("role", role))
      .order("desc")
      .paginate(paginationOpts);
    const users = await Promise.all(page.page.map((row) => ctx.db.get("users", row.userId)));
    return { ...page, page: users.flatMap((user) => (user === null ? [] : [toPublicUser(user)])) };
  },
});

/**
 * Active holders of `role` (at most 200), by name, for pickers such as "mentor" or "coach".
 * Staff (`users.read`).
 */
export const listByRole = permissionQuery("users.read")({
  args: { role: roleValidator },
  returns: v.array(publicUserValidator),
  handler: async (ctx, { role }) => {
    const rows = await ctx.db
      .query("userRoles")
      .withIndex("by_role", (q) => q.eq("role", role))
      .take(200);
    const users = await Promise.all(rows.map((row) => ctx.db.get("users", row.userId)));
    return users
      .flatMap((user) => (user !== null && user.active ? [toPublicUser(user)] : []))
      .sort((a, b) => a.name.localeCompare(b.name));
  },
});

/**
 * Finds a user by exact email (case-insensitive). Staff (`users.read`).
 * @returns the user or null.
 */
export const findByEmail = permissionQuery("users.read")({
  args: { email: v.string() },
  returns: v.union(publicUserValidator, v.null()),
  handler: async (ctx, { email }) => {
    const user = await ctx.db
      .query("users")
      .withIndex("by_email", (q) => q.eq("email", email.trim().toLowerCase()))
      .first();
    return user === null ? null : toPublicUser(user);
  },
});

/**
 * Replaces a user's roles (`{ userId, roles: ["coach", "mentor"] }`). Superadmin only.
 * A superadmin cannot remove their own superadmin role (so the system never loses its last one
 * by accident).
 * @throws ConvexError FORBIDDEN, NOT_FOUND, INVALID_ARGUMENT (no roles), FAILED_PRECONDITION.
 */
export const setRoles = permissionMutation("roles.manage")({
  args: { userId: v.id("users"), roles: listArg("Roles", roleValidator, 20) },
  returns: v.array(roleValidator),
  handler: async (ctx, { userId, roles }) => {
    const user = await ctx.db.get("users", userId);
    if (user === null) throwError("NOT_FOUND", "That user does not exist.");
    if (roles.length === 0) throwError("INVALID_ARGUMENT", "A user needs at least one role.", { field: "roles" });
    if (userId === ctx.viewer._id && !roles.includes("superadmin")) {
      throwError("FAILED_PRECONDITION", "You cannot remove your own superadmin role. Ask another superadmin.");
    }
    return await setUserRoles(ctx, userId, roles);
  },
});

/**
 * Sets or clears a user's Discord user id by hand (`discordUserId`: a snowflake of 17–20 digits,
 * or null to clear). Staff (`users.manageDiscord`). Upcoming coaching sessions of the user whose
 * Discord role exists get it granted (scheduled provisioning runs).
 * @throws ConvexError FORBIDDEN, NOT_FOUND, INVALID_ARGUMENT, CONFLICT (id linked to another user).
 */
export const setDiscordUserId = permissionMutation("users.manageDiscord")({
  args: { userId: v.id("users"), discordUserId: v.union(textArg("Discord user id", 32), v.null()) },
  returns: v.null(),
  handler: async (ctx, { userId, discordUserId }) => {
    const user = await ctx.db.get("users", userId);
    if (user === null) throwError("NOT_FOUND", "That user does not exist.");
    if (discordUserId === null) {
      await ctx.db.patch("users", userId, { discordUserId: undefined, discordUsername: undefined });
      return null;
    }
    const trimmed = discordUserId.trim();
    if (!/^\d{17,20}$/.test(trimmed)) {
      throwError("INVALID_ARGUMENT", "A Discord user id is a number of 17 to 20 digits (Discord → Copy User ID).", {
        field: "discordUserId",
      });
    }
    const other = await ctx.db
      .query("users")
      .withIndex("by_discordUserId", (q) => q.eq("discordUserId", trimmed))
      .first();
    if (other !== null && other._id !== userId) {
      throwError("CONFLICT", `That Discord account is already linked to ${other.name}.`);
    }
    await ctx.db.patch("users", userId, { discordUserId: trimmed });
    // Sessions booked before the account was known get their role now (the person must already be
    // a member of the server: only OAuth linking can add them).
    await scheduleRoleGrantsForUser(ctx, userId, Date.now());
    return null;
  },
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
  returns: v.union(v.literal("applied"), v.literal("replayed"), v.literal("outdated")),
  handler: (ctx, { messageId, change }) => applyClerkEvent(ctx, change, messageId, Date.now()),
});
