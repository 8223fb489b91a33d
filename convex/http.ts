import { httpRouter } from "convex/server";
import { internal } from "./_generated/api";
import { httpAction, env } from "./_generated/server";
import { clerkTokenIdentifier, clerkUserChange, verifyClerkWebhook } from "./model/clerkWebhook";

const http = httpRouter();

/**
 * POST /clerk-users-webhook — Clerk user events, signed by svix (env CLERK_WEBHOOK_SECRET).
 * 400 and nothing written for a missing or bad signature; 503 when the secret or
 * CLERK_JWT_ISSUER_DOMAIN is not configured; 200 otherwise (unknown event types are acknowledged).
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
    const event = verifyClerkWebhook(secret, await request.text(), request.headers);
    if (event === null) return new Response("Invalid webhook signature.", { status: 400 });
    const change = clerkUserChange(event);
    if (change.kind === "upsert") {
      const { kind: _kind, ...profile } = change;
      await ctx.runMutation(internal.users.upsertFromClerk, {
        ...profile,
        tokenIdentifier: clerkTokenIdentifier(issuer, change.externalId),
      });
    } else if (change.kind === "deactivate") {
      await ctx.runMutation(internal.users.deactivateFromClerk, { externalId: change.externalId });
    }
    return new Response(null, { status: 200 });
  }),
});

export default http;
