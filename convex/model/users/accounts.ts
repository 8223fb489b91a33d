import { docValidator, type UserIdentity } from "convex/server";
import type { Infer } from "convex/values";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { userTables } from "../../tables/users";
import { throwError } from "../errors";
import type { Role } from "./roles";
import { requireEmail, requireTimeZone } from "../validation";
import { claimWebhookMessage } from "../webhooks";

/** Fields of a user that identity providers (Clerk, dev personas) supply. */
type ProfileFromProvider = {
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
    .withIndex("by_userId", (q) => q.eq("userId", userId))
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
 * change in the identity provider); the client calls it once after every sign-in. New users start
 * with the `student` role. A user staff created
 * by email before the first sign-in (no tokenIdentifier yet) is claimed by matching email, but only
 * when the identity says the email is verified (`emailVerified`, the `email_verified` claim of
 * Clerk's JWT template); otherwise anyone could sign up with someone's address and take over the
 * record (roles, enrollments) that staff prepared for them. An unverified identity gets a new user.
 *
 * @param identity the caller's sign-in identity from `ctx.auth` (the `identityMutation` builder).
 * @returns the user's id.
 * @throws ConvexError UNAUTHENTICATED when not signed in (the builder) or the account was deactivated.
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
  const invited = profile.email && identity.emailVerified === true ? await findUnclaimedUserByEmail(ctx, profile.email) : null;
  if (invited !== null) {
    await ctx.db.patch("users", invited._id, { ...profile, tokenIdentifier: identity.tokenIdentifier, externalId: identity.subject });
    return invited._id;
  }
  return await insertNewStudent(ctx, { ...profile, tokenIdentifier: identity.tokenIdentifier, externalId: identity.subject });
}

/** Inserts a new account: active, with the `student` role every new account starts with. */
async function insertNewStudent(
  ctx: MutationCtx,
  fields: { name: string; email: string; imageUrl?: string; tokenIdentifier: string; externalId: string },
): Promise<Id<"users">> {
  const userId = await ctx.db.insert("users", { ...fields, roles: [], active: true });
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
 * Creates or updates a user from a Clerk `user.created` / `user.updated` webhook event. A user
 * staff prepared by email is claimed only when Clerk reports the primary email as verified.
 *
 * @param tokenIdentifier `"<CLERK_JWT_ISSUER_DOMAIN>|<clerk user id>"`, what `ctx.auth` will report.
 * @returns the user's id.
 */
async function upsertUserFromClerk(
  ctx: MutationCtx,
  args: { externalId: string; tokenIdentifier: string; emailVerified: boolean } & ProfileFromProvider,
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
    (profile.email && args.emailVerified ? await findUnclaimedUserByEmail(ctx, profile.email) : null);
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
  return await insertNewStudent(ctx, { ...profile, externalId: args.externalId, tokenIdentifier: args.tokenIdentifier });
}

/**
 * Applies one verified Clerk user event at most once and never over a newer one: a replayed
 * message (same svix id) changes nothing, and an event older than the newest one already applied to
 * the same Clerk user (a retry or reordered delivery, e.g. `user.created` after `user.deleted`) is
 * ignored. Deletions are remembered even for users we never saw. Internal: the Clerk webhook only.
 *
 * @param change from `clerkUserChange` (`eventAt` in epoch ms), with `tokenIdentifier` for upserts.
 * @param messageId the request's `svix-id`.
 * @param now epoch ms.
 * @returns "applied", "replayed" (message seen before) or "outdated" (a newer event was applied).
 */
export async function applyClerkUserEvent(
  ctx: MutationCtx,
  change:
    | ({ kind: "upsert"; externalId: string; eventAt: number; tokenIdentifier: string; emailVerified: boolean } & ProfileFromProvider)
    | { kind: "deactivate"; externalId: string; eventAt: number },
  messageId: string,
  now: number,
): Promise<"applied" | "replayed" | "outdated"> {
  if (!(await claimWebhookMessage(ctx, "clerk", messageId, now))) return "replayed";
  const clock = await ctx.db
    .query("clerkUserEvents")
    .withIndex("by_externalId", (q) => q.eq("externalId", change.externalId))
    .unique();
  if (clock !== null && change.eventAt < clock.eventAt) return "outdated";
  const record = { eventAt: change.eventAt, deleted: change.kind === "deactivate" };
  if (clock === null) await ctx.db.insert("clerkUserEvents", { externalId: change.externalId, ...record });
  else await ctx.db.patch("clerkUserEvents", clock._id, record);
  if (change.kind === "deactivate") {
    await deactivateUserByExternalId(ctx, change.externalId, now);
  } else {
    const { kind: _kind, eventAt: _eventAt, ...profile } = change;
    await upsertUserFromClerk(ctx, profile);
  }
  return "applied";
}

/**
 * Deactivates the user whose identity-provider id is `externalId` (Clerk `user.deleted`). Their
 * records stay (attendance, progress) but they can no longer call anything.
 * @param now epoch ms, stored as `deactivatedAt`.
 * @returns whether a user was found.
 */
async function deactivateUserByExternalId(ctx: MutationCtx, externalId: string, now: number): Promise<boolean> {
  const user = await ctx.db
    .query("users")
    .withIndex("by_externalId", (q) => q.eq("externalId", externalId))
    .unique();
  if (user === null) return false;
  await ctx.db.patch("users", user._id, { active: false, deactivatedAt: now });
  return true;
}

/**
 * Sets a user's IANA time zone ("Europe/Berlin"). The public mutation sets the caller's own (any
 * signed-in user).
 * @throws ConvexError INVALID_ARGUMENT for an unknown IANA zone.
 */
export async function setTimeZone(ctx: MutationCtx, userId: Id<"users">, timeZone: string): Promise<void> {
  await ctx.db.patch("users", userId, { timeZone: requireTimeZone(timeZone) });
}

/**
 * Grants `superadmin` to the user with `email`. Internal: run once from the CLI for the first
 * superadmin, `npx convex run users:makeSuperadmin '{"email":"you@example.com"}'`.
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
