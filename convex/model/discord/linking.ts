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
 * Discord account linking (SPEC §6): OAuth2 with scopes `identify guilds.join`. The app asks for an
 * authorization URL ({@link startDiscordLinking}), Discord sends the user back to the HTTP callback
 * (`GET /discord/oauth/callback`, {@link handleOAuthCallback}), which exchanges the code at
 * `POST /oauth2/token`, reads the user at `GET /users/@me`, adds them to the guild with the bot
 * (`PUT /guilds/{guild}/members/{user}`), stores the Discord user id and applies pending role grants.
 */

/** The OAuth2 scopes linking asks for. */
export const DISCORD_OAUTH_SCOPES = "identify guilds.join";

/**
 * Creates a single-use state for the viewer and returns the Discord authorization URL to send the
 * browser to.
 * @throws ConvexError FAILED_PRECONDITION when DISCORD_CLIENT_ID / DISCORD_CLIENT_SECRET are not set.
 */
export async function startDiscordLinking(ctx: MutationCtx, viewer: Viewer, now: number): Promise<string> {
  const config = readOAuthConfig();
  if (config === null) {
    throwError(
      "FAILED_PRECONDITION",
      "Discord linking is not configured on this deployment. An administrator must set DISCORD_CLIENT_ID and DISCORD_CLIENT_SECRET.",
    );
  }
  const state = await createOAuthState(ctx, viewer._id, now);
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

function resultPage(siteUrl: string | null, outcome: "linked" | "error", message: string): Response {
  if (siteUrl !== null) {
    const target = new URL(`${siteUrl}/profile`);
    target.searchParams.set("discord", outcome);
    if (outcome === "error") target.searchParams.set("message", message);
    return new Response(null, { status: 302, headers: { Location: target.toString() } });
  }
  const escaped = message.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
  return new Response(
    `<!doctype html><meta charset="utf-8"><title>Discord</title><p>${escaped}</p><p>You can close this tab.</p>`,
    { status: outcome === "linked" ? 200 : 400, headers: { "Content-Type": "text/html; charset=utf-8" } },
  );
}

/**
 * `GET /discord/oauth/callback?code=…&state=…`: finishes linking. Uses up the state (unknown, used
 * or expired states are refused), exchanges the code at `POST {DISCORD_API_BASE}/v10/oauth2/token`,
 * reads `GET /v10/users/@me` with the user's token, adds the user to the guild with the bot (when
 * Discord is configured), stores the Discord id and schedules pending role grants. Redirects to
 * `<SITE_URL>/profile?discord=linked` (or `?discord=error&message=…`); without SITE_URL answers a
 * small HTML page.
 */
export async function handleOAuthCallback(ctx: ActionCtx, request: Request): Promise<Response> {
  const config = readOAuthConfig();
  if (config === null) return new Response("Discord linking is not configured on this deployment.", { status: 503 });
  const url = new URL(request.url);
  const state = url.searchParams.get("state");
  const code = url.searchParams.get("code");
  const denied = url.searchParams.get("error");
  if (!state) return resultPage(config.siteUrl, "error", "The Discord link is missing its state. Start linking again from your profile.");
  const userId = await ctx.runMutation(internal.discordLinking.consumeState, { state });
  if (userId === null) {
    return resultPage(config.siteUrl, "error", "This Discord link has expired or was already used. Start linking again from your profile.");
  }
  if (denied || !code) return resultPage(config.siteUrl, "error", "Discord linking was cancelled.");

  let accessToken: string;
  let discordUserId: string;
  let discordUsername: string;
  try {
    const tokenResponse = await fetch(config.tokenUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: config.redirectUri,
        client_id: config.clientId,
        client_secret: config.clientSecret,
      }).toString(),
    });
    const token = (await tokenResponse.json().catch(() => ({}))) as TokenResponse;
    if (!tokenResponse.ok || typeof token.access_token !== "string") {
      return resultPage(config.siteUrl, "error", "Discord did not accept the sign-in. Start linking again from your profile.");
    }
    accessToken = token.access_token;
    const meResponse = await fetch(config.currentUserUrl, { headers: { Authorization: `Bearer ${accessToken}` } });
    const me = (await meResponse.json().catch(() => ({}))) as CurrentUserResponse;
    if (!meResponse.ok || typeof me.id !== "string") {
      return resultPage(config.siteUrl, "error", "Could not read your Discord account. Start linking again from your profile.");
    }
    discordUserId = me.id;
    discordUsername = typeof me.username === "string" ? me.username : me.id;
  } catch {
    return resultPage(config.siteUrl, "error", "Could not reach Discord. Try again in a moment.");
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
  if (!linked.ok) return resultPage(config.siteUrl, "error", linked.message);
  if (joinProblem !== null) {
    return resultPage(
      config.siteUrl,
      "error",
      `Your Discord account is linked, but adding it to the Discord server failed (${joinProblem}). Join the server with an invite, or ask staff.`,
    );
  }
  return resultPage(config.siteUrl, "linked", "Your Discord account is linked.");
}

function corsHeaders(request: Request): Record<string, string> {
  return {
    "Access-Control-Allow-Origin": request.headers.get("Origin") ?? "*",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Max-Age": "86400",
    Vary: "Origin",
  };
}

/** `OPTIONS /discord/oauth/start`: CORS preflight. */
export async function handleOAuthStartPreflight(_ctx: ActionCtx, request: Request): Promise<Response> {
  return new Response(null, { status: 204, headers: corsHeaders(request) });
}

/**
 * `POST /discord/oauth/start` with `Authorization: Bearer <Convex auth token>`: 200 `{ url }`
 * (Discord's authorization URL with a fresh single-use state bound to the caller), 401 when the
 * caller is not signed in, 503 when OAuth2 is not configured.
 */
export async function handleOAuthStart(ctx: ActionCtx, request: Request): Promise<Response> {
  const headers = { ...corsHeaders(request), "Content-Type": "application/json" };
  if ((await ctx.auth.getUserIdentity()) === null) {
    return new Response(JSON.stringify({ error: "Please sign in to link Discord." }), { status: 401, headers });
  }
  if (readOAuthConfig() === null) {
    return new Response(JSON.stringify({ error: "Discord linking is not configured on this deployment." }), { status: 503, headers });
  }
  const result = await ctx.runMutation(internal.discordLinking.startForCaller, {});
  if (result === null) return new Response(JSON.stringify({ error: "Please sign in to link Discord." }), { status: 401, headers });
  return new Response(JSON.stringify({ url: result }), { status: 200, headers });
}
