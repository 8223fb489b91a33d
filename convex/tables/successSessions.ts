import { defineTable } from "convex/server";
import { v, type Infer } from "convex/values";
import { literals } from "convex-helpers/validators";

/** Lifecycle of a success session: scheduled functions move `upcoming → live → completed`; staff may cancel. */
export const successSessionStatusValidator = literals("upcoming", "live", "completed", "cancelled");
export type SuccessSessionStatus = Infer<typeof successSessionStatusValidator>;

/**
 * How a series repeats, always in the session's time zone with the local start time kept:
 * `weekly`, `every_two_weeks`, `monthly_weekday` (the same weekday of the month, e.g. the 2nd
 * Tuesday; a 5th weekday means the last one) and `monthly_last_day`.
 */
export const recurrenceFrequencyValidator = literals("weekly", "every_two_weeks", "monthly_weekday", "monthly_last_day");
export type RecurrenceFrequency = Infer<typeof recurrenceFrequencyValidator>;

/** Attendance of one student at one session (SPEC §3). `present` and `late` count as attended. */
export const attendanceStatusValidator = literals("present", "late", "excused", "absent");
export type AttendanceStatus = Infer<typeof attendanceStatusValidator>;

/**
 * The fields of a success session document, shared by the table and by the view validator
 * (`convex/model/successSessions/views.ts`), so the two never drift apart.
 */
export const successSessionFields = {
  title: v.string(),
  description: v.string(),
  courseId: v.id("courses"),
  /** The audience: a batch of `courseId`, or null for the course's unbatched students. */
  batchId: v.union(v.id("batches"), v.null()),
  mentorId: v.id("users"),
  /** Epoch milliseconds (UTC). */
  startsAt: v.number(),
  /** Epoch milliseconds (UTC), after `startsAt`. */
  endsAt: v.number(),
  /** IANA zone the session is planned in and shown to attendees on hover ("Europe/Berlin"). */
  timeZone: v.string(),
  status: successSessionStatusValidator,
  /** http(s) link attendees open to join. */
  meetingUrl: v.string(),
  zoomMeetingId: v.optional(v.string()),
  zoomPasscode: v.optional(v.string()),
  recordingUrl: v.optional(v.string()),
  /** Set for occurrences of a recurring series. */
  seriesId: v.optional(v.id("successSessionSeries")),
  /** 1-based position in its series, in start order (renumbered when a "this and following" edit splits the series). */
  occurrenceNumber: v.optional(v.number()),
  /** Calendar SEQUENCE: 0 at creation, +1 on every change. */
  sequence: v.number(),
  createdBy: v.id("users"),
  /** Scheduled `internal.successSessions.markLive` job for the current start time. */
  liveJobId: v.optional(v.id("_scheduled_functions")),
  /** Scheduled `internal.successSessions.markCompleted` job for the current end time. */
  completeJobId: v.optional(v.id("_scheduled_functions")),
};

/** Success sessions (live group sessions), their series and their attendance (SPEC §3). */
export const successSessionTables = {
  successSessions: defineTable(successSessionFields)
    .index("by_courseId_and_batchId_and_startsAt", ["courseId", "batchId", "startsAt"])
    .index("by_courseId_and_startsAt", ["courseId", "startsAt"])
    .index("by_courseId_and_mentorId_and_startsAt", ["courseId", "mentorId", "startsAt"])
    .index("by_mentorId_and_startsAt", ["mentorId", "startsAt"])
    .index("by_status_and_startsAt", ["status", "startsAt"])
    .index("by_startsAt", ["startsAt"])
    .index("by_seriesId_and_startsAt", ["seriesId", "startsAt"]),

  /** A recurring series; each occurrence is its own `successSessions` document. */
  successSessionSeries: defineTable({
    frequency: recurrenceFrequencyValidator,
    /** Occurrences in this series, cancelled ones included (2–52 when created; a "this and following" split can leave fewer). */
    occurrenceCount: v.number(),
    timeZone: v.string(),
    createdBy: v.id("users"),
  }),

  /** One row per (session, student) once the student joined or was marked. */
  successSessionAttendance: defineTable({
    sessionId: v.id("successSessions"),
    studentId: v.id("users"),
    status: attendanceStatusValidator,
    /** Epoch milliseconds of the first Join click, if the student joined through the app. */
    joinedAt: v.optional(v.number()),
    /** The mentor or staff member who last set the status by hand. */
    markedBy: v.optional(v.id("users")),
    /** Epoch milliseconds of the last hand-set status. */
    markedAt: v.optional(v.number()),
  })
    .index("by_sessionId_and_studentId", ["sessionId", "studentId"]),
};
