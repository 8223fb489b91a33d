import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import { hasPermission } from "../access";
import { rosterOfSession, type RosterRow } from "../successSessions/attendance";
import { appLink } from "./config";
import { emailIdempotencyKey, enqueueEmail } from "./outbox";
import { noticeEntityId } from "./sessionNotices";
import { formatSessionTime, renderBlocksEmail, validTimeZone, type EmailBlock, type RenderedEmail } from "./templates";

/**
 * Attendance summaries for mentors (SPEC §7, seed 001): when a success session completes, its
 * mentor gets one email listing who attended, who was late, who was excused and who was absent
 * (students of the audience with no record count as absent), with a link to the attendance report.
 * Mentors turn it off on their profile (`users.attendanceSummaryEmails: false`).
 */

/** Outbox event name of the summary. */
export const ATTENDANCE_SUMMARY_EVENT = "successSession.attendanceSummary";

/** The summary's content: names per group, sorted by name. */
type AttendanceSummary = {
  title: string;
  startsAt: number;
  endsAt: number;
  attended: string[];
  late: string[];
  excused: string[];
  absent: string[];
  /** Link to the attendance report, or null when `SITE_URL` is not set. */
  reportUrl: string | null;
};

/** Groups roster rows of the session's audience (and anyone with a record) by what happened. */
function summarizeRoster(rows: RosterRow[]): Pick<AttendanceSummary, "attended" | "late" | "excused" | "absent"> {
  const groups = { attended: [] as string[], late: [] as string[], excused: [] as string[], absent: [] as string[] };
  for (const row of rows) {
    if (row.status === "present") groups.attended.push(row.name);
    else if (row.status === "late") groups.late.push(row.name);
    else if (row.status === "excused") groups.excused.push(row.name);
    else if (row.status === "absent" || row.inAudience) groups.absent.push(row.name);
  }
  return groups;
}

function nameList(names: string[]): string {
  return names.length === 0 ? "nobody" : names.join(", ");
}

/**
 * Renders the summary for the mentor.
 * @param mentor name and IANA time zone (absent or invalid → UTC, said in the email).
 */
function renderAttendanceSummaryEmail(summary: AttendanceSummary, mentor: { name: string; timeZone?: string | null }): RenderedEmail {
  const zone = validTimeZone(mentor.timeZone);
  const blocks: EmailBlock[] = [
    {
      kind: "paragraph",
      text: `${summary.title} has ended. ${summary.attended.length + summary.late.length} attended (${summary.late.length} late), ${summary.absent.length} absent${summary.excused.length > 0 ? `, ${summary.excused.length} excused` : ""}.`,
    },
    {
      kind: "fields",
      rows: [
        ["When", formatSessionTime(summary.startsAt, summary.endsAt, zone)],
        [`Attended on time (${summary.attended.length})`, nameList(summary.attended)],
        [`Late (${summary.late.length})`, nameList(summary.late)],
        ...(summary.excused.length > 0 ? [[`Excused (${summary.excused.length})`, nameList(summary.excused)] as [string, string]] : []),
        [`Absent (${summary.absent.length})`, nameList(summary.absent)],
      ],
    },
    ...(summary.reportUrl !== null ? [{ kind: "link" as const, label: "Open the attendance report", url: summary.reportUrl }] : []),
    { kind: "note", text: "Marks can still be corrected in the report. Turn these summaries off on your profile page." },
  ];
  if (zone === null) blocks.push({ kind: "note", text: "Times are in UTC because your profile has no time zone." });
  return renderBlocksEmail({
    subject: `Attendance: ${summary.title}`,
    heading: "Attendance summary",
    greeting: `Hello ${mentor.name || "there"},`,
    blocks,
    footer: "Sessions Hub. You receive this email because you hosted this session.",
  });
}

/**
 * Enqueues the attendance summary of a completed session to its mentor, once (idempotency key
 * `successSession.attendanceSummary/success-<id>/<mentor id>/<sequence>`). Does nothing when the
 * session is missing or not completed, or the mentor is deactivated or turned the summaries off.
 * Called by `markSessionCompleted` in the transaction that completes the session.
 */
export async function enqueueAttendanceSummary(ctx: MutationCtx, sessionId: Id<"successSessions">, now: number): Promise<void> {
  const session = await ctx.db.get("successSessions", sessionId);
  if (session === null || session.status !== "completed") return;
  const mentor = await ctx.db.get("users", session.mentorId);
  if (mentor === null || !mentor.active || mentor.attendanceSummaryEmails === false) return;
  const { rows } = await rosterOfSession(ctx, session);
  const summary: AttendanceSummary = {
    title: session.title,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    ...summarizeRoster(rows),
    reportUrl: appLink(reportPathFor(mentor)),
  };
  const entityId = noticeEntityId("success", session._id);
  await enqueueEmail(ctx, {
    idempotencyKey: emailIdempotencyKey({ event: ATTENDANCE_SUMMARY_EVENT, entityId, recipientId: mentor._id, sequence: session.sequence }),
    event: ATTENDANCE_SUMMARY_EVENT,
    entityId,
    recipientUserId: mentor._id,
    to: mentor.email,
    ...renderAttendanceSummaryEmail(summary, { name: mentor.name, timeZone: mentor.timeZone ?? null }),
  }, now);
}

/** The attendance report page the mentor can open: staff under Manage, mentors under Teach. */
function reportPathFor(mentor: Doc<"users">): string {
  return hasPermission(mentor, "sessions.readAll") ? "/manage/attendance" : "/teach/attendance";
}

/**
 * Whether `user` gets attendance summaries (default yes).
 */
export function attendanceSummariesEnabled(user: Pick<Doc<"users">, "attendanceSummaryEmails">): boolean {
  return user.attendanceSummaryEmails !== false;
}

/**
 * Turns the caller's attendance summary emails on or off (any signed-in user; only mentors receive
 * them). `userId` is the viewer's own id from `ctx.viewer`.
 */
export async function setAttendanceSummaries(ctx: MutationCtx, userId: Id<"users">, enabled: boolean): Promise<void> {
  await ctx.db.patch("users", userId, { attendanceSummaryEmails: enabled });
}
