import { paginationArg } from "./model/validation";
import { v } from "convex/values";
import { internalAction, internalMutation } from "./_generated/server";
import { permissionMutation, permissionQuery } from "./model/functions";
import { sendingConfiguration as sendingConfigurationFromEnv } from "./model/notifications/config";
import { emailPreview, resendOutboxEmail } from "./model/notifications/outboxAdmin";
import {
  applyResendDeliveryEvent,
  claimedEmailValidator,
  claimEmailForDelivery,
  deliverOutboxEmail,
  deliveryOutcomeValidator,
  listOutbox as listOutboxPage,
  outboxListItemValidator,
  recordDeliveryOutcome,
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

/** Outbox emails, newest first, a page at a time; see `listOutbox` in `model/notifications/outbox.ts`. */
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

/** Whether this deployment sends email; see `sendingConfiguration` in `model/notifications/config.ts`. */
export const sendingConfiguration = permissionQuery("notifications.manage")({
  args: {},
  returns: v.object({
    sending: v.boolean(),
    missing: v.union(v.literal("RESEND_API_KEY"), v.literal("EMAIL_FROM"), v.null()),
    webhookConfigured: v.boolean(),
  }),
  handler: async () => sendingConfigurationFromEnv(),
});

/** One outbox email for the admin preview; see `emailPreview` in `model/notifications/outboxAdmin.ts`. */
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
  handler: (ctx, { emailId }) => emailPreview(ctx, emailId),
});

/** Sends a failed or unsent email again; see `resendOutboxEmail` in `model/notifications/outboxAdmin.ts`. */
export const resendEmail = permissionMutation("notifications.manage")({
  args: { emailId: v.id("emailOutbox") },
  returns: v.null(),
  handler: (ctx, { emailId }) => resendOutboxEmail(ctx, emailId, Date.now()),
});

/** One delivery attempt of an outbox email; see `deliverOutboxEmail` in `model/notifications/outbox.ts`. */
export const deliverEmail = internalAction({
  args: { emailId: v.id("emailOutbox") },
  returns: v.null(),
  handler: (ctx, { emailId }) => deliverOutboxEmail(ctx, emailId),
});

/** Claims an email for one attempt, or null; see `claimEmailForDelivery` in `model/notifications/outbox.ts`. */
export const claimEmail = internalMutation({
  args: { emailId: v.id("emailOutbox") },
  returns: v.union(claimedEmailValidator, v.null()),
  handler: (ctx, { emailId }) => claimEmailForDelivery(ctx, emailId, Date.now()),
});

/** Records the outcome of one attempt; see `recordDeliveryOutcome` in `model/notifications/outbox.ts`. */
export const recordEmailAttempt = internalMutation({
  args: { emailId: v.id("emailOutbox"), attempt: v.number(), outcome: deliveryOutcomeValidator },
  returns: v.null(),
  handler: (ctx, { emailId, attempt, outcome }) => recordDeliveryOutcome(ctx, emailId, attempt, outcome, Date.now()),
});

/** A verified Resend webhook event (`POST /resend-webhook`); see `applyResendDeliveryEvent` in `model/notifications/outbox.ts`. */
export const applyDeliveryEvent = internalMutation({
  args: { messageId: v.string(), type: v.string(), providerMessageId: v.string(), detail: v.optional(v.string()) },
  returns: v.boolean(),
  handler: (ctx, args) => applyResendDeliveryEvent(ctx, args, Date.now()),
});

/** One chunk of a session notice; see `deliverSessionNoticeChunk` in `model/notifications/sessionNotices.ts`. */
export const deliverSessionNotice = internalMutation({
  args: sessionNoticeChunkArgs,
  returns: v.null(),
  handler: (ctx, args) => deliverSessionNoticeChunk(ctx, args, Date.now()),
});

/** A reminder job; see `runReminder` in `model/notifications/reminders.ts`. */
export const sendReminder = internalMutation({
  args: { reminderId: v.id("sessionReminders") },
  returns: v.null(),
  handler: (ctx, { reminderId }) => runReminder(ctx, reminderId, Date.now()),
});

/** One page of removal emails for sessions that moved audience; see `deliverSessionsLeftAudience` in `model/notifications/audienceRemoval.ts`. */
export const deliverSessionsLeftAudience = internalMutation({
  args: {
    sessionIds: v.array(v.id("successSessions")),
    courseId: v.id("courses"),
    batchId: v.union(v.id("batches"), v.null()),
    cursor: v.union(v.string(), v.null()),
  },
  returns: v.null(),
  handler: (ctx, args) => deliverSessionsLeftAudienceChunk(ctx, args, Date.now()),
});

/** Removal emails for a student whose enrollment changed; see `deliverStudentLeftAudience` in `model/notifications/audienceRemoval.ts`. */
export const deliverStudentLeftAudience = internalMutation({
  args: { studentId: v.id("users"), courseId: v.id("courses"), batchId: v.union(v.id("batches"), v.null()) },
  returns: v.null(),
  handler: (ctx, args) => deliverStudentLeftAudienceEmails(ctx, args, Date.now()),
});
