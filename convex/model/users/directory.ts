import type { PaginationOptions, PaginationResult } from "convex/server";
import type { QueryCtx } from "../../_generated/server";
import type { Role } from "./roles";
import { toPublicUser, type PublicUser } from "./accounts";

/** Finding users for staff pages and pickers (SPEC §1). Every function here is for staff (`users.read`). */

/**
 * Users, newest first, a page at a time; with `role`, only holders of that role (through the
 * `userRoles` index, newest role grant first). Users deleted since their role row was read are left
 * out of the page.
 * @param paginationOpts Convex pagination options (`{ numItems, cursor }`).
 */
export async function listUsers(
  ctx: QueryCtx,
  paginationOpts: PaginationOptions,
  role: Role | undefined,
): Promise<PaginationResult<PublicUser>> {
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
}

/**
 * Active holders of `role` (of the first 200 role rows), by name, for pickers such as "mentor" or
 * "coach".
 */
export async function activeUsersWithRole(ctx: QueryCtx, role: Role): Promise<PublicUser[]> {
  const rows = await ctx.db
    .query("userRoles")
    .withIndex("by_role", (q) => q.eq("role", role))
    .take(200);
  const users = await Promise.all(rows.map((row) => ctx.db.get("users", row.userId)));
  return users
    .flatMap((user) => (user !== null && user.active ? [toPublicUser(user)] : []))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The user whose email is exactly `email` once trimmed and lowercased (emails are stored
 * lowercased), or null.
 */
export async function userByEmail(ctx: QueryCtx, email: string): Promise<PublicUser | null> {
  const user = await ctx.db
    .query("users")
    .withIndex("by_email", (q) => q.eq("email", email.trim().toLowerCase()))
    .first();
  return user === null ? null : toPublicUser(user);
}
