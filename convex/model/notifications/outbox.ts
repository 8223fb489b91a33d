import { RateLimiter } from "@convex-dev/rate-limiter";
import { v, type Infer } from "convex/values";
import { components, internal } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import type { ActionCtx, MutationCtx, QueryCtx } from "../../_generated/server";
import { emailStatusValidator, type EmailAttachment, type EmailStatus } from "../../tables/notifications";
import { emailConfigFromEnv, sendSpacingMs } from "./config";
import { sendThroughResend } from "./resend";
import { claimWebhookMessage } from "../webhooks";

/**
 * The durable email outbox (SPEC §7). One row per logical email, keyed by an idempotency key
 * `<event>/<entity id>/<recipient id>/<sequence>`:
 *
 * 1. {@link enqueueEmail} (inside any mutation) inserts the row once per key and schedules
 *    `internal.notifications.deliverEmail` at a paced slot (Resend allows `RESEND_REQUESTS_PER_SECOND`,
 *    default 2, requests per second; every request reserves a slot ≥ 1000/rate ms after the previous
 *    in the shared rate limiter, see {@link reserveSendSlot}).
 *    Without `RESEND_API_KEY` / `EMAIL_FROM` the row is recorded as `not_sent` and nothing is scheduled.
 * 2. The action ({@link deliverOutboxEmail}) claims the row (`sending`, with a watchdog that retries
 *    a crashed attempt), calls Resend once with `Idempotency-Key: <key>`, and records the outcome:
 *    `sent`; a 429 → `queued` again after `retry-after`; a 5xx / network error / timeout → `queued`
 *    again with exponential backoff; other 4xx or too many attempts → `failed`. A retry reuses the
 *    key, so Resend never sends the same email twice, even if an earlier attempt reached it.
 * 3. Resend's webhook ({@link applyResendDeliveryEvent}) moves sent emails to `delivered`,
 *    `bounced`, `complained`, …
 */

/** Requests (429s included) before an email is given up as `failed`. */
export const MAX_ATTEMPTS = 8;
/** First retry delay after a 5xx or network failure (ms); doubles per attempt. */
export const RETRY_BASE_DELAY_MS = 30_000;
/** Longest retry delay (ms). With {@link MAX_ATTEMPTS} all retries end well within Resend's 24 h key window. */
const RETRY_MAX_DELAY_MS = 30 * 60_000;
/** How long an attempt may stay `sending` before the watchdog retries it (ms), at least. */
export const CLAIM_DURATION_MS = 2 * 60_000;

/** What to enqueue. */
interface EmailToEnqueue {
  /** From {@link emailIdempotencyKey}. */
  idempotencyKey: string;
  /** e.g. `successSession.created`. */
  event: string;
  /** e.g. `success-<session id>`. */
  entityId: string;
  recipientUserId?: Id<"users">;
  /** Recipient address. */
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: EmailAttachment[];
}

/**
 * The idempotency key of one logical email: `<event>/<entity id>/<recipient id>/<sequence>`, e.g.
 * `successSession.changed/success-jd7…/k57…/3`. Same key = same email: it is stored and sent once.
 *
 * @param sequence the entity's version (calendar SEQUENCE) the email is about.
 */
export function emailIdempotencyKey(parts: { event: string; entityId: string; recipientId: string; sequence: number }): string {
  return `${parts.event}/${parts.entityId}/${parts.recipientId}/${parts.sequence}`;
}

const EMAIL_ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/**
 * The pace of requests to Resend, in the shared rate limiter (`@convex-dev/rate-limiter`): a token
 * bucket refilled at `RESEND_REQUESTS_PER_SECOND` that holds one token, so reserved requests are
 * spaced `1000 / rate` ms apart and never two at once. One bucket, not sharded: at a few requests
 * per second a shard would hold a fraction of a token.
 */
const resendPace = new RateLimiter(components.rateLimiter);

/**
 * Reserves the next free request slot towards Resend and returns it (epoch ms): no earlier than
 * `earliest`, and at least `1000 / RESEND_REQUESTS_PER_SECOND` ms after the previous reservation.
 * @param now epoch ms, the current time.
 */
export async function reserveSendSlot(ctx: MutationCtx, now: number, earliest: number): Promise<number> {
  const { retryAfter } = await resendPace.limit(ctx, "resendRequests", {
    reserve: true,
    config: { kind: "token bucket", rate: 1, period: sendSpacingMs(), capacity: 1 },
  });
  return Math.max(earliest, now + Math.ceil(retryAfter ?? 0));
}

/**
 * Adds an email to the outbox, once per idempotency key, and schedules its sending.
 *
 * - A key already in the outbox → nothing changes (`created: false`).
 * - `RESEND_API_KEY` or `EMAIL_FROM` unset → recorded as `not_sent` (shown on the admin outbox page).
 * - An address that is not an email address → recorded as `failed`.
 *
 * @returns the outbox row's id and whether this call created it.
 */
export async function enqueueEmail(ctx: MutationCtx, email: EmailToEnqueue, now: number): Promise<{ emailId: Id<"emailOutbox">; created: boolean }> {
  const existing = await ctx.db
    .query("emailOutbox")
    .withIndex("by_idempotencyKey", (q) => q.eq("idempotencyKey", email.idempotencyKey))
    .unique();
  if (existing !== null) return { emailId: existing._id, created: false };

  const base = {
    idempotencyKey: email.idempotencyKey,
    event: email.event,
    entityId: email.entityId,
    ...(email.recipientUserId ? { recipientUserId: email.recipientUserId } : {}),
    to: email.to.trim(),
    subject: email.subject,
    text: email.text,
    html: email.html,
    ...(email.attachments && email.attachments.length > 0 ? { attachments: email.attachments } : {}),
    attempts: 0,
    statusChangedAt: now,
  };
  if (!EMAIL_ADDRESS.test(base.to)) {
    const emailId = await ctx.db.insert("emailOutbox", {
      ...base,
      status: "failed",
      lastError: "The recipient has no valid email address.",
    });
    return { emailId, created: true };
  }
  const config = emailConfigFromEnv();
  if ("missing" in config) {
    const emailId = await ctx.db.insert("emailOutbox", {
      ...base,
      status: "not_sent",
      lastError: `${config.missing} is not set on this deployment: the email was recorded but not sent.`,
    });
    return { emailId, created: true };
  }
  const slot = await reserveSendSlot(ctx, now, now);
  const emailId = await ctx.db.insert("emailOutbox", { ...base, status: "queued", nextAttemptAt: slot });
  await ctx.scheduler.runAt(slot, internal.notifications.deliverEmail, { emailId });
  return { emailId, created: true };
}

/** The data one delivery attempt sends. */
export const claimedEmailValidator = v.object({
  to: v.string(),
  subject: v.string(),
  text: v.string(),
  html: v.string(),
  attachments: v.optional(
    v.array(v.object({ filename: v.string(), contentType: v.string(), content: v.string() })),
  ),
  idempotencyKey: v.string(),
  /** The attempt number this claim made (1-based). */
  attempt: v.number(),
});
type ClaimedEmail = Infer<typeof claimedEmailValidator>;

async function cancelIfPending(ctx: MutationCtx, scheduledId: Id<"_scheduled_functions"> | undefined): Promise<void> {
  if (scheduledId === undefined) return;
  const job = await ctx.db.system.get("_scheduled_functions", scheduledId);
  if (job !== null && job.state.kind === "pending") await ctx.scheduler.cancel(scheduledId);
}

/**
 * Claims an email for one delivery attempt: a `queued` email that is due, or a `sending` email
 * whose claim expired (the previous attempt died). Marks it `sending`, counts the attempt and
 * schedules a watchdog run of `deliverEmail` for when the claim expires.
 *
 * @returns what to send, or null when there is nothing to do (already sent, not due, gone).
 */
export async function claimEmailForDelivery(ctx: MutationCtx, emailId: Id<"emailOutbox">, now: number): Promise<ClaimedEmail | null> {
  const email = await ctx.db.get("emailOutbox", emailId);
  if (email === null) return null;
  const due = email.nextAttemptAt === undefined || email.nextAttemptAt <= now;
  if (!due || (email.status !== "queued" && email.status !== "sending")) return null;
  const config = emailConfigFromEnv();
  const claimMs = Math.max(CLAIM_DURATION_MS, ("missing" in config ? 0 : config.requestTimeoutMs) + 30_000);
  const claimExpiresAt = now + claimMs;
  const watchdogId = await ctx.scheduler.runAt(claimExpiresAt, internal.notifications.deliverEmail, { emailId });
  const attempt = email.attempts + 1;
  await ctx.db.patch("emailOutbox", emailId, {
    status: "sending",
    attempts: attempt,
    nextAttemptAt: claimExpiresAt,
    watchdogId,
    statusChangedAt: email.status === "sending" ? email.statusChangedAt : now,
  });
  return {
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    ...(email.attachments ? { attachments: email.attachments } : {}),
    idempotencyKey: email.idempotencyKey,
    attempt,
  };
}

/** The outcome of one attempt, as recorded by {@link recordDeliveryOutcome}. */
export const deliveryOutcomeValidator = v.union(
  v.object({ kind: v.literal("sent"), providerMessageId: v.string() }),
  v.object({ kind: v.literal("rate_limited"), retryAfterMs: v.number(), error: v.string() }),
  v.object({ kind: v.literal("transient"), error: v.string() }),
  v.object({ kind: v.literal("rejected"), error: v.string() }),
  v.object({ kind: v.literal("not_configured"), error: v.string() }),
);
type DeliveryOutcome = Infer<typeof deliveryOutcomeValidator>;

/** Delay before retry number `attempts + 1` after a transient failure (ms): 30 s, 60 s, 120 s, … ≤ 30 min. */
function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_BASE_DELAY_MS * 2 ** Math.max(attempts - 1, 0), RETRY_MAX_DELAY_MS);
}

/**
 * Records the outcome of attempt `attempt` of an email and schedules the next attempt when one is
 * due. Outcomes of an attempt that was overtaken by a newer one are ignored, except "sent".
 */
export async function recordDeliveryOutcome(
  ctx: MutationCtx,
  emailId: Id<"emailOutbox">,
  attempt: number,
  outcome: DeliveryOutcome,
  now: number,
): Promise<void> {
  const email = await ctx.db.get("emailOutbox", emailId);
  if (email === null) return;
  const current = email.status === "sending" && email.attempts === attempt;
  if (outcome.kind === "sent") {
    if (email.status !== "sending" && email.status !== "queued" && email.status !== "failed") return;
    if (current) await cancelIfPending(ctx, email.watchdogId);
    await ctx.db.patch("emailOutbox", emailId, {
      status: "sent",
      providerMessageId: outcome.providerMessageId,
      sentAt: now,
      statusChangedAt: now,
      nextAttemptAt: undefined,
      watchdogId: current ? undefined : email.watchdogId,
    });
    return;
  }
  if (!current) return;
  await cancelIfPending(ctx, email.watchdogId);
  if (outcome.kind === "not_configured") {
    await ctx.db.patch("emailOutbox", emailId, {
      status: "not_sent",
      lastError: outcome.error,
      nextAttemptAt: undefined,
      watchdogId: undefined,
      statusChangedAt: now,
    });
    return;
  }
  const retryable = outcome.kind === "rate_limited" || outcome.kind === "transient";
  if (!retryable || email.attempts >= MAX_ATTEMPTS) {
    await ctx.db.patch("emailOutbox", emailId, {
      status: "failed",
      lastError: retryable ? `Gave up after ${email.attempts} attempts. Last error: ${outcome.error}` : outcome.error,
      nextAttemptAt: undefined,
      watchdogId: undefined,
      statusChangedAt: now,
    });
    return;
  }
  const wait = outcome.kind === "rate_limited" ? outcome.retryAfterMs : retryDelayMs(email.attempts);
  const nextAttemptAt = await reserveSendSlot(ctx, now, now + wait);
  await ctx.scheduler.runAt(nextAttemptAt, internal.notifications.deliverEmail, { emailId });
  await ctx.db.patch("emailOutbox", emailId, {
    status: "queued",
    lastError: outcome.error,
    nextAttemptAt,
    watchdogId: undefined,
    statusChangedAt: now,
  });
}

/**
 * One delivery attempt (the body of `internal.notifications.deliverEmail`): claim, one request to
 * Resend (`POST /emails` with the idempotency key), record the outcome. Never sleeps: waits are
 * rescheduled runs.
 */
export async function deliverOutboxEmail(ctx: ActionCtx, emailId: Id<"emailOutbox">): Promise<void> {
  const claimed: ClaimedEmail | null = await ctx.runMutation(internal.notifications.claimEmail, { emailId });
  if (claimed === null) return;
  const config = emailConfigFromEnv();
  const outcome: DeliveryOutcome =
    "missing" in config
      ? { kind: "not_configured", error: `${config.missing} is not set on this deployment: the email was not sent.` }
      : await sendThroughResend(config, claimed, Date.now());
  await ctx.runMutation(internal.notifications.recordEmailAttempt, { emailId, attempt: claimed.attempt, outcome });
}

// ── Delivery events from Resend's webhook ───────────────────────────────────────────────────────

/** Resend webhook event types → outbox status. Other types (opened, clicked, …) change nothing. */
const RESEND_EVENT_STATUS: Partial<Record<string, EmailStatus>> = {
  "email.sent": "sent",
  "email.delivery_delayed": "delivery_delayed",
  "email.delivered": "delivered",
  "email.bounced": "bounced",
  "email.failed": "failed",
  "email.suppressed": "suppressed",
  "email.complained": "complained",
};

/** Later states win; an out-of-order older event never moves an email back. */
const STATUS_RANK: Partial<Record<EmailStatus, number>> = {
  sent: 1,
  delivery_delayed: 2,
  delivered: 3,
  failed: 4,
  suppressed: 4,
  bounced: 4,
  complained: 5,
};

/**
 * Applies a verified Resend webhook event to the email Resend knows as `providerMessageId`, at most
 * once per svix message (a replayed request changes nothing) and only forward ({@link STATUS_RANK}:
 * an older or repeated state never moves an email back). Internal: the Resend webhook only.
 *
 * @param event.messageId the request's `svix-id`.
 * @param event.type e.g. `email.delivered`, `email.bounced`.
 * @param event.detail a human-readable reason (bounce message, failure reason), if any.
 * @param now epoch ms.
 * @returns true when an outbox email matched and changed.
 */
export async function applyResendDeliveryEvent(
  ctx: MutationCtx,
  event: { messageId: string; type: string; providerMessageId: string; detail?: string },
  now: number,
): Promise<boolean> {
  const status = RESEND_EVENT_STATUS[event.type];
  if (status === undefined) return false;
  if (!(await claimWebhookMessage(ctx, "resend", event.messageId, now))) return false;
  const email = await ctx.db
    .query("emailOutbox")
    .withIndex("by_providerMessageId", (q) => q.eq("providerMessageId", event.providerMessageId))
    .unique();
  if (email === null) return false;
  const currentRank = STATUS_RANK[email.status] ?? 0;
  const newRank = STATUS_RANK[status] ?? 0;
  if (newRank <= currentRank) return false;
  await ctx.db.patch("emailOutbox", email._id, {
    status,
    statusChangedAt: now,
    ...(event.detail ? { lastError: event.detail } : {}),
  });
  return true;
}

// ── Admin views ─────────────────────────────────────────────────────────────────────────────────

/** An outbox row as the admin list shows it (bodies left out). */
export const outboxListItemValidator = v.object({
  _id: v.id("emailOutbox"),
  _creationTime: v.number(),
  event: v.string(),
  /** The event for people, e.g. "Coaching session: Discord channel ready" (see {@link emailEventTitle}). */
  eventTitle: v.string(),
  entityId: v.string(),
  to: v.string(),
  subject: v.string(),
  status: emailStatusValidator,
  attempts: v.number(),
  nextAttemptAt: v.union(v.number(), v.null()),
  lastError: v.union(v.string(), v.null()),
  providerMessageId: v.union(v.string(), v.null()),
  sentAt: v.union(v.number(), v.null()),
  statusChangedAt: v.number(),
  attachmentNames: v.array(v.string()),
});
type OutboxListItem = Infer<typeof outboxListItemValidator>;

const EVENT_SUBJECTS: Record<string, string> = {
  successSession: "Success session",
  coaching: "Coaching session",
};

const EVENT_ACTIONS: Record<string, string> = {
  created: "scheduled",
  changed: "changed",
  cancelled: "cancelled",
  hostRemoved: "no longer hosting",
  booked: "booked",
  discordReady: "Discord channel ready",
  reminder24h: "reminder a day before",
  reminder1h: "reminder an hour before",
  seriesCreated: "series scheduled",
  seriesChanged: "series changed",
  seriesCancelled: "series cancelled",
  seriesHostRemoved: "no longer hosting the series",
};

/**
 * The outbox event name for people: `coaching.discordReady` → "Coaching session: Discord channel
 * ready", `successSession.seriesCreated` → "Success session: series scheduled". Event names are
 * `<eventPrefix>.<event>` as written by `sessionNotices.ts`; an unknown name is returned unchanged.
 */
export function emailEventTitle(event: string): string {
  const [prefix, action] = event.split(".", 2);
  const subject = EVENT_SUBJECTS[prefix];
  const verb = action === undefined ? undefined : EVENT_ACTIONS[action];
  return subject !== undefined && verb !== undefined ? `${subject}: ${verb}` : event;
}

/** The list form of an outbox row. */
function toOutboxListItem(email: Doc<"emailOutbox">): OutboxListItem {
  return {
    _id: email._id,
    _creationTime: email._creationTime,
    event: email.event,
    eventTitle: emailEventTitle(email.event),
    entityId: email.entityId,
    to: email.to,
    subject: email.subject,
    status: email.status,
    attempts: email.attempts,
    nextAttemptAt: email.nextAttemptAt ?? null,
    lastError: email.lastError ?? null,
    providerMessageId: email.providerMessageId ?? null,
    sentAt: email.sentAt ?? null,
    statusChangedAt: email.statusChangedAt,
    attachmentNames: (email.attachments ?? []).map((attachment) => attachment.filename),
  };
}

/**
 * Outbox emails, newest first, a page at a time (bodies left out); with `status`, only those in
 * that status (through the `by_status` index). Admins (`notifications.manage`).
 * @param args `{ paginationOpts, status? }`; paginationOpts are Convex pagination options.
 */
export async function listOutbox(
  ctx: QueryCtx,
  args: { status?: EmailStatus; paginationOpts: { numItems: number; cursor: string | null } },
) {
  const page =
    args.status === undefined
      ? await ctx.db.query("emailOutbox").order("desc").paginate(args.paginationOpts)
      : await ctx.db
          .query("emailOutbox")
          .withIndex("by_status", (q) => q.eq("status", args.status!))
          .order("desc")
          .paginate(args.paginationOpts);
  return { ...page, page: page.page.map(toOutboxListItem) };
}
