import { paginationResultValidator } from "convex/server";
import { v } from "convex/values";
import { MAX_OCCURRENCES } from "./model/successSessions/recurrence";
import { internalMutation } from "./_generated/server";
import { canSetSuccessSessionRecording } from "./model/access";
import { throwError } from "./model/errors";
import { paginationArg, textArg, optionalArg, instantArg, urlArg, wholeNumberArg } from "./model/validation";
import { permissionMutation, permissionQuery, userMutation, userQuery } from "./model/functions";
import {
  getSessionForViewer,
  listSessionsForMentor,
  listSessionsForStaff,
  listSessionsForStudent,
} from "./model/successSessions/queries";
import {
  cancelSessions,
  createSessions,
  markSessionCompleted,
  markSessionLive,
  requireVisibleSession,
  setRecordingUrl,
  updateSessions,
} from "./model/successSessions/schedule";
import { successSessionViewValidator } from "./model/successSessions/views";
import { recurrenceFrequencyValidator, successSessionStatusValidator } from "./tables/successSessions";

/**
 * Success sessions: live group sessions for a course's batch or its unbatched students (SPEC §3).
 * Who sees what is decided by `canViewSuccessSession` in `model/access.ts`; a session the caller may
 * not see is answered exactly like a missing one (null / NOT_FOUND). Times are epoch milliseconds
 * (UTC); `timeZone` is an IANA zone. Attendance functions are in `attendance.ts`.
 */

const timeframeValidator = v.union(v.literal("upcoming"), v.literal("past"));
/** What the list queries answer: a page of session views, as `usePaginatedQuery` expects. */
const sessionPageValidator = paginationResultValidator(successSessionViewValidator);
const scopeValidator = v.union(v.literal("this"), v.literal("following"));

const sessionFieldValidators = {
  title: textArg("Title", 200),
  description: optionalArg(textArg("Description", 5000)),
  courseId: v.id("courses"),
  /** A batch of `courseId`, or null for the course's unbatched students. */
  batchId: v.union(v.id("batches"), v.null()),
  mentorId: v.id("users"),
  startsAt: instantArg("Start"),
  endsAt: optionalArg(instantArg("End")),
  timeZone: textArg("Time zone", 100),
  meetingUrl: urlArg("Meeting link"),
  zoomMeetingId: optionalArg(textArg("Zoom meeting id", 50)),
  zoomPasscode: optionalArg(textArg("Zoom passcode", 50)),
  recordingUrl: optionalArg(urlArg("Recording link")),
};

/**
 * One session by id as the caller may see it (with course title, batch name, mentor name and, for
 * students, their own attendance), or null when it does not exist **or** the caller may not see it.
 * Any signed-in user.
 */
export const get = userQuery({
  args: { sessionId: v.id("successSessions") },
  returns: v.union(successSessionViewValidator, v.null()),
  handler: (ctx, { sessionId }) => getSessionForViewer(ctx, ctx.viewer, sessionId),
});

/**
 * The caller's "Live sessions" as a student, a page at a time: built from their active enrollments
 * only (one index range per course/batch they belong to, merged by start time).
 * `timeframe: "upcoming"` = not yet ended, soonest first (cancelled ones included, marked);
 * `"past"` = ended since the relevant `enrolledAt`, latest first. Any signed-in user (someone without
 * active enrollments gets an empty page).
 *
 * Made for `usePaginatedQuery` from `convex-helpers/react`, which pins each loaded page's end
 * (`paginationOpts.endCursor`) so live updates never leave gaps or repeats between pages.
 * @param paginationOpts Convex pagination options: `numItems` at most 100; `endCursor` ends the page
 *   exactly there; at most 500 rows are read per call (`maximumRowsRead` may lower it), so a page may
 *   come back short with `isDone: false` and the next one continues at `continueCursor`.
 */
export const listForStudent = userQuery({
  args: { timeframe: timeframeValidator, paginationOpts: paginationArg, now: instantArg("Now") },
  returns: sessionPageValidator,
  handler: (ctx, { timeframe, paginationOpts, now }) =>
    listSessionsForStudent(ctx, ctx.viewer, timeframe, paginationOpts, now),
});

/**
 * The caller's own sessions as mentor (`mentorId` = caller), a page at a time; `timeframe` and
 * `paginationOpts` as in `listForStudent`. Mentors (`successSessions.host`).
 * @throws ConvexError FORBIDDEN for callers without the mentor role.
 */
export const listForMentor = permissionQuery("successSessions.host")({
  args: { timeframe: timeframeValidator, paginationOpts: paginationArg, now: instantArg("Now") },
  returns: sessionPageValidator,
  handler: (ctx, { timeframe, paginationOpts, now }) =>
    listSessionsForMentor(ctx, ctx.viewer, timeframe, paginationOpts, now),
});

/**
 * Every session for staff (`sessions.readAll`), by start time, a page at a time, filtered by course,
 * batch (`batchId` null = unbatched students; needs `courseId`), mentor, start range
 * (`from` inclusive, `to` exclusive, epoch ms) and status. Filters are applied before the page is
 * cut, so pages are full while matches exist, except when a call reaches its 500-row read limit:
 * then the page is short with `isDone: false` and the client loads on. `paginationOpts` as in
 * `listForStudent`.
 * @throws ConvexError FORBIDDEN, INVALID_ARGUMENT (batch without course).
 */
export const listForStaff = permissionQuery("sessions.readAll")({
  args: {
    courseId: v.optional(v.id("courses")),
    batchId: v.optional(v.union(v.id("batches"), v.null())),
    mentorId: v.optional(v.id("users")),
    from: optionalArg(instantArg("From")),
    to: optionalArg(instantArg("To")),
    status: v.optional(successSessionStatusValidator),
    paginationOpts: paginationArg,
  },
  returns: sessionPageValidator,
  handler: (ctx, { paginationOpts, ...filters }) => listSessionsForStaff(ctx, ctx.viewer, filters, paginationOpts),
});

/**
 * Schedules a session, or a recurring series (`recurrence: { frequency, occurrences }`, 2–52
 * occurrences, wall-clock time kept in `timeZone` across daylight-saving changes). `endsAt` defaults
 * to `startsAt` + 60 minutes; sessions last at most 12 hours and may not end in the past. Empty
 * optional strings mean "none". Admins (`successSessions.manage`).
 * @returns the session ids in start order and the series id (null for one session).
 * @throws ConvexError FORBIDDEN; NOT_FOUND (course/batch id of nothing); INVALID_ARGUMENT (batch of
 *   another course, end not after start, non-http(s) link, unknown mentor, bad zone, more than 52
 *   occurrences); CONFLICT when the mentor is already booked, with `details.clashes` listing
 *   `{ occurrence, occurrenceStartsAt, occurrenceEndsAt, sessionId, title, startsAt, endsAt, timeZone }`.
 */
export const create = permissionMutation("successSessions.manage")({
  args: {
    ...sessionFieldValidators,
    recurrence: v.optional(v.object({ frequency: recurrenceFrequencyValidator, occurrences: wholeNumberArg("Occurrences", 1, MAX_OCCURRENCES) })),
  },
  returns: v.object({
    sessionIds: v.array(v.id("successSessions")),
    seriesId: v.union(v.id("successSessionSeries"), v.null()),
  }),
  handler: (ctx, { recurrence, ...input }) => createSessions(ctx, ctx.viewer._id, input, recurrence, Date.now()),
});

/**
 * Edits a session (`scope: "this"`) or it and the later occurrences of its series
 * (`scope: "following"`: time changes move each by the same calendar days to the new local time;
 * from a later occurrence this splits the series in two, from the first it updates the series).
 * Every field optional; empty strings clear the optional ones. Each changed session's calendar
 * sequence grows and its status jobs are rescheduled. Admins (`successSessions.manage`).
 * @returns the ids of the changed sessions.
 * @throws ConvexError FORBIDDEN, NOT_FOUND, FAILED_PRECONDITION (cancelled; moving a session that
 *   already took place), INVALID_ARGUMENT, CONFLICT (as for `create`).
 */
export const update = permissionMutation("successSessions.manage")({
  args: {
    sessionId: v.id("successSessions"),
    scope: scopeValidator,
    title: optionalArg(textArg("Title", 200)),
    description: optionalArg(textArg("Description", 5000)),
    courseId: v.optional(v.id("courses")),
    batchId: v.optional(v.union(v.id("batches"), v.null())),
    mentorId: v.optional(v.id("users")),
    startsAt: optionalArg(instantArg("Start")),
    endsAt: optionalArg(instantArg("End")),
    timeZone: optionalArg(textArg("Time zone", 100)),
    meetingUrl: optionalArg(urlArg("Meeting link")),
    zoomMeetingId: optionalArg(textArg("Zoom meeting id", 50)),
    zoomPasscode: optionalArg(textArg("Zoom passcode", 50)),
    recordingUrl: optionalArg(urlArg("Recording link")),
  },
  returns: v.array(v.id("successSessions")),
  handler: (ctx, { sessionId, scope, ...changes }) => updateSessions(ctx, ctx.viewer, sessionId, scope, changes, Date.now()),
});

/**
 * Cancels a session, or it and the following occurrences of its series (those already taken place
 * stay). Students then see it as cancelled; the calendar sequence grows. Admins
 * (`successSessions.manage`).
 * @returns the ids cancelled now (empty when it already was).
 * @throws ConvexError FORBIDDEN, NOT_FOUND, FAILED_PRECONDITION (already took place).
 */
export const cancel = permissionMutation("successSessions.manage")({
  args: { sessionId: v.id("successSessions"), scope: scopeValidator },
  returns: v.array(v.id("successSessions")),
  handler: (ctx, { sessionId, scope }) => cancelSessions(ctx, ctx.viewer, sessionId, scope, Date.now()),
});

/**
 * Sets (`recordingUrl`: http(s) link) or clears (null) a session's recording. The session's mentor
 * and admins.
 * @throws ConvexError NOT_FOUND (missing or not visible), FORBIDDEN (visible, not theirs),
 *   INVALID_ARGUMENT (not an http(s) link).
 */
export const setRecording = userMutation({
  args: { sessionId: v.id("successSessions"), recordingUrl: v.union(urlArg("Recording link"), v.null()) },
  returns: v.null(),
  handler: async (ctx, { sessionId, recordingUrl }) => {
    const session = await requireVisibleSession(ctx, ctx.viewer, sessionId);
    if (!canSetSuccessSessionRecording(ctx.viewer, session)) {
      throwError("FORBIDDEN", "Only the session's mentor and admins can change its recording.");
    }
    await setRecordingUrl(ctx, session, recordingUrl);
    return null;
  },
});

/**
 * Scheduled at a session's start (`startsAt`, epoch ms, as scheduled): moves it to `live` unless it
 * moved or was cancelled since (or the time has not come). Internal.
 */
export const markLive = internalMutation({
  args: { sessionId: v.id("successSessions"), startsAt: v.number() },
  returns: v.boolean(),
  handler: (ctx, { sessionId, startsAt }) => markSessionLive(ctx, sessionId, startsAt, Date.now()),
});

/**
 * Scheduled at a session's end (`endsAt`, epoch ms, as scheduled): moves it to `completed` unless it
 * moved or was cancelled since (or the time has not come). Internal.
 */
export const markCompleted = internalMutation({
  args: { sessionId: v.id("successSessions"), endsAt: v.number() },
  returns: v.boolean(),
  handler: (ctx, { sessionId, endsAt }) => markSessionCompleted(ctx, sessionId, endsAt, Date.now()),
});
