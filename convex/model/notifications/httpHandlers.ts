import { verifySvixWebhook } from "../webhooks";
import { internal } from "../../_generated/api";
import { env, type ActionCtx } from "../../_generated/server";
import { FEED_TOKEN_PATTERN, hashFeedToken } from "./feedTokens";

/**
 * Bodies of the HTTP actions of notifications and calendars; `convex/http.ts` routes them:
 * - `GET /calendar/<token>.ics` → {@link serveCalendarFeed};
 * - `POST /resend-webhook` → {@link handleResendWebhook}.
 */

const FEED_PATH = /^\/calendar\/([^/]+)\.ics$/;

/**
 * `GET /calendar/<token>.ics`: the private calendar feed of the token's owner (`text/calendar`).
 * 404 for a malformed, unknown or rotated token (the same answer for each, so tokens cannot be probed).
 * @param now epoch ms of the request: the feed covers the window around it.
 */
export async function serveCalendarFeed(ctx: ActionCtx, request: Request, now: number): Promise<Response> {
  const match = FEED_PATH.exec(new URL(request.url).pathname);
  const token = match?.[1];
  if (!token || !FEED_TOKEN_PATTERN.test(token)) return notFound();
  const ics: string | null = await ctx.runQuery(internal.calendar.feedForTokenHash, { tokenHash: hashFeedToken(token), now });
  if (ics === null) return notFound();
  return new Response(ics, {
    status: 200,
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'inline; filename="sessions-hub.ics"',
      "Cache-Control": "private, no-cache",
      "X-Robots-Tag": "noindex",
    },
  });
}

function notFound(): Response {
  return new Response("Calendar feed not found.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** The part of a Resend webhook event this app reads. */
interface ResendWebhookEvent {
  type?: unknown;
  data?: {
    email_id?: unknown;
    bounce?: { message?: unknown };
    failed?: { reason?: unknown };
  };
}

/**
 * `POST /resend-webhook`: delivery events from Resend (`email.delivered`, `email.bounced`, …),
 * signed with `RESEND_WEBHOOK_SECRET`. 503 when the secret is not configured; 400 and nothing
 * written for a missing or bad signature; 200 otherwise (events about unknown emails and other
 * event types are acknowledged and ignored).
 */
export async function handleResendWebhook(ctx: ActionCtx, request: Request): Promise<Response> {
  const secret = env.RESEND_WEBHOOK_SECRET?.trim();
  if (!secret) return new Response("The Resend webhook is not configured on this deployment.", { status: 503 });
  const verified = verifySvixWebhook(secret, await request.text(), request.headers);
  if (verified === null) return new Response("Invalid webhook signature.", { status: 400 });
  const event = verified.payload as ResendWebhookEvent;
  const type = typeof event.type === "string" ? event.type : "";
  const emailId = event.data?.email_id;
  if (type.startsWith("email.") && typeof emailId === "string" && emailId.length > 0) {
    const bounce = event.data?.bounce?.message;
    const failure = event.data?.failed?.reason;
    const detail = typeof bounce === "string" ? bounce : typeof failure === "string" ? failure : undefined;
    await ctx.runMutation(internal.notifications.applyDeliveryEvent, {
      messageId: verified.messageId,
      type,
      providerMessageId: emailId,
      ...(detail ? { detail: detail.slice(0, 500) } : {}),
    });
  }
  return new Response(null, { status: 200 });
}
