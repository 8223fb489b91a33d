import { v, type Infer } from "convex/values";
import { literals } from "convex-helpers/validators";
import { internal } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import { sessionKindValidator, type EmailAttachment, type SessionKind } from "../../tables/notifications";
import { toCalendarEvent } from "./calendarSources";
import { appLink, senderAddress } from "./config";
import { buildFeedIcs, buildInviteIcs } from "./ics";
import { emailIdempotencyKey, enqueueEmail } from "./outbox";
import { cancelReminders, scheduleReminders } from "./reminders";
import { appPathFor, loadSession, SESSION_KINDS, type SessionSnapshot } from "./sessionKinds";
import { renderSeriesEmail, renderSessionEmail, type TemplateNotice, type TemplateSession } from "./templates";

/**
 * Session notices: the one call the session features make after a change (SPEC §7).
 *
 * ```ts
 * import { notifySessionEvent } from "./model/notifications/sessionNotices";
 * // success sessions (in the mutation that made the change, after it):
 * await notifySessionEvent(ctx, { kind: "success", entityId: sessionId, event: "created" });
 * await notifySessionEvent(ctx, { kind: "success", entityId: sessionId, event: "changed",
 *   changes: { previousStartsAt, previousEndsAt, previousMentorId, linkChanged: true } });
 * await notifySessionEvent(ctx, { kind: "success", entityId: sessionId, event: "cancelled" });
 * // coaching sessions:
 * await notifySessionEvent(ctx, { kind: "coaching", entityId: sessionId, event: "booked" });
 * await notifySessionEvent(ctx, { kind: "coaching", entityId: sessionId, event: "cancelled" });
 * await notifySessionEvent(ctx, { kind: "coaching", entityId: sessionId, event: "discordReady" });
 * await notifySessionEvent(ctx, { kind: "coaching", entityId: sessionId, event: "rescheduled",
 *   changes: { previousStartsAt, previousEndsAt } });
 * ```
 *
 * It schedules `internal.notifications.deliverSessionNotice`, which runs after the caller's
 * transaction commits (nothing happens if the caller fails), re-reads the session through the
 * registry (`sessionKinds.ts`) and:
 * - drops a stale notice (created / changed / booked / discordReady for a session that is cancelled
 *   by then, or cancelled for one that is not);
 * - plans or moves the 24 h / 1 h reminders (created, changed, booked) or cancels them (cancelled);
 * - emails every recipient (the mentor and the targeted students; the coach and the student) in
 *   their own time zone, 100 recipients per transaction, with an `.ics` invite (METHOD:REQUEST for
 *   created / changed / booked, METHOD:CANCEL for cancelled), one email per recipient per
 *   event and session SEQUENCE (idempotency key `<event>/<kind>-<id>/<user id>/<sequence>`):
 *   a second call for the same event and sequence sends nothing new, so bump the session's
 *   `sequence` on every change;
 * - on `changed` with `previousMentorId` different from the current mentor: emails the previous
 *   mentor that they no longer host it, with a METHOD:CANCEL.
 *
 * Several occurrences of one recurring series at once (creating a series, editing or cancelling
 * "this and following"): {@link notifySeriesEvent} sends ONE email per recipient listing all of
 * them (with an `.ics` holding every occurrence, same UIDs as the feed) instead of one per occurrence,
 * and plans / cancels each occurrence's reminders:
 *
 * ```ts
 * await notifySeriesEvent(ctx, { kind: "success", entityIds: sessionIds, event: "created" });
 * await notifySeriesEvent(ctx, { kind: "success", entityIds: changedIds, event: "changed", changes: { previousMentorId } });
 * await notifySeriesEvent(ctx, { kind: "success", entityIds: cancelledIds, event: "cancelled" });
 * ```
 */

/** Events a feature reports, per kind. */
type SessionNotice =
  | { kind: "success"; entityId: Id<"successSessions">; event: "created" | "cancelled" }
  | { kind: "success"; entityId: Id<"successSessions">; event: "changed"; changes?: SessionChanges }
  | { kind: "coaching"; entityId: Id<"coachingSessions">; event: "booked" | "cancelled" | "discordReady" }
  /** A coaching session moved: one email with old and new time and an updated invite (same UID, higher SEQUENCE). */
  | {
      kind: "coaching";
      entityId: Id<"coachingSessions">;
      event: "rescheduled";
      changes: Required<Pick<SessionChanges, "previousStartsAt" | "previousEndsAt">>;
    };

/** Several occurrences of one series (same course, audience and mentor), 1–52 ids. */
type SeriesNotice =
  | { kind: "success"; entityIds: Id<"successSessions">[]; event: "created" | "cancelled" }
  | { kind: "success"; entityIds: Id<"successSessions">[]; event: "changed"; changes?: Pick<SessionChanges, "previousMentorId"> };

/** What changed (previous values), for the "changed" email. Omit what did not change. */
interface SessionChanges {
  /** Epoch ms of the previous start / end. */
  previousStartsAt?: number;
  previousEndsAt?: number;
  /** The previous mentor, who gets a "you no longer host" email with a calendar cancellation. */
  previousMentorId?: Id<"users">;
  /** True when the meeting link changed. */
  linkChanged?: boolean;
}

const sessionNoticeEventValidator = literals("created", "changed", "cancelled", "booked", "discordReady", "rescheduled", "reminder24h", "reminder1h");
type SessionNoticeEvent = Infer<typeof sessionNoticeEventValidator>;

/** Arguments of `internal.notifications.deliverSessionNotice`. */
export const sessionNoticeChunkArgs = {
  kind: sessionKindValidator,
  entityId: v.string(),
  event: sessionNoticeEventValidator,
  changes: v.optional(
    v.object({
      previousStartsAt: v.optional(v.number()),
      previousEndsAt: v.optional(v.number()),
      previousMentorId: v.optional(v.id("users")),
      linkChanged: v.optional(v.boolean()),
    }),
  ),
  /** Audience page cursor; null for the first chunk. */
  cursor: v.union(v.string(), v.null()),
  /** For a series notice: every occurrence's id (`entityId` is the first of them). */
  seriesEntityIds: v.optional(v.array(v.string())),
};
type SessionNoticeChunk = {
  kind: SessionKind;
  entityId: string;
  event: SessionNoticeEvent;
  changes?: SessionChanges;
  cursor: string | null;
  seriesEntityIds?: string[];
};

/**
 * Reports a change of a session; emails, invites and reminders follow (see the module comment).
 * Call it in the mutation that made the change, after the change.
 */
export async function notifySessionEvent(ctx: MutationCtx, notice: SessionNotice): Promise<void> {
  await ctx.scheduler.runAfter(0, internal.notifications.deliverSessionNotice, {
    kind: notice.kind,
    entityId: notice.entityId,
    event: notice.event,
    ...("changes" in notice && notice.changes ? { changes: notice.changes } : {}),
    cursor: null,
  });
}

/** Most occurrences one series notice may name (a series has at most 52). */
const MAX_SERIES_NOTICE_SESSIONS = 52;

/**
 * Reports a change of several occurrences of one series at once; each recipient gets one email
 * listing them (see the module comment). One id behaves exactly like {@link notifySessionEvent};
 * no ids do nothing.
 * @throws Error for more than {@link MAX_SERIES_NOTICE_SESSIONS} ids (a programming error).
 */
export async function notifySeriesEvent(ctx: MutationCtx, notice: SeriesNotice): Promise<void> {
  const ids = [...new Set(notice.entityIds)];
  if (ids.length === 0) return;
  if (ids.length > MAX_SERIES_NOTICE_SESSIONS) throw new Error(`notifySeriesEvent: at most ${MAX_SERIES_NOTICE_SESSIONS} sessions`);
  const changes = "changes" in notice && notice.changes ? { changes: notice.changes } : {};
  await ctx.scheduler.runAfter(0, internal.notifications.deliverSessionNotice, {
    kind: notice.kind,
    entityId: ids[0],
    event: notice.event,
    ...changes,
    cursor: null,
    ...(ids.length > 1 ? { seriesEntityIds: ids } : {}),
  });
}

/** `successSession` / `coaching`: the prefix of event names in idempotency keys and the outbox. */
function eventPrefix(kind: SessionKind): string {
  return kind === "success" ? "successSession" : "coaching";
}

/** The entity id written into outbox rows and idempotency keys: `<kind>-<id>`. */
export function noticeEntityId(kind: SessionKind, id: string): string {
  return `${kind}-${id}`;
}

function templateNotice(event: SessionNoticeEvent, kind: SessionKind, changes: TemplateNoticeChanges): TemplateNotice | null {
  if (event === "reminder24h") return { event: "reminder", lead: "24h" };
  if (event === "reminder1h") return { event: "reminder", lead: "1h" };
  if (kind === "success") {
    if (event === "created") return { event: "successSession.created" };
    if (event === "changed") return { event: "successSession.changed", changes };
    if (event === "cancelled") return { event: "successSession.cancelled" };
    return null;
  }
  if (event === "booked") return { event: "coaching.booked" };
  if (event === "cancelled") return { event: "coaching.cancelled" };
  if (event === "discordReady") return { event: "coaching.discordReady" };
  if (event === "rescheduled" && changes.previousStartsAt !== undefined) {
    return { event: "coaching.rescheduled", previousStartsAt: changes.previousStartsAt, previousEndsAt: changes.previousEndsAt ?? changes.previousStartsAt };
  }
  return null;
}
type TemplateNoticeChanges = Extract<TemplateNotice, { event: "successSession.changed" }>["changes"];

function templateSession(session: SessionSnapshot, recipientId: Id<"users">): TemplateSession {
  return {
    kind: session.kind,
    title: session.title,
    description: session.description,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    joinUrl: session.joinUrl,
    joinLabel: session.joinLabel,
    passcode: session.passcode,
    hostName: session.hostName,
    hostRole: session.hostRole,
    guestName: session.guestName,
    detail: session.detail,
    appUrl: appLink(appPathFor(session, recipientId)),
  };
}

/** The `.ics` attachment of an invitation (REQUEST) or cancellation (CANCEL) for `user`. */
function inviteAttachment(session: SessionSnapshot, user: Doc<"users">, method: "REQUEST" | "CANCEL", now: number): EmailAttachment {
  const content = buildInviteIcs({
    method,
    event: toCalendarEvent(session, user._id),
    organizer: { name: "Sessions Hub", email: senderAddress() },
    attendee: { name: user.name, email: user.email },
    now,
  });
  return {
    filename: method === "CANCEL" ? "cancel.ics" : "invite.ics",
    contentType: `text/calendar; method=${method}; charset=UTF-8`,
    content,
  };
}

/**
 * Renders and enqueues one notice email for `userId` (skipped for unknown or deactivated users).
 *
 * @param keyEvent event name written into the idempotency key and the outbox row.
 * @param invite the calendar method to attach, or null for none.
 */
async function enqueueNotice(
  ctx: MutationCtx,
  session: SessionSnapshot,
  userId: Id<"users">,
  notice: TemplateNotice,
  keyEvent: string,
  invite: "REQUEST" | "CANCEL" | null,
  now: number,
): Promise<void> {
  const user = await ctx.db.get("users", userId);
  if (user === null || !user.active) return;
  const rendered = renderSessionEmail(notice, templateSession(session, userId), {
    name: user.name,
    timeZone: user.timeZone ?? null,
    isHost: userId === session.hostId,
  });
  const entityId = noticeEntityId(session.kind, session.id);
  await enqueueEmail(ctx, {
    idempotencyKey: emailIdempotencyKey({ event: keyEvent, entityId, recipientId: userId, sequence: session.sequence }),
    event: keyEvent,
    entityId,
    recipientUserId: userId,
    to: user.email,
    ...rendered,
    ...(invite ? { attachments: [inviteAttachment(session, user, invite, now)] } : {}),
  }, now);
}

/**
 * One chunk of a session notice (the body of `internal.notifications.deliverSessionNotice`, also
 * run inline by reminder jobs): see the module comment. Schedules the next chunk while audience
 * pages remain.
 */
export async function deliverSessionNoticeChunk(ctx: MutationCtx, args: SessionNoticeChunk, now: number): Promise<void> {
  if (args.seriesEntityIds !== undefined && args.seriesEntityIds.length > 1) {
    await deliverSeriesNoticeChunk(ctx, args, args.seriesEntityIds, now);
    return;
  }
  const definition = SESSION_KINDS[args.kind];
  const session = await loadSession(ctx, args.kind, args.entityId);
  if (session === null) return;
  if (session.cancelled !== (args.event === "cancelled")) return;
  const prefix = eventPrefix(args.kind);

  const previousMentor =
    args.event === "changed" && args.changes?.previousMentorId && args.changes.previousMentorId !== session.hostId
      ? await ctx.db.get("users", args.changes.previousMentorId)
      : null;
  const notice = templateNotice(args.event, args.kind, {
    ...(args.changes?.previousStartsAt !== undefined ? { previousStartsAt: args.changes.previousStartsAt } : {}),
    ...(args.changes?.previousEndsAt !== undefined ? { previousEndsAt: args.changes.previousEndsAt } : {}),
    ...(previousMentor !== null ? { previousHostName: previousMentor.name } : {}),
    ...(args.changes?.linkChanged ? { linkChanged: true } : {}),
  });
  if (notice === null) return;

  if (args.cursor === null) {
    if (args.event === "created" || args.event === "changed" || args.event === "booked" || args.event === "rescheduled") {
      await scheduleReminders(ctx, { kind: args.kind, entityId: session.id, startsAt: session.startsAt }, now);
    } else if (args.event === "cancelled") {
      await cancelReminders(ctx, { kind: args.kind, entityId: session.id });
    }
    if (previousMentor !== null) {
      await enqueueNotice(ctx, session, previousMentor._id, { event: "successSession.hostRemoved" }, `${prefix}.hostRemoved`, "CANCEL", now);
    }
  }

  const invite =
    args.event === "created" || args.event === "changed" || args.event === "booked" || args.event === "rescheduled"
      ? "REQUEST"
      : args.event === "cancelled"
        ? "CANCEL"
        : null;
  const page = await definition.audience(ctx, session, args.cursor);
  for (const userId of page.userIds) {
    await enqueueNotice(ctx, session, userId, notice, `${prefix}.${args.event}`, invite, now);
  }
  if (page.continueCursor !== null) {
    await ctx.scheduler.runAfter(0, internal.notifications.deliverSessionNotice, { ...args, cursor: page.continueCursor });
  }
}

/**
 * One chunk of a series notice: every listed occurrence that still matches the event (cancelled
 * for "cancelled", not cancelled otherwise) gets its reminders planned or cancelled (first chunk),
 * and every recipient of the first occurrence's audience gets one summary email with an `.ics` of
 * all of them. Idempotency key: `<kind>.series<Event>/<kind>-<first id>/<user id>/<highest sequence>`.
 */
async function deliverSeriesNoticeChunk(ctx: MutationCtx, args: SessionNoticeChunk, ids: string[], now: number): Promise<void> {
  const definition = SESSION_KINDS[args.kind];
  const cancelledWanted = args.event === "cancelled";
  const loaded = await Promise.all(ids.map((id) => loadSession(ctx, args.kind, id)));
  const sessions = loaded
    .filter((session): session is SessionSnapshot => session !== null && session.cancelled === cancelledWanted)
    .sort((a, b) => a.startsAt - b.startsAt);
  if (sessions.length === 0) return;
  const event = args.event === "created" || args.event === "changed" || args.event === "cancelled" ? args.event : null;
  if (event === null) return;
  const prefix = eventPrefix(args.kind);
  const keyEntityId = noticeEntityId(args.kind, args.entityId);
  const sequence = Math.max(...sessions.map((session) => session.sequence));
  const previousMentor =
    event === "changed" && args.changes?.previousMentorId && args.changes.previousMentorId !== sessions[0].hostId
      ? await ctx.db.get("users", args.changes.previousMentorId)
      : null;

  const enqueueSummary = async (userId: Id<"users">, summary: Parameters<typeof renderSeriesEmail>[0], keyEvent: string) => {
    const user = await ctx.db.get("users", userId);
    if (user === null || !user.active) return;
    const rendered = renderSeriesEmail(summary, sessions.map((session) => templateSession(session, userId)), {
      name: user.name,
      timeZone: user.timeZone ?? null,
      isHost: userId === sessions[0].hostId,
    });
    const content = buildFeedIcs({
      name: sessions[0].title,
      events: sessions.map((session) => toCalendarEvent(session, userId)),
      now,
    });
    await enqueueEmail(ctx, {
      idempotencyKey: emailIdempotencyKey({ event: keyEvent, entityId: keyEntityId, recipientId: userId, sequence }),
      event: keyEvent,
      entityId: keyEntityId,
      recipientUserId: userId,
      to: user.email,
      ...rendered,
      attachments: [{ filename: "sessions.ics", contentType: "text/calendar; method=PUBLISH; charset=UTF-8", content }],
    }, now);
  };

  if (args.cursor === null) {
    for (const session of sessions) {
      if (event === "cancelled") await cancelReminders(ctx, { kind: args.kind, entityId: session.id });
      else await scheduleReminders(ctx, { kind: args.kind, entityId: session.id, startsAt: session.startsAt }, now);
    }
    if (previousMentor !== null) {
      await enqueueSummary(previousMentor._id, { event: "hostRemoved" }, `${prefix}.seriesHostRemoved`);
    }
  }
  const summary: Parameters<typeof renderSeriesEmail>[0] =
    event === "changed" ? { event, ...(previousMentor !== null ? { previousHostName: previousMentor.name } : {}) } : { event };
  const keyEvent = `${prefix}.series${event.charAt(0).toUpperCase()}${event.slice(1)}`;
  const page = await definition.audience(ctx, sessions[0], args.cursor);
  for (const userId of page.userIds) await enqueueSummary(userId, summary, keyEvent);
  if (page.continueCursor !== null) {
    await ctx.scheduler.runAfter(0, internal.notifications.deliverSessionNotice, { ...args, cursor: page.continueCursor });
  }
}
