import type { Id } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import { scheduleRoleGrantsForUser } from "../discord/grants";
import { throwError } from "../errors";
import { setUserRoles } from "./accounts";
import type { Role } from "./roles";
import { requireDocument } from "../documents";

/** Staff changes to another user's account: roles and a hand-set Discord user id (SPEC §1, §7). */

/**
 * Replaces the roles of `userId` with `roles` (e.g. `["coach", "mentor"]`). Superadmins only
 * (`roles.manage`). `viewerId` is the caller: a superadmin cannot remove their own superadmin role,
 * so the system never loses its last one by accident.
 * @returns the roles now held.
 * @throws ConvexError NOT_FOUND (user), INVALID_ARGUMENT (no roles), FAILED_PRECONDITION (own
 *   superadmin role removed).
 */
export async function replaceUserRoles(
  ctx: MutationCtx,
  viewerId: Id<"users">,
  userId: Id<"users">,
  roles: readonly Role[],
): Promise<Role[]> {
  await requireDocument(ctx, "users", userId, "That user does not exist.");
  if (roles.length === 0) throwError("INVALID_ARGUMENT", "A user needs at least one role.", { field: "roles" });
  if (userId === viewerId && !roles.includes("superadmin")) {
    throwError("FAILED_PRECONDITION", "You cannot remove your own superadmin role. Ask another superadmin.");
  }
  return await setUserRoles(ctx, userId, roles);
}

/**
 * Sets or clears a user's Discord user id by hand. Staff (`users.manageDiscord`).
 * `discordUserId` is a snowflake of 17–20 digits (surrounding spaces ignored), or null to clear it
 * together with the Discord username. After setting it, upcoming coaching sessions of the user
 * whose Discord role exists get it granted (scheduled provisioning runs; the person must already be
 * a member of the server, only OAuth linking can add them). `now` is epoch milliseconds.
 * @throws ConvexError NOT_FOUND (user), INVALID_ARGUMENT (not 17–20 digits), CONFLICT (the id is
 *   linked to another user).
 */
export async function setDiscordUserIdByHand(
  ctx: MutationCtx,
  userId: Id<"users">,
  discordUserId: string | null,
  now: number,
): Promise<void> {
  await requireDocument(ctx, "users", userId, "That user does not exist.");
  if (discordUserId === null) {
    await ctx.db.patch("users", userId, { discordUserId: undefined, discordUsername: undefined });
    return;
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
  await scheduleRoleGrantsForUser(ctx, userId, now);
}
