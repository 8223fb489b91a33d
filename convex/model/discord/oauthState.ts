import type { Id } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";

/**
 * Single-use OAuth2 `state` values for Discord account linking: created when a signed-in user starts
 * linking, bound to that user, valid for {@link OAUTH_STATE_TTL_MS}, deleted when the callback uses it.
 */

/** How long a linking attempt may take, in ms (10 minutes). */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

function randomState(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Creates a state for `userId`; returns it. */
export async function createOAuthState(ctx: MutationCtx, userId: Id<"users">, now: number): Promise<string> {
  const state = randomState();
  await ctx.db.insert("discordOAuthStates", { state, userId, createdAt: now, expiresAt: now + OAUTH_STATE_TTL_MS });
  return state;
}

/**
 * Uses up a state: deletes it and returns the user it was made for, or null when it is unknown,
 * already used or expired (`now` epoch ms).
 */
export async function consumeOAuthState(ctx: MutationCtx, state: string, now: number): Promise<Id<"users"> | null> {
  const row = await ctx.db
    .query("discordOAuthStates")
    .withIndex("by_state", (q) => q.eq("state", state))
    .first();
  if (row === null) return null;
  await ctx.db.delete("discordOAuthStates", row._id);
  return row.expiresAt > now ? row.userId : null;
}

/** Deletes expired states (at most 200 per call); returns how many. */
export async function pruneExpiredOAuthStates(ctx: MutationCtx, now: number): Promise<number> {
  const expired = await ctx.db
    .query("discordOAuthStates")
    .withIndex("by_expiresAt", (q) => q.lt("expiresAt", now))
    .take(200);
  for (const row of expired) await ctx.db.delete("discordOAuthStates", row._id);
  return expired.length;
}
