import { paginationResultValidator } from "convex/server";
import { v } from "convex/values";
import { literals } from "convex-helpers/validators";
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

const timeframeValidator = literals("upcoming", "past");
/** What the list queries answer: a page of session views, as `usePaginatedQuery` expects. */
const sessionPageValidator = paginationResultValidator(successSessionViewValidator);
const scopeValidator = literals("this", "following");

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

/** One session as the caller may see it; see `model/successSessions/queries.ts#getSessionForViewer`. */
export const get = userQuery({
  args: { sessionId: v.id("successSessions") },
  returns: v.union(successSessionViewValidator, v.null()),
  handler: (ctx, { sessionId }) => getSessionForViewer(ctx, ctx.viewer, sessionId),
});

/** The arguments of the student's and the mentor's session lists (`SessionListRequest` of `model/successSessions/queries.ts`). */
const sessionListArgs = { timeframe: timeframeValidator, paginationOpts: paginationArg, now: instantArg("Now") };

/** The caller's "Live sessions" as a student, a page at a time; see `model/successSessions/queries.ts#listSessionsForStudent`. */
export const listForStudent = userQuery({
  args: sessionListArgs,
  returns: sessionPageValidator,
  handler: (ctx, request) => listSessionsForStudent(ctx, ctx.viewer, request),
});

/** The caller's own sessions as mentor, a page at a time; see `model/successSessions/queries.ts#listSessionsForMentor`. */
export const listForMentor = permissionQuery("successSessions.host")({
  args: sessionListArgs,
  returns: sessionPageValidator,
  handler: (ctx, request) => listSessionsForMentor(ctx, ctx.viewer, request),
});

/** Every session for staff, filtered, a page at a time; see `model/successSessions/queries.ts#listSessionsForStaff`. */
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

/** Schedules a session or a recurring series; see `model/successSessions/schedule.ts#createSessions`. */
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

/** Edits a session or it and the following occurrences; see `model/successSessions/schedule.ts#updateSessions`. */
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

/** Cancels a session or it and the following occurrences; see `model/successSessions/schedule.ts#cancelSessions`. */
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

/** Moves a session to `live` at its start (scheduled); see `model/successSessions/schedule.ts#markSessionLive`. */
export const markLive = internalMutation({
  args: { sessionId: v.id("successSessions"), startsAt: v.number() },
  returns: v.boolean(),
  handler: (ctx, { sessionId, startsAt }) => markSessionLive(ctx, sessionId, startsAt, Date.now()),
});

/** Moves a session to `completed` at its end (scheduled); see `model/successSessions/schedule.ts#markSessionCompleted`. */
export const markCompleted = internalMutation({
  args: { sessionId: v.id("successSessions"), endsAt: v.number() },
  returns: v.boolean(),
  handler: (ctx, { sessionId, endsAt }) => markSessionCompleted(ctx, sessionId, endsAt, Date.now()),
});
