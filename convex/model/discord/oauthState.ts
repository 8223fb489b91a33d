import type { Id } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import { throwError } from "../errors";

/**
 * Single-use OAuth2 `state` values for Discord account linking: created when a signed-in user starts
 * linking, bound to that user AND to the browser that started (the SHA-256 of a random nonce the
 * browser keeps in its session storage), valid for {@link OAUTH_STATE_TTL_MS}, deleted when used.
 * Linking finishes only in the same browser, signed in as the same user: a victim who follows an
 * authorization link an attacker started can never link their Discord account to the attacker's user.
 */

/** How long a linking attempt may take, in ms (10 minutes). */
const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

function randomState(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A browser binding: 64 lower-case hex digits (SHA-256 of the browser's nonce). */
export const BROWSER_BINDING = /^[0-9a-f]{64}$/;

/**
 * Creates a state for `userId` started in the browser whose nonce hashes to `browserBinding`.
 * @param browserBinding hex SHA-256 of the nonce the browser keeps (64 hex digits).
 * @param now epoch ms.
 * @returns the state.
 * @throws ConvexError INVALID_ARGUMENT when `browserBinding` is not 64 hex digits.
 */
export async function createOAuthState(ctx: MutationCtx, userId: Id<"users">, browserBinding: string, now: number): Promise<string> {
  if (!BROWSER_BINDING.test(browserBinding)) {
    throwError("INVALID_ARGUMENT", "The browser binding must be a SHA-256 hash in hex.", { field: "browserBinding" });
  }
  const state = randomState();
  await ctx.db.insert("discordOAuthStates", { state, userId, browserBinding, createdAt: now, expiresAt: now + OAUTH_STATE_TTL_MS });
  return state;
}

/**
 * Uses up a state for `userId` in the browser whose nonce hashes to `browserBinding`: deletes it
 * and answers true when it was made for that user in that browser and has not expired. A state of
 * another user is left alone (so a forwarded link cannot be burnt) and answers false, as do
 * unknown, used and expired ones.
 * @param now epoch ms.
 */
export async function consumeOAuthState(
  ctx: MutationCtx,
  state: string,
  userId: Id<"users">,
  browserBinding: string,
  now: number,
): Promise<boolean> {
  const row = await ctx.db
    .query("discordOAuthStates")
    .withIndex("by_state", (q) => q.eq("state", state))
    .first();
  if (row === null || row.userId !== userId) return false;
  await ctx.db.delete("discordOAuthStates", row._id);
  return row.expiresAt > now && row.browserBinding === browserBinding;
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
