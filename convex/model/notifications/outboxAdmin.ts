import type { Id } from "../../_generated/dataModel";
import { internal } from "../../_generated/api";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { throwError } from "../errors";
import { emailConfigFromEnv } from "./config";
import { reserveSendSlot } from "./outbox";
import { requireDocument } from "../documents";

/** What admins do in the outbox page beyond listing (SPEC §7): preview one email, send it again. */

/** The admin preview of one outbox email. */
export interface EmailPreview {
  idempotencyKey: string;
  to: string;
  subject: string;
  /** Plain-text part. */
  text: string;
  /** HTML part. */
  html: string;
  /** Names and MIME types of the attachments (their content left out). */
  attachments: { filename: string; contentType: string }[];
}

/**
 * One outbox email with its plain-text and HTML parts and attachment names, for the admin preview.
 * Admins (`notifications.manage`).
 * @throws ConvexError NOT_FOUND when the email is not in the outbox.
 */
export async function emailPreview(ctx: QueryCtx, emailId: Id<"emailOutbox">): Promise<EmailPreview> {
  const email = await requireDocument(ctx, "emailOutbox", emailId, "That email is not in the outbox.");
  return {
    idempotencyKey: email.idempotencyKey,
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    attachments: (email.attachments ?? []).map(({ filename, contentType }) => ({ filename, contentType })),
  };
}

/**
 * Sends a `failed` or `not_sent` email again: queued with a fresh retry budget at the next paced
 * send slot, where `internal.notifications.deliverEmail` runs. The idempotency key stays the same,
 * so Resend still delivers it at most once. Admins (`notifications.manage`). `now` is epoch ms.
 * @throws ConvexError NOT_FOUND (not in the outbox); FAILED_PRECONDITION when the email is in another
 *   state or sending is not configured (`RESEND_API_KEY` / `EMAIL_FROM`).
 */
export async function resendOutboxEmail(ctx: MutationCtx, emailId: Id<"emailOutbox">, now: number): Promise<void> {
  const email = await requireDocument(ctx, "emailOutbox", emailId, "That email is not in the outbox.");
  if (email.status !== "failed" && email.status !== "not_sent") {
    throwError("FAILED_PRECONDITION", "Only failed or unsent emails can be sent again.");
  }
  const config = emailConfigFromEnv();
  if ("missing" in config) {
    throwError("FAILED_PRECONDITION", `Email sending is not configured: set ${config.missing} on the deployment first.`);
  }
  const nextAttemptAt = await reserveSendSlot(ctx, now, now);
  await ctx.db.patch("emailOutbox", emailId, { status: "queued", attempts: 0, nextAttemptAt, statusChangedAt: now });
  await ctx.scheduler.runAt(nextAttemptAt, internal.notifications.deliverEmail, { emailId });
}
