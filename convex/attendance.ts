import { v } from "convex/values";
import { userMutation, userQuery } from "./model/functions";
import { instantArg, optionalArg } from "./model/validation";
import {
  attendanceReport,
  joinSession,
  markAttendance,
  sessionRoster,
} from "./model/successSessions/attendance";
import { attendanceStatusValidator } from "./tables/successSessions";

/**
 * Attendance of success sessions (SPEC §3). Visibility follows `canViewSuccessSession`
 * (`model/access.ts`): a session the caller may not see answers NOT_FOUND, like a missing one.
 * Times are epoch milliseconds.
 */

const nullableNumber = v.union(v.number(), v.null());

/**
 * The Join button: returns the meeting link and records the caller's attendance once when they are
 * in the session's audience (`present`; `late` more than 10 minutes after the start). Open from 15
 * minutes before the start until the end. Any signed-in user who may see the session.
 * @returns `{ meetingUrl, recorded }`; `recorded` is true only on the call that created the record.
 * @throws ConvexError NOT_FOUND, FAILED_PRECONDITION (cancelled, ended, too early).
 */
export const join = userMutation({
  args: { sessionId: v.id("successSessions") },
  returns: v.object({ meetingUrl: v.string(), recorded: v.boolean() }),
  handler: (ctx, { sessionId }) => joinSession(ctx, ctx.viewer, sessionId, Date.now()),
});

/**
 * Sets or corrects one student's attendance (`present | late | excused | absent`). The session's
 * mentor and staff. `excused` any time; the others from 15 minutes before the start.
 * @throws ConvexError NOT_FOUND, FORBIDDEN (may see the session but is not its mentor or staff),
 *   FAILED_PRECONDITION (cancelled, too early), INVALID_ARGUMENT (student not in the audience).
 */
export const mark = userMutation({
  args: { sessionId: v.id("successSessions"), studentId: v.id("users"), status: attendanceStatusValidator },
  returns: v.null(),
  handler: async (ctx, { sessionId, studentId, status }) => {
    await markAttendance(ctx, ctx.viewer, sessionId, studentId, status, Date.now());
    return null;
  },
});

/**
 * A session's attendee list: its audience (active enrollments of its course and batch) plus anyone
 * with a record, by name, with `counts` per status (`unmarked` = no record). The session's mentor and
 * staff.
 * @throws ConvexError NOT_FOUND, FORBIDDEN.
 */
export const roster = userQuery({
  args: { sessionId: v.id("successSessions") },
  returns: v.object({
    rows: v.array(
      v.object({
        studentId: v.id("users"),
        name: v.string(),
        email: v.string(),
        inAudience: v.boolean(),
        status: v.union(attendanceStatusValidator, v.null()),
        joinedAt: nullableNumber,
        markedAt: nullableNumber,
      }),
    ),
    counts: v.object({ present: v.number(), late: v.number(), excused: v.number(), absent: v.number(), unmarked: v.number() }),
  }),
  handler: (ctx, { sessionId }) => sessionRoster(ctx, ctx.viewer, sessionId),
});

/**
 * Attendance report for staff (all sessions) and mentors (their own): per-session turnout and
 * per-student attendance percentage over sessions where attendance was taken, for sessions that
 * started in `[from, to)` (epoch ms; `to` at most now), optionally for one course and batch
 * (`batchId` null = unbatched students; needs `courseId`). Cancelled sessions are left out. A
 * student is expected at a session when they have a record, or were actively enrolled in its course
 * and batch by its start. Covers the latest 100 sessions (`truncated` tells when there may be more;
 * `truncatedBefore` is then the epoch ms start of the oldest session looked at).
 * @throws ConvexError FORBIDDEN (neither staff nor mentor), INVALID_ARGUMENT.
 */
export const report = userQuery({
  args: {
    courseId: v.optional(v.id("courses")),
    batchId: v.optional(v.union(v.id("batches"), v.null())),
    from: optionalArg(instantArg("From")),
    to: optionalArg(instantArg("To")),
    now: instantArg("Now"),
  },
  returns: v.object({
    sessions: v.array(
      v.object({
        sessionId: v.id("successSessions"),
        title: v.string(),
        startsAt: v.number(),
        timeZone: v.string(),
        courseId: v.id("courses"),
        courseTitle: v.string(),
        batchId: v.union(v.id("batches"), v.null()),
        batchName: v.union(v.string(), v.null()),
        mentorName: v.string(),
        present: v.number(),
        late: v.number(),
        excused: v.number(),
        absent: v.number(),
        expected: v.number(),
        turnoutPercent: nullableNumber,
      }),
    ),
    students: v.array(
      v.object({
        studentId: v.id("users"),
        name: v.string(),
        email: v.string(),
        sessionsCounted: v.number(),
        attended: v.number(),
        late: v.number(),
        excused: v.number(),
        missed: v.number(),
        attendancePercent: nullableNumber,
      }),
    ),
    truncated: v.boolean(),
    truncatedBefore: nullableNumber,
  }),
  handler: (ctx, { now, ...filters }) => attendanceReport(ctx, ctx.viewer, filters, now),
});
