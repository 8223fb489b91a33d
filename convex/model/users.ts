import { docValidator, type UserIdentity } from "convex/server";
import type { Infer } from "convex/values";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { userTables } from "../tables/users";
import { throwError } from "./errors";
import type { Role } from "./roles";
import { requireEmail, requireTimeZone } from "./validation";

/** Fields of a user that identity providers (Clerk, dev personas) supply. */
export type ProfileFromProvider = {
  name: string;
  email: string;
  imageUrl?: string;
};

/**
 * Replaces a user's roles, keeping the `userRoles` index table in step with `users.roles`.
 * The only writer of either. Duplicates are dropped; order follows SPEC §1.
 */
export async function setUserRoles(ctx: MutationCtx, userId: Id<"users">, roles: readonly Role[]): Promise<Role[]> {
  const wanted = [...new Set(roles)];
  const existing = await ctx.db
    .query("userRoles")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .take(20);
  for (const row of existing) {
    if (!wanted.includes(row.role)) await ctx.db.delete("userRoles", row._id);
  }
  for (const role of wanted) {
    if (!existing.some((row) => row.role === role)) await ctx.db.insert("userRoles", { userId, role });
  }
  await ctx.db.patch("users", userId, { roles: wanted });
  return wanted;
}

/** Name shown for an identity that carries none (falls back to the email's local part). */
function displayName(identity: Pick<UserIdentity, "name" | "email" | "nickname">): string {
  return identity.name ?? identity.nickname ?? identity.email?.split("@")[0] ?? "New user";
}

/**
 * Creates or updates the caller's user record from their identity (first sign-in, or a profile
 * change in the identity provider). New users start with the `student` role. A user staff created
 * by email before the first sign-in (no tokenIdentifier yet) is claimed by matching email.
 *
 * @param identity the caller's sign-in identity from `ctx.auth` (the `identityMutation` builder).
 * @returns the user's id.
 * @throws ConvexError UNAUTHENTICATED when the account was deactivated.
 */
export async function storeUserFromIdentity(ctx: MutationCtx, identity: UserIdentity): Promise<Id<"users">> {
  const profile = {
    name: displayName(identity),
    email: (identity.email ?? "").toLowerCase(),
    ...(identity.pictureUrl ? { imageUrl: identity.pictureUrl } : {}),
  };
  const existing = await ctx.db
    .query("users")
    .withIndex("by_tokenIdentifier", (q) => q.eq("tokenIdentifier", identity.tokenIdentifier))
    .unique();
  if (existing !== null) {
    if (!existing.active) throwError("UNAUTHENTICATED", "This account has been deactivated.");
    if (existing.name !== profile.name || existing.email !== profile.email || existing.imageUrl !== profile.imageUrl) {
      await ctx.db.patch("users", existing._id, profile);
    }
    return existing._id;
  }
  const invited = profile.email ? await findUnclaimedUserByEmail(ctx, profile.email) : null;
  if (invited !== null) {
    await ctx.db.patch("users", invited._id, { ...profile, tokenIdentifier: identity.tokenIdentifier, externalId: identity.subject });
    return invited._id;
  }
  const userId = await ctx.db.insert("users", {
    ...profile,
    tokenIdentifier: identity.tokenIdentifier,
    externalId: identity.subject,
    roles: [],
    active: true,
  });
  await setUserRoles(ctx, userId, ["student"]);
  return userId;
}

async function findUnclaimedUserByEmail(ctx: QueryCtx, email: string): Promise<Doc<"users"> | null> {
  const candidates = await ctx.db
    .query("users")
    .withIndex("by_email", (q) => q.eq("email", email))
    .take(10);
  return candidates.find((user) => user.tokenIdentifier === undefined && user.active) ?? null;
}

/**
 * Creates or updates a user from a Clerk `user.created` / `user.updated` webhook event.
 *
 * @param tokenIdentifier `"<CLERK_JWT_ISSUER_DOMAIN>|<clerk user id>"`, what `ctx.auth` will report.
 * @returns the user's id.
 */
export async function upsertUserFromClerk(
  ctx: MutationCtx,
  args: { externalId: string; tokenIdentifier: string } & ProfileFromProvider,
): Promise<Id<"users">> {
  const profile = {
    name: args.name,
    email: args.email.toLowerCase(),
    ...(args.imageUrl ? { imageUrl: args.imageUrl } : {}),
  };
  const existing =
    (await ctx.db
      .query("users")
      .withIndex("by_externalId", (q) => q.eq("externalId", args.externalId))
      .unique()) ??
    (await ctx.db
      .query("users")
      .withIndex("by_tokenIdentifier", (q) => q.eq("tokenIdentifier", args.tokenIdentifier))
      .unique()) ??
    (profile.email ? await findUnclaimedUserByEmail(ctx, profile.email) : null);
  if (existing !== null) {
    await ctx.db.patch("users", existing._id, {
      ...profile,
      externalId: args.externalId,
      tokenIdentifier: args.tokenIdentifier,
      active: true,
      deactivatedAt: undefined,
    });
    return existing._id;
  }
  const userId = await ctx.db.insert("users", {
    ...profile,
    externalId: args.externalId,
    tokenIdentifier: args.tokenIdentifier,
    roles: [],
    active: true,
  });
  await setUserRoles(ctx, userId, ["student"]);
  return userId;
}

/**
 * Deactivates the user whose identity-provider id is `externalId` (Clerk `user.deleted`). Their
 * records stay (attendance, progress) but they can no longer call anything.
 * @returns whether a user was found.
 */
export async function deactivateUserByExternalId(ctx: MutationCtx, externalId: string): Promise<boolean> {
  const user = await ctx.db
    .query("users")
    .withIndex("by_externalId", (q) => q.eq("externalId", externalId))
    .unique();
  if (user === null) return false;
  await ctx.db.patch("users", user._id, { active: false, deactivatedAt: Date.now() });
  return true;
}

/**
 * Sets a user's time zone.
 * @throws ConvexError INVALID_ARGUMENT for an unknown IANA zone.
 */
export async function setTimeZone(ctx: MutationCtx, userId: Id<"users">, timeZone: string): Promise<void> {
  await ctx.db.patch("users", userId, { timeZone: requireTimeZone(timeZone) });
}

/**
 * Grants `superadmin` to the user with `email` (used once, from the CLI, to make the first superadmin).
 * @throws ConvexError NOT_FOUND when no user has that email (they must sign in once first).
 */
export async function makeSuperadminByEmail(ctx: MutationCtx, email: string): Promise<Id<"users">> {
  const normalized = requireEmail(email);
  const user = await ctx.db
    .query("users")
    .withIndex("by_email", (q) => q.eq("email", normalized))
    .first();
  if (user === null) {
    throwError("NOT_FOUND", `No user with email ${normalized}. Sign in once with that account, then run this again.`);
  }
  await setUserRoles(ctx, user._id, [...user.roles, "superadmin"]);
  return user._id;
}

/**
 * The public shape of a user shown to other people: the `users` document without identity-provider
 * fields (tokenIdentifier, externalId) and deactivation time. Optional fields are absent when unset.
 */
export const publicUserValidator = docValidator("users", userTables.users).pick(
  "_id",
  "name",
  "email",
  "imageUrl",
  "roles",
  "timeZone",
  "discordUserId",
  "discordUsername",
  "active",
);
export type PublicUser = Infer<typeof publicUserValidator>;

/** Strips identity-provider fields from a user document. */
export function toPublicUser(user: Doc<"users">): PublicUser {
  return {
    _id: user._id,
    name: user.name,
    email: user.email,
    ...(user.imageUrl ? { imageUrl: user.imageUrl } : {}),
    roles: user.roles,
    ...(user.timeZone ? { timeZone: user.timeZone } : {}),
    ...(user.discordUserId ? { discordUserId: user.discordUserId } : {}),
    ...(user.discordUsername ? { discordUsername: user.discordUsername } : {}),
    active: user.active,
  };
}
