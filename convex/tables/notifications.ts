import { defineTable } from "convex/server";
import { v, type Infer } from "convex/values";
import { literals } from "convex-helpers/validators";

/**
 * Where an outbox email stands (SPEC §7):
 * - `queued`: waiting for its (next) send attempt at `nextAttemptAt`;
 * - `sending`: an attempt is in flight (claimed until `nextAttemptAt`; a stale claim is retried);
 * - `sent`: Resend accepted it (`providerMessageId` set); delivery state follows through the webhook;
 * - `not_sent`: recorded only, because `RESEND_API_KEY` (or `EMAIL_FROM`) is not set;
 * - `failed`: Resend rejected it, the retry budget ran out, or Resend reported a failure;
 * - `delivered`, `delivery_delayed`, `bounced`, `complained`, `suppressed`: reported by Resend's webhook.
 */
export const emailStatusValidator = literals("queued", "sending", "sent", "not_sent", "failed", "delivered", "delivery_delayed", "bounced", "complained", "suppressed");
export type EmailStatus = Infer<typeof emailStatusValidator>;

/** An attachment kept with the email (text content, e.g. an `.ics` invite). */
export const emailAttachmentValidator = v.object({
  filename: v.string(),
  /** MIME type, e.g. `text/calendar; method=REQUEST; charset=UTF-8`. */
  contentType: v.string(),
  /** The attachment's text (UTF-8); base64-encoded only when sent. */
  content: v.string(),
});
export type EmailAttachment = Infer<typeof emailAttachmentValidator>;

/** The session kinds notifications and calendars know (see `model/notifications/sessionKinds.ts`). */
export const sessionKindValidator = literals("success", "coaching");
export type SessionKind = Infer<typeof sessionKindValidator>;

/** How long before a session's start a reminder goes out. */
export const reminderLeadValidator = literals("24h", "1h");
export type ReminderLead = Infer<typeof reminderLeadValidator>;

export const reminderStatusValidator = v.union(
  /** Waiting for `runAt`. */
  v.literal("scheduled"),
  /** Sent at `completedAt` (the emails are in the outbox). */
  v.literal("sent"),
  /** Not sent: the session was cancelled, deleted or moved when the job ran (`skippedReason`). */
  v.literal("skipped"),
);

/** Email outbox, reminder jobs and private calendar feeds (SPEC §7). */
export const notificationTables = {
  /**
   * One row per logical email. `idempotencyKey` (`<event>/<entity id>/<recipient id>/<sequence>`) is
   * unique: enqueueing the same key twice is a no-op, and it is sent to Resend as `Idempotency-Key`
   * so a retried request never sends twice. Written only by `model/notifications/outbox.ts`.
   */
  emailOutbox: defineTable({
    idempotencyKey: v.string(),
    /** The event that caused it, e.g. `successSession.created`, `reminder.24h`. */
    event: v.string(),
    /** The entity it is about, e.g. `success-<session id>`. */
    entityId: v.string(),
    recipientUserId: v.optional(v.id("users")),
    /** Recipient address. */
    to: v.string(),
    subject: v.string(),
    text: v.string(),
    html: v.string(),
    attachments: v.optional(v.array(emailAttachmentValidator)),
    status: emailStatusValidator,
    /** Requests made to Resend so far (429s included). */
    attempts: v.number(),
    /**
     * Epoch ms: when `queued`, the next attempt; when `sending`, when the claim of the running attempt
     * expires (a later run then retries it, safely, with the same idempotency key).
     */
    nextAttemptAt: v.optional(v.number()),
    lastError: v.optional(v.string()),
    /** Resend's email id, once accepted. */
    providerMessageId: v.optional(v.string()),
    /** Epoch ms when Resend accepted it. */
    sentAt: v.optional(v.number()),
    /** Epoch ms of the last status change. */
    statusChangedAt: v.number(),
    /** The scheduled re-check of an attempt in flight (cancelled when the attempt ends). */
    watchdogId: v.optional(v.id("_scheduled_functions")),
  })
    .index("by_idempotencyKey", ["idempotencyKey"])
    .index("by_status", ["status"])
    .index("by_providerMessageId", ["providerMessageId"]),

  /**
   * Reminder jobs: one row per (session, lead time) for the current start time. Rescheduling deletes
   * the old rows and cancels their scheduled functions. Written only by
   * `model/notifications/reminders.ts`.
   */
  sessionReminders: defineTable({
    kind: sessionKindValidator,
    /** The session's document id. */
    entityId: v.string(),
    lead: reminderLeadValidator,
    /** Epoch ms: the session start this reminder was planned for. */
    startsAt: v.number(),
    /** Epoch ms when the job runs (`startsAt` minus the lead time). */
    runAt: v.number(),
    status: reminderStatusValidator,
    scheduledFunctionId: v.optional(v.id("_scheduled_functions")),
    /** Epoch ms when the job ran. */
    completedAt: v.optional(v.number()),
    skippedReason: v.optional(v.string()),
  }).index("by_kind_and_entityId", ["kind", "entityId"]),

  /**
   * One private calendar feed per user (`GET /calendar/<token>.ics`). Only the SHA-256 (hex) of the
   * token is stored; the token itself is shown to the user once, when created or rotated.
   */
  calendarFeeds: defineTable({
    userId: v.id("users"),
    tokenHash: v.string(),
    /** Epoch ms. */
    createdAt: v.number(),
    /** Epoch ms of the last rotation, if any. */
    rotatedAt: v.optional(v.number()),
  })
    .index("by_userId", ["userId"])
    .index("by_tokenHash", ["tokenHash"]),
};
