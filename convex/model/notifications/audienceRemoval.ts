import { internal } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import { isInSuccessSessionAudience } from "../access";
import { toCalendarEvent } from "./calendarSources";
import { appLink, senderAddress } from "./config";
import { buildInviteIcs } from "./ics";
import { emailIdempotencyKey, enqueueEmail } from "./outbox";
import { AUDIENCE_PAGE_SIZE, successSessionSnapshot, type SessionSnapshot } from "./sessionKinds";
import { noticeEntityId } from "./sessionNotices";
import { formatSessionTime, renderBlocksEmail, validTimeZone, type RenderedEmail } from "./templates";

/**
 * Schedule changes that take a success session away from students (SPEC §7, seed 001): the
 * session moved to another course or batch, or the student's enrollment changed (paused,
 * cancelled, moved to another batch). Each student who was in the audience of an upcoming session
 * and no longer is gets one email per session with a METHOD:CANCEL invite (same UID; SEQUENCE
 * higher than their last invite) so it leaves their mail calendar. Students who gain a moved
 * session get its invite through the session's usual `changed` notice (sent to the new audience).
 *
 * Durable and idempotent like every notice: the work runs in scheduled internal mutations after the
 * change commits, and each email has the key
 * `successSession.audienceRemoved/success-<session id>/<student id>/<SEQUENCE of the cancel>`.
 */

/** Outbox event name of the removal email. */
export const AUDIENCE_REMOVED_EVENT = "successSession.audienceRemoved";

/** Most upcoming sessions of one audience looked at when a student's enrollment changes. */
const UPCOMING_SESSIONS_PER_AUDIENCE = 100;

/** A (course, batch) audience; batch null = the course's unbatched students. */
type Audience = { courseId: Id<"courses">; batchId: Id<"batches"> | null };

/** Renders the email telling a student a session is no longer on their schedule. */
function renderAudienceRemovalEmail(
  session: Pick<SessionSnapshot, "title" | "startsAt" | "endsAt" | "detail" | "hostName">,
  student: { name: string; timeZone?: string | null },
  appUrl: string | null,
): RenderedEmail {
  const zone = validTimeZone(student.timeZone);
  return renderBlocksEmail({
    subject: `No longer on your schedule: ${session.title}`,
    heading: "A session is no longer on your schedule",
    greeting: `Hello ${student.name || "there"},`,
    blocks: [
      {
        kind: "paragraph",
        text: `${session.title} is no longer part of your schedule, because the session or your enrollment changed. The attached update removes it from your calendar.`,
      },
      {
        kind: "fields",
        rows: [
          ["Session", session.title],
          ["When", formatSessionTime(session.startsAt, session.endsAt, zone)],
          ["Mentor", session.hostName],
          ...(session.detail ? [["Was for", session.detail] as [string, string]] : []),
        ],
      },
      ...(appUrl !== null ? [{ kind: "link" as const, label: "See your sessions", url: appUrl }] : []),
      ...(zone === null ? [{ kind: "note" as const, text: "Times are in UTC because your profile has no time zone." }] : []),
    ],
    footer: "Sessions Hub. You receive this email because a session you were invited to changed.",
  });
}

/**
 * Enqueues the removal email (with METHOD:CANCEL at SEQUENCE `cancelSequence`) of `session` for
 * `studentId`, unless the student is (again) in the session's audience, is deactivated, or the
 * session is cancelled, completed or already started at `now`.
 */
async function enqueueAudienceRemoval(
  ctx: MutationCtx,
  session: Doc<"successSessions">,
  studentId: Id<"users">,
  cancelSequence: number,
  now: number,
): Promise<void> {
  if (session.status !== "upcoming" || session.startsAt <= now) return;
  if (studentId === session.mentorId) return;
  if (await isInSuccessSessionAudience(ctx, studentId, session)) return;
  const student = await ctx.db.get("users", studentId);
  if (student === null || !student.active) return;
  const snapshot = await successSessionSnapshot(ctx, session);
  const event = { ...toCalendarEvent(snapshot, studentId), sequence: cancelSequence };
  const content = buildInviteIcs({
    method: "CANCEL",
    event,
    organizer: { name: "Sessions Hub", email: senderAddress() },
    attendee: { name: student.name, email: student.email },
    now,
  });
  const entityId = noticeEntityId("success", session._id);
  await enqueueEmail(ctx, {
    idempotencyKey: emailIdempotencyKey({ event: AUDIENCE_REMOVED_EVENT, entityId, recipientId: studentId, sequence: cancelSequence }),
    event: AUDIENCE_REMOVED_EVENT,
    entityId,
    recipientUserId: studentId,
    to: student.email,
    ...renderAudienceRemovalEmail(snapshot, { name: student.name, timeZone: student.timeZone ?? null }, appLink("/sessions")),
    attachments: [{ filename: "cancel.ics", contentType: "text/calendar; method=CANCEL; charset=UTF-8", content }],
  }, now);
}

/**
 * Reports that success sessions moved away from `previous` (their course or batch changed). Call it
 * in the mutation that moved them, after the move (each session's SEQUENCE already raised).
 * @param sessionIds 1–52 sessions that had the audience `previous`.
 */
export async function notifySessionsLeftAudience(ctx: MutationCtx, sessionIds: Id<"successSessions">[], previous: Audience): Promise<void> {
  if (sessionIds.length === 0) return;
  await ctx.scheduler.runAfter(0, internal.notifications.deliverSessionsLeftAudience, {
    sessionIds,
    courseId: previous.courseId,
    batchId: previous.batchId,
    cursor: null,
  });
}

/**
 * One page of the previous audience of moved sessions (body of
 * `internal.notifications.deliverSessionsLeftAudience`): each student of `previous` (active
 * enrollment) who is not in a session's audience now gets its removal email. Schedules the next
 * page while there is one.
 * @param now epoch ms (sessions that started by then are left alone).
 */
export async function deliverSessionsLeftAudience(
  ctx: MutationCtx,
  args: { sessionIds: Id<"successSessions">[]; courseId: Id<"courses">; batchId: Id<"batches"> | null; cursor: string | null },
  now: number,
): Promise<void> {
  const sessions = (await Promise.all(args.sessionIds.map((id) => ctx.db.get("successSessions", id)))).filter(
    (session): session is Doc<"successSessions"> => session !== null,
  );
  const page = await ctx.db
    .query("enrollments")
    .withIndex("by_courseId_and_batchId_and_status", (q) => q.eq("courseId", args.courseId).eq("batchId", args.batchId).eq("status", "active"))
    .paginate({ numItems: AUDIENCE_PAGE_SIZE, cursor: args.cursor });
  for (const enrollment of page.page) {
    for (const session of sessions) await enqueueAudienceRemoval(ctx, session, enrollment.studentId, session.sequence, now);
  }
  if (!page.isDone) {
    await ctx.scheduler.runAfter(0, internal.notifications.deliverSessionsLeftAudience, { ...args, cursor: page.continueCursor });
  }
}

/**
 * Reports that a student's enrollment no longer puts them in `previous` (paused, cancelled, moved
 * to another batch). Call it in the mutation that changed the enrollment, after the change.
 */
export async function notifyStudentLeftAudience(ctx: MutationCtx, studentId: Id<"users">, previous: Audience): Promise<void> {
  await ctx.scheduler.runAfter(0, internal.notifications.deliverStudentLeftAudience, {
    studentId,
    courseId: previous.courseId,
    batchId: previous.batchId,
  });
}

/**
 * Body of `internal.notifications.deliverStudentLeftAudience`: the student gets the removal email
 * of each of the next {@link UPCOMING_SESSIONS_PER_AUDIENCE} upcoming sessions of `previous` they
 * are no longer in the audience of. The CANCEL's SEQUENCE is the session's plus one (their last
 * invite carried the session's own).
 * @param now epoch ms.
 */
export async function deliverStudentLeftAudience(
  ctx: MutationCtx,
  args: { studentId: Id<"users">; courseId: Id<"courses">; batchId: Id<"batches"> | null },
  now: number,
): Promise<void> {
  const sessions = await ctx.db
    .query("successSessions")
    .withIndex("by_courseId_and_batchId_and_startsAt", (q) => q.eq("courseId", args.courseId).eq("batchId", args.batchId).gt("startsAt", now))
    .take(UPCOMING_SESSIONS_PER_AUDIENCE);
  for (const session of sessions) await enqueueAudienceRemoval(ctx, session, args.studentId, session.sequence + 1, now);
}
