import { internal } from "../../_generated/api";
import type { ActionCtx } from "../../_generated/server";
import { readOAuthConfig } from "./config";
import { BROWSER_BINDING } from "./oauthState";

/**
 * The HTTP endpoints of Discord account linking (`convex/http.ts`): starting it from the app
 * (`POST /discord/oauth/start`, with its CORS preflight) and Discord's redirect back
 * (`GET /discord/oauth/callback`). The linking itself (state, code exchange, storing the account)
 * is in `linking.ts`.
 */

/** Where the app shows the outcome: `<SITE_URL>/profile` with `params`, or null without SITE_URL. */
function profileRedirect(siteUrl: string | null, params: Record<string, string>): Response | null {
  if (siteUrl === null) return null;
  const target = new URL(`${siteUrl}/profile`);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  return new Response(null, { status: 302, headers: { Location: target.toString(), "Referrer-Policy": "no-referrer" } });
}

/** A small page for deployments without SITE_URL (nowhere to send the browser back to). */
function plainPage(message: string, status: number): Response {
  const escaped = message.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
  return new Response(`<!doctype html><meta charset="utf-8"><title>Discord</title><p>${escaped}</p>`, {
    status,
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });
}

/**
 * `GET /discord/oauth/callback?code=…&state=…`: Discord's redirect after consent. Writes nothing and
 * calls nothing: it hands `code` and `state` to the app (`<SITE_URL>/profile?discordCode=…&discordState=…`),
 * which finishes linking signed in and in the browser that started (`discordLinking.finish`); a
 * refusal at Discord becomes `?discord=error&message=…`. 503 when OAuth2 is not configured; without
 * SITE_URL a page that says it must be set.
 */
export async function handleOAuthCallback(_ctx: ActionCtx, request: Request): Promise<Response> {
  const config = readOAuthConfig();
  if (config === null) return new Response("Discord linking is not configured on this deployment.", { status: 503 });
  const url = new URL(request.url);
  const state = url.searchParams.get("state");
  const code = url.searchParams.get("code");
  const redirect =
    state && code
      ? profileRedirect(config.siteUrl, { discordCode: code, discordState: state })
      : profileRedirect(config.siteUrl, { discord: "error", message: "Discord linking was cancelled." });
  return redirect ?? plainPage("SITE_URL is not set on this deployment, so linking cannot return to the app. Ask an administrator.", 503);
}

/**
 * CORS headers of the start endpoint: only the app itself (SITE_URL's origin) may call it from a
 * browser; any other origin gets no `Access-Control-Allow-Origin`, so its browser refuses the call.
 */
function corsHeaders(request: Request): Record<string, string> {
  const siteUrl = readOAuthConfig()?.siteUrl ?? null;
  const allowed = siteUrl === null ? null : new URL(siteUrl).origin;
  const headers: Record<string, string> = { Vary: "Origin" };
  if (allowed !== null && request.headers.get("Origin") === allowed) {
    headers["Access-Control-Allow-Origin"] = allowed;
    headers["Access-Control-Allow-Methods"] = "POST, OPTIONS";
    headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type";
    headers["Access-Control-Max-Age"] = "86400";
  }
  return headers;
}

/** `OPTIONS /discord/oauth/start`: CORS preflight (SITE_URL's origin only). */
export async function handleOAuthStartPreflight(_ctx: ActionCtx, request: Request): Promise<Response> {
  return new Response(null, { status: 204, headers: corsHeaders(request) });
}

/**
 * `POST /discord/oauth/start` with `Authorization: Bearer <Convex auth token>` and a JSON body
 * `{ browserBinding }` (hex SHA-256 of the browser's nonce): 200 `{ url }` (Discord's authorization
 * URL with a fresh single-use state bound to the caller and the browser), 400 without a valid
 * binding, 401 when the caller is not signed in, 403 for a browser call from another origin than
 * SITE_URL's (nothing written), 503 when OAuth2 is not configured.
 */
export async function handleOAuthStart(ctx: ActionCtx, request: Request): Promise<Response> {
  const headers: Record<string, string> = { ...corsHeaders(request), "Content-Type": "application/json" };
  const origin = request.headers.get("Origin");
  if (origin !== null && headers["Access-Control-Allow-Origin"] !== origin) {
    return new Response(JSON.stringify({ error: "Linking can only be started from the app itself." }), { status: 403, headers });
  }
  if ((await ctx.auth.getUserIdentity()) === null) {
    return new Response(JSON.stringify({ error: "Please sign in to link Discord." }), { status: 401, headers });
  }
  if (readOAuthConfig() === null) {
    return new Response(JSON.stringify({ error: "Discord linking is not configured on this deployment." }), { status: 503, headers });
  }
  const body = (await request.json().catch(() => null)) as { browserBinding?: unknown } | null;
  const browserBinding = body?.browserBinding;
  if (typeof browserBinding !== "string" || !BROWSER_BINDING.test(browserBinding)) {
    return new Response(JSON.stringify({ error: "Send the browser binding (hex SHA-256) as JSON." }), { status: 400, headers });
  }
  const result = await ctx.runMutation(internal.discordLinking.startForCaller, { browserBinding });
  if (result === null) return new Response(JSON.stringify({ error: "Please sign in to link Discord." }), { status: 401, headers });
  return new Response(JSON.stringify({ url: result }), { status: 200, headers });
}
