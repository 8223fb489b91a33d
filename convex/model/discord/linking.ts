import { internal } from "../../_generated/api";
import type { Id } from "../../_generated/dataModel";
import type { ActionCtx, MutationCtx } from "../../_generated/server";
import type { Viewer } from "../access";
import { throwError } from "../errors";
import { DiscordClient } from "./client";
import { readDiscordConfig, readOAuthConfig } from "./config";
import { createOAuthState } from "./oauthState";
import { scheduleRoleGrantsForUser } from "./grants";

/**
 * Discord account linking (SPEC §6): OAuth2 with scopes `identify guilds.join`. The app keeps a random
 * nonce in the browser's session storage and asks for an authorization URL with its hash
 * ({@link startDiscordLinking}); Discord sends the browser to the HTTP callback
 * (`GET /discord/oauth/callback`, `oauthEndpoints.ts`), which hands code and state back to the
 * app (`<SITE_URL>/profile?discordCode=…&discordState=…`); the app, signed in, calls
 * `discordLinking.finish` with the nonce ({@link finishDiscordLinking}), which uses up the state only
 * for the same user in the same browser, exchanges the code at `POST /oauth2/token`, reads the user at
 * `GET /users/@me`, adds them to the guild with the bot (`PUT /guilds/{guild}/members/{user}`),
 * stores the Discord user id and applies pending role grants.
 */

/** The OAuth2 scopes linking asks for. */
const DISCORD_OAUTH_SCOPES = "identify guilds.join";

/**
 * Creates a single-use state for the viewer in this browser and returns the Discord authorization URL
 * to send the browser to. Any signed-in user, for themselves.
 * @param browserBinding hex SHA-256 of the nonce the browser keeps in session storage.
 * @param now epoch ms.
 * @throws ConvexError FAILED_PRECONDITION when DISCORD_CLIENT_ID / DISCORD_CLIENT_SECRET are not set;
 *   INVALID_ARGUMENT for a malformed `browserBinding`.
 */
export async function startDiscordLinking(ctx: MutationCtx, viewer: Viewer, browserBinding: string, now: number): Promise<string> {
  const config = readOAuthConfig();
  if (config === null) {
    throwError(
      "FAILED_PRECONDITION",
      "Discord linking is not configured on this deployment. An administrator must set DISCORD_CLIENT_ID and DISCORD_CLIENT_SECRET.",
    );
  }
  const state = await createOAuthState(ctx, viewer._id, browserBinding, now);
  const url = new URL(config.authorizeUrl);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", config.clientId);
  url.searchParams.set("scope", DISCORD_OAUTH_SCOPES);
  url.searchParams.set("state", state);
  url.searchParams.set("redirect_uri", config.redirectUri);
  url.searchParams.set("prompt", "consent");
  return url.toString();
}

/**
 * Stores a linked Discord account on a user and schedules their pending role grants.
 * @returns `{ ok: true }`, or `{ ok: false, message }` when the Discord account already belongs to
 * another user (nothing is written then).
 */
export async function linkDiscordAccount(
  ctx: MutationCtx,
  args: { userId: Id<"users">; discordUserId: string; discordUsername: string },
  now: number,
): Promise<{ ok: true; grantsScheduled: number } | { ok: false; message: string }> {
  const user = await ctx.db.get("users", args.userId);
  if (user === null || !user.active) return { ok: false, message: "Your account no longer exists." };
  const other = await ctx.db
    .query("users")
    .withIndex("by_discordUserId", (q) => q.eq("discordUserId", args.discordUserId))
    .first();
  if (other !== null && other._id !== args.userId) {
    return { ok: false, message: "This Discord account is already linked to another Sessions Hub user. Ask staff to unlink it first." };
  }
  await ctx.db.patch("users", args.userId, { discordUserId: args.discordUserId, discordUsername: args.discordUsername });
  return { ok: true, grantsScheduled: await scheduleRoleGrantsForUser(ctx, args.userId, now) };
}

/** Removes the viewer's linked Discord account (roles they already hold in Discord stay until cleanup). */
export async function unlinkDiscordAccount(ctx: MutationCtx, viewer: Viewer): Promise<void> {
  await ctx.db.patch("users", viewer._id, { discordUserId: undefined, discordUsername: undefined });
}

type TokenResponse = { access_token?: unknown; token_type?: unknown; scope?: unknown };
type CurrentUserResponse = { id?: unknown; username?: unknown; global_name?: unknown };

/** The outcome of {@link finishDiscordLinking}: a sentence for the person either way. */
export type LinkingOutcome = { ok: boolean; message: string };

/**
 * Finishes linking for the signed-in caller (`discordLinking.finish`): uses up `state` only when it
 * was started by this user in this browser (the SHA-256 of `browserNonce` matches), exchanges `code`
 * at `POST {DISCORD_API_BASE}/v10/oauth2/token`, reads `GET /v10/users/@me` with the user's token,
 * adds the user to the guild with the bot (`PUT /v10/guilds/{guild}/members/{user}`, when Discord is
 * configured), stores the Discord id and schedules pending role grants.
 *
 * @param args.code, args.state from Discord's redirect; args.browserNonce the nonce the browser kept.
 * @returns `{ ok, message }`; nothing is linked unless `ok`.
 * @throws ConvexError UNAUTHENTICATED when not signed in; FAILED_PRECONDITION when OAuth2 is not configured.
 */
export async function finishDiscordLinking(
  ctx: ActionCtx,
  args: { code: string; state: string; browserNonce: string },
): Promise<LinkingOutcome> {
  const config = readOAuthConfig();
  if (config === null) throwError("FAILED_PRECONDITION", "Discord linking is not configured on this deployment.");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(args.browserNonce)));
  const browserBinding = Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
  const userId: Id<"users"> | null = await ctx.runMutation(internal.discordLinking.consumeStateForCaller, {
    state: args.state,
    browserBinding,
  });
  if (userId === null) {
    return { ok: false, message: "This Discord link has expired, was already used, or was started elsewhere. Start linking again here." };
  }

  let accessToken: string;
  let discordUserId: string;
  let discordUsername: string;
  try {
    const tokenResponse = await fetch(config.tokenUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: args.code,
        redirect_uri: config.redirectUri,
        client_id: config.clientId,
        client_secret: config.clientSecret,
      }).toString(),
    });
    const token = (await tokenResponse.json().catch(() => ({}))) as TokenResponse;
    if (!tokenResponse.ok || typeof token.access_token !== "string") {
      return { ok: false, message: "Discord did not accept the sign-in. Start linking again." };
    }
    accessToken = token.access_token;
    const meResponse = await fetch(config.currentUserUrl, { headers: { Authorization: `Bearer ${accessToken}` } });
    const me = (await meResponse.json().catch(() => ({}))) as CurrentUserResponse;
    if (!meResponse.ok || typeof me.id !== "string") {
      return { ok: false, message: "Could not read your Discord account. Start linking again." };
    }
    discordUserId = me.id;
    discordUsername = typeof me.username === "string" ? me.username : me.id;
  } catch {
    return { ok: false, message: "Could not reach Discord. Try again in a moment." };
  }

  let joinProblem: string | null = null;
  try {
    const discord = readDiscordConfig();
    if (discord !== null) {
      await new DiscordClient(discord).addGuildMember(discordUserId, accessToken, `Sessions Hub: ${discordUsername} linked their account`);
    }
  } catch (error) {
    joinProblem = error instanceof Error ? error.message : String(error);
  }
  const linked = await ctx.runMutation(internal.discordLinking.recordLinkedAccount, { userId, discordUserId, discordUsername });
  if (!linked.ok) return { ok: false, message: linked.message };
  if (joinProblem !== null) {
    return {
      ok: false,
      message: `Your Discord account is linked, but adding it to the Discord server failed (${joinProblem}). Join the server with an invite, or ask staff.`,
    };
  }
  return { ok: true, message: "Your Discord account is linked." };
}
