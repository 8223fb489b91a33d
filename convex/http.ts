import { httpRouter } from "convex/server";
import { internal } from "./_generated/api";
import { httpAction, env } from "./_generated/server";
import { clerkTokenIdentifier, clerkUserChange, type ClerkEvent } from "./model/users/clerkEvents";
import { verifySvixWebhook } from "./model/webhooks";
import { handleResendWebhook, serveCalendarFeed } from "./model/notifications/httpHandlers";
import { handleOAuthCallback, handleOAuthStart, handleOAuthStartPreflight } from "./model/discord/oauthEndpoints";

const http = httpRouter();

/**
 * POST /clerk-users-webhook — Clerk user events, signed by svix (env CLERK_WEBHOOK_SECRET).
 * 400 and nothing written for a missing or bad signature; 503 when the secret or
 * CLERK_JWT_ISSUER_DOMAIN is not configured; 200 otherwise (unknown event types, replayed messages
 * and events older than one already applied are acknowledged and change nothing).
 */
http.route({
  path: "/clerk-users-webhook",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const secret = env.CLERK_WEBHOOK_SECRET;
    const issuer = env.CLERK_JWT_ISSUER_DOMAIN;
    if (!secret || !issuer) {
      return new Response("Clerk webhook is not configured on this deployment.", { status: 503 });
    }
    const verified = verifySvixWebhook(secret, await request.text(), request.headers);
    if (verified === null) return new Response("Invalid webhook signature.", { status: 400 });
    const change = clerkUserChange(verified.payload as ClerkEvent, verified.signedAt);
    if (change.kind !== "ignore") {
      await ctx.runMutation(internal.users.applyClerkUserEvent, {
        messageId: verified.messageId,
        change: change.kind === "upsert" ? { ...change, tokenIdentifier: clerkTokenIdentifier(issuer, change.externalId) } : change,
      });
    }
    return new Response(null, { status: 200 });
  }),
});

/**
 * POST /resend-webhook — Resend delivery events (delivered, bounced, complained, …), signed by svix
 * (env RESEND_WEBHOOK_SECRET). 400 and nothing written for a bad signature; 503 when not configured.
 */
http.route({ path: "/resend-webhook", method: "POST", handler: httpAction(handleResendWebhook) });

/** GET /calendar/<token>.ics — a user's private calendar feed; 404 for unknown or rotated tokens. */
http.route({ pathPrefix: "/calendar/", method: "GET", handler: httpAction((ctx, request) => serveCalendarFeed(ctx, request, Date.now())) });

/**
 * POST /discord/oauth/start — starts Discord account linking for the caller, from SITE_URL's origin
 * only; see `model/discord/oauthEndpoints.ts#handleOAuthStart`. (The app itself calls the
 * `discordLinking:start` mutation, which does the same.) OPTIONS answers the CORS preflight.
 */
http.route({ path: "/discord/oauth/start", method: "POST", handler: httpAction(handleOAuthStart) });
http.route({ path: "/discord/oauth/start", method: "OPTIONS", handler: httpAction(handleOAuthStartPreflight) });

/**
 * GET /discord/oauth/callback — Discord's OAuth2 redirect: hands code and state to the app
 * (`<SITE_URL>/profile?discordCode=…&discordState=…`), which finishes linking signed in, in the
 * browser that started; see `model/discord/oauthEndpoints.ts#handleOAuthCallback`.
 */
http.route({ path: "/discord/oauth/callback", method: "GET", handler: httpAction(handleOAuthCallback) });

export default http;
