import { paginationArg } from "./model/validation";
import { v } from "convex/values";
import { internal } from "./_generated/api";
import { env, internalAction, internalMutation } from "./_generated/server";
import { throwError } from "./model/errors";
import { permissionMutation, permissionQuery } from "./model/functions";
import { emailConfigFromEnv } from "./model/notifications/config";
import {
  applyResendDeliveryEvent,
  claimedEmailValidator,
  claimEmailForDelivery,
  deliverOutboxEmail,
  deliveryOutcomeValidator,
  listOutbox as listOutboxPage,
  outboxListItemValidator,
  recordDeliveryOutcome,
  reserveSendSlot,
} from "./model/notifications/outbox";
import {
  deliverSessionsLeftAudience as deliverSessionsLeftAudienceChunk,
  deliverStudentLeftAudience as deliverStudentLeftAudienceEmails,
} from "./model/notifications/audienceRemoval";
import { runReminder } from "./model/notifications/reminders";
import { deliverSessionNoticeChunk, sessionNoticeChunkArgs } from "./model/notifications/sessionNotices";
import { emailStatusValidator } from "./tables/notifications";

/**
 * Email notifications (SPEC §7): the admin outbox and the internal functions of the durable email
 * pipeline and of reminders. Feature code does not call these directly: it calls
 * `notifySessionEvent` / `scheduleReminders` from `model/notifications/` (see their docstrings).
 */

/**
 * Outbox emails, newest first, a page at a time (bodies left out); with `status`, only those in
 * that status. Admins (`notifications.manage`).
 * @param paginationOpts Convex pagination options.
 * @throws ConvexError UNAUTHENTICATED, FORBIDDEN.
 */
export const listOutbox = permissionQuery("notifications.manage")({
  args: { paginationOpts: paginationArg, status: v.optional(emailStatusValidator) },
  returns: v.object({
    page: v.array(outboxListItemValidator),
    isDone: v.boolean(),
    continueCursor: v.string(),
    splitCursor: v.optional(v.union(v.string(), v.null())),
    pageStatus: v.optional(v.union(v.literal("SplitRecommended"), v.literal("SplitRequired"), v.null())),
  }),
  handler: (ctx, args) => listOutboxPage(ctx, args),
});

/**
 * Whether this deployment sends email: `sending` false with `missing` naming the variable to set
 * (`RESEND_API_KEY` or `EMAIL_FROM`); `webhookConfigured` tells whether delivery states come back.
 * Admins (`notifications.manage`).
 */
export const sendingConfiguration = permissionQuery("notifications.manage")({
  args: {},
  returns: v.object({
    sending: v.boolean(),
    missing: v.union(v.literal("RESEND_API_KEY"), v.literal("EMAIL_FROM"), v.null()),
    webhookConfigured: v.boolean(),
  }),
  handler: async () => {
    const config = emailConfigFromEnv();
    return {
      sending: !("missing" in config),
      missing: "missing" in config ? config.missing : null,
      webhookConfigured: Boolean(env.RESEND_WEBHOOK_SECRET?.trim()),
    };
  },
});

/**
 * One outbox email with its plain-text and HTML parts and attachment names, for the admin preview.
 * Admins (`notifications.manage`).
 * @throws ConvexError UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.
 */
export const getEmail = permissionQuery("notifications.manage")({
  args: { emailId: v.id("emailOutbox") },
  returns: v.object({
    idempotencyKey: v.string(),
    to: v.string(),
    subject: v.string(),
    text: v.string(),
    html: v.string(),
    attachments: v.array(v.object({ filename: v.string(), contentType: v.string() })),
  }),
  handler: async (ctx, { emailId }) => {
    const email = await ctx.db.get("emailOutbox", emailId);
    if (email === null) throwError("NOT_FOUND", "That email is not in the outbox.");
    return {
      idempotencyKey: email.idempotencyKey,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      attachments: (email.attachments ?? []).map(({ filename, contentType }) => ({ filename, contentType })),
    };
  },
});

/**
 * Sends a `failed` or `not_sent` email again (same idempotency key, so Resend still delivers it at
 * most once), with a fresh retry budget. Admins (`notifications.manage`).
 * @throws ConvexError NOT_FOUND; FAILED_PRECONDITION when the email is in another state or sending
 *   is not configured (RESEND_API_KEY / EMAIL_FROM).
 */
export const resendEmail = permissionMutation("notifications.manage")({
  args: { emailId: v.id("emailOutbox") },
  returns: v.null(),
  handler: async (ctx, { emailId }) => {
    const email = await ctx.db.get("emailOutbox", emailId);
    if (email === null) throwError("NOT_FOUND", "That email is not in the outbox.");
    if (email.status !== "failed" && email.status !== "not_sent") {
      throwError("FAILED_PRECONDITION", "Only failed or unsent emails can be sent again.");
    }
    const config = emailConfigFromEnv();
    if ("missing" in config) {
      throwError("FAILED_PRECONDITION", `Email sending is not configured: set ${config.missing} on the deployment first.`);
    }
    const now = Date.now();
    const nextAttemptAt = await reserveSendSlot(ctx, now, now);
    await ctx.db.patch("emailOutbox", emailId, { status: "queued", attempts: 0, nextAttemptAt, statusChangedAt: now });
    await ctx.scheduler.runAt(nextAttemptAt, internal.notifications.deliverEmail, { emailId });
    return null;
  },
});

/** One delivery attempt of an outbox email (scheduled by the outbox; see `model/notifications/outbox.ts`). */
export const deliverEmail = internalAction({
  args: { emailId: v.id("emailOutbox") },
  returns: v.null(),
  handler: async (ctx, { emailId }) => {
    await deliverOutboxEmail(ctx, emailId);
    return null;
  },
});

/** Claims an email for one attempt; null when there is nothing to do. */
export const claimEmail = internalMutation({
  args: { emailId: v.id("emailOutbox") },
  returns: v.union(claimedEmailValidator, v.null()),
  handler: (ctx, { emailId }) => claimEmailForDelivery(ctx, emailId, Date.now()),
});

/** Records the outcome of attempt `attempt` and schedules the next one when due. */
export const recordEmailAttempt = internalMutation({
  args: { emailId: v.id("emailOutbox"), attempt: v.number(), outcome: deliveryOutcomeValidator },
  returns: v.null(),
  handler: async (ctx, { emailId, attempt, outcome }) => {
    await recordDeliveryOutcome(ctx, emailId, attempt, outcome, Date.now());
    return null;
  },
});

/** A verified Resend webhook event (from `POST /resend-webhook`). */
export const applyDeliveryEvent = internalMutation({
  args: { messageId: v.string(), type: v.string(), providerMessageId: v.string(), detail: v.optional(v.string()) },
  returns: v.boolean(),
  handler: (ctx, args) => applyResendDeliveryEvent(ctx, args, Date.now()),
});

/** One chunk of a session notice (scheduled by `notifySessionEvent`). */
export const deliverSessionNotice = internalMutation({
  args: sessionNoticeChunkArgs,
  returns: v.null(),
  handler: async (ctx, args) => {
    await deliverSessionNoticeChunk(ctx, args, Date.now());
    return null;
  },
});

/** A reminder job (scheduled by `scheduleReminders`). */
export const sendReminder = internalMutation({
  args: { reminderId: v.id("sessionReminders") },
  returns: v.null(),
  handler: async (ctx, { reminderId }) => {
    await runReminder(ctx, reminderId, Date.now());
    return null;
  },
});

/** One page of removal emails for sessions that moved to another audience (see `model/notifications/audienceRemoval.ts#deliverSessionsLeftAudience`). */
export const deliverSessionsLeftAudience = internalMutation({
  args: {
    sessionIds: v.array(v.id("successSessions")),
    courseId: v.id("courses"),
    batchId: v.union(v.id("batches"), v.null()),
    cursor: v.union(v.string(), v.null()),
  },
  returns: v.null(),
  handler: async (ctx, args) => {
    await deliverSessionsLeftAudienceChunk(ctx, args, Date.now());
    return null;
  },
});

/** Removal emails for a student whose enrollment changed (see `model/notifications/audienceRemoval.ts#deliverStudentLeftAudience`). */
export const deliverStudentLeftAudience = internalMutation({
  args: { studentId: v.id("users"), courseId: v.id("courses"), batchId: v.union(v.id("batches"), v.null()) },
  returns: v.null(),
  handler: async (ctx, args) => {
    await deliverStudentLeftAudienceEmails(ctx, args, Date.now());
    return null;
  },
});
