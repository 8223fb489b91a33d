import type { Infer } from "convex/values";
import { Webhook } from "svix";
import type { MutationCtx } from "../_generated/server";
import type { webhookSourceValidator } from "../tables/webhooks";

/**
 * Signed webhooks (Clerk's user events and Resend's delivery events, both delivered by svix):
 * signature checks, and the memory of processed messages that makes a replayed request harmless.
 */

/** svix's timestamp tolerance: a signed request older or newer than this is refused (ms). */
const SVIX_TOLERANCE_MS = 5 * 60_000;

/** How long a processed message id is remembered: the tolerance on both sides, plus a minute (ms). */
const REMEMBER_MS = 2 * SVIX_TOLERANCE_MS + 60_000;

/** Expired message ids deleted per delivery, so the table stays small without a cron. */
const EXPIRED_DELETED_PER_DELIVERY = 20;

/** A request whose svix signature checked out. */
type VerifiedWebhook = {
  /** The JSON body. */
  payload: unknown;
  /** `svix-id`: the same for every retry of one message. */
  messageId: string;
  /** `svix-timestamp` in epoch ms: when this attempt was signed. */
  signedAt: number;
};

/**
 * Verifies the svix signature of a webhook request (headers `svix-id`, `svix-timestamp`,
 * `svix-signature`), with svix's own `Webhook.verify` (which also refuses timestamps outside
 * {@link SVIX_TOLERANCE_MS}).
 *
 * @param secret the endpoint's signing secret (`whsec_…`).
 * @param body the raw request body, exactly as received.
 * @returns the verified request, or null when a header is missing or the signature is wrong or stale.
 */
export function verifySvixWebhook(secret: string, body: string, headers: Headers): VerifiedWebhook | null {
  const messageId = headers.get("svix-id") ?? "";
  const timestamp = headers.get("svix-timestamp") ?? "";
  try {
    const payload: unknown = new Webhook(secret).verify(body, {
      "svix-id": messageId,
      "svix-timestamp": timestamp,
      "svix-signature": headers.get("svix-signature") ?? "",
    });
    return { payload, messageId, signedAt: Number(timestamp) * 1000 };
  } catch {
    return null;
  }
}

/**
 * Records that the message `messageId` of `source` is being applied, in the same transaction as its
 * effect, and deletes a few expired records. Internal mutations only.
 *
 * @param now epoch ms.
 * @returns false when the message was applied before (a replay or a retry after success): the
 *   caller then changes nothing.
 */
export async function claimWebhookMessage(
  ctx: MutationCtx,
  source: Infer<typeof webhookSourceValidator>,
  messageId: string,
  now: number,
): Promise<boolean> {
  const seen = await ctx.db
    .query("webhookMessages")
    .withIndex("by_source_and_messageId", (q) => q.eq("source", source).eq("messageId", messageId))
    .unique();
  if (seen !== null) return false;
  const expired = await ctx.db
    .query("webhookMessages")
    .withIndex("by_expiresAt", (q) => q.lt("expiresAt", now))
    .take(EXPIRED_DELETED_PER_DELIVERY);
  for (const row of expired) await ctx.db.delete("webhookMessages", row._id);
  await ctx.db.insert("webhookMessages", { source, messageId, expiresAt: now + REMEMBER_MS });
  return true;
}
