import { v } from "convex/values";
import { action, internalMutation } from "./_generated/server";
import { getViewer } from "./model/access";
import { readOAuthConfig } from "./model/discord/config";
import { finishDiscordLinking, linkDiscordAccount, startDiscordLinking, unlinkDiscordAccount } from "./model/discord/linking";
import { throwError } from "./model/errors";
import { consumeOAuthState } from "./model/discord/oauthState";
import { userMutation, userQuery } from "./model/functions";

/**
 * Discord account linking (SPEC §6). The browser flow: `start` (with the hash of a nonce the browser
 * keeps) → Discord's consent page → the HTTP callback `GET /discord/oauth/callback` (convex/http.ts)
 * → `<SITE_URL>/profile?discordCode=…&discordState=…` → `finish` (with the nonce), signed in.
 * Staff set or clear an id by hand with `users:setDiscordUserId`.
 */

/**
 * Whether linking is available and the caller's current link. Any signed-in user.
 * @returns `{ configured, discordUserId, discordUsername }` (null when not linked).
 */
export const status = userQuery({
  args: {},
  returns: v.object({
    configured: v.boolean(),
    discordUserId: v.union(v.string(), v.null()),
    discordUsername: v.union(v.string(), v.null()),
  }),
  handler: async (ctx) => ({
    configured: readOAuthConfig() !== null,
    discordUserId: ctx.viewer.discordUserId ?? null,
    discordUsername: ctx.viewer.discordUsername ?? null,
  }),
});

/**
 * Starts linking the caller's Discord account: creates a single-use state (valid 10 minutes) bound
 * to the caller and returns Discord's authorization URL (scopes `identify guilds.join`) to open.
 * Any signed-in user.
 * @throws ConvexError UNAUTHENTICATED, FAILED_PRECONDITION (OAuth2 not configured).
 */
export const start = userMutation({
  args: { browserBinding: v.string() },
  returns: v.object({ url: v.string() }),
  handler: async (ctx, { browserBinding }) => ({ url: await startDiscordLinking(ctx, ctx.viewer, browserBinding, Date.now()) }),
});

/** Finishes linking in the browser that started it; see `model/discord/linking.ts#finishDiscordLinking`. */
export const finish = action({
  args: { code: v.string(), state: v.string(), browserNonce: v.string() },
  returns: v.object({ ok: v.boolean(), message: v.string() }),
  handler: (ctx, args) => finishDiscordLinking(ctx, args),
});

/**
 * Removes the caller's linked Discord account. Any signed-in user. Session roles already given in
 * Discord stay until the sessions are cleaned up.
 */
export const unlink = userMutation({
  args: {},
  returns: v.null(),
  handler: (ctx) => unlinkDiscordAccount(ctx, ctx.viewer),
});

/**
 * Uses up an OAuth2 state for the calling user (identity of the `finish` action) in the browser whose
 * nonce hashes to `browserBinding`; see `model/discord/oauthState.ts#consumeOAuthState`.
 * @returns the caller's user id when the state was theirs, from this browser and not expired; else null.
 */
export const consumeStateForCaller = internalMutation({
  args: { state: v.string(), browserBinding: v.string() },
  returns: v.union(v.id("users"), v.null()),
  handler: async (ctx, { state, browserBinding }) => {
    const viewer = await getViewer(ctx);
    if (viewer === null) throwError("UNAUTHENTICATED", "Please sign in to link Discord.");
    return (await consumeOAuthState(ctx, state, viewer._id, browserBinding, Date.now())) ? viewer._id : null;
  },
});

/** Stores the Discord account the callback read and schedules the user's pending role grants. */
export const recordLinkedAccount = internalMutation({
  args: { userId: v.id("users"), discordUserId: v.string(), discordUsername: v.string() },
  returns: v.union(
    v.object({ ok: v.literal(true), grantsScheduled: v.number() }),
    v.object({ ok: v.literal(false), message: v.string() }),
  ),
  handler: (ctx, args) => linkDiscordAccount(ctx, args, Date.now()),
});

/**
 * `start` for the HTTP start endpoint: the caller's identity travels with the action's call.
 * @returns the authorization URL, or null when the caller is not a signed-in, active user.
 */
export const startForCaller = internalMutation({
  args: { browserBinding: v.string() },
  returns: v.union(v.string(), v.null()),
  handler: async (ctx, { browserBinding }) => {
    const viewer = await getViewer(ctx);
    return viewer === null ? null : await startDiscordLinking(ctx, viewer, browserBinding, Date.now());
  },
});
