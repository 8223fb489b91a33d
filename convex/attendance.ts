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

/** The Join button: the meeting link, attendance recorded once; see `joinSession` in `model/successSessions/attendance.ts`. */
export const join = userMutation({
  args: { sessionId: v.id("successSessions") },
  returns: v.object({ meetingUrl: v.string(), recorded: v.boolean() }),
  handler: (ctx, { sessionId }) => joinSession(ctx, ctx.viewer, sessionId, Date.now()),
});

/** Sets or corrects one student's attendance; see `markAttendance` in `model/successSessions/attendance.ts`. */
export const mark = userMutation({
  args: { sessionId: v.id("successSessions"), studentId: v.id("users"), status: attendanceStatusValidator },
  returns: v.null(),
  handler: (ctx, { sessionId, studentId, status }) => markAttendance(ctx, ctx.viewer, sessionId, studentId, status, Date.now()),
});

/** A session's attendee list with counts per status; see `sessionRoster` in `model/successSessions/attendance.ts`. */
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

/** Attendance report of sessions and students; see `attendanceReport` in `model/successSessions/attendance.ts`. */
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
