import { v, type Infer } from "convex/values";
import type { Doc, Id } from "../../_generated/dataModel";
import type { QueryCtx } from "../../_generated/server";
import { omit } from "convex-helpers";
import {
  attendanceStatusValidator,
  recurrenceFrequencyValidator,
  successSessionFields,
} from "../../tables/successSessions";

/**
 * The shape in which success sessions leave the backend: the session's own fields (including meeting
 * link, passcode and recording, which only reach callers who passed `canViewSuccessSession`) plus the
 * names a screen shows (course title, batch name, mentor name).
 */

export const successSessionViewValidator = v.object({
  _id: v.id("successSessions"),
  // The document's own fields, except who created it and the ids of its scheduled status jobs.
  ...omit(successSessionFields, ["createdBy", "liveJobId", "completeJobId"]),
  courseTitle: v.string(),
  /** null when the session is for the course's unbatched students. */
  batchName: v.union(v.string(), v.null()),
  mentorName: v.string(),
  seriesFrequency: v.optional(recurrenceFrequencyValidator),
  /** Occurrences of the series (cancelled ones included); each part of a split series counts its own. */
  seriesOccurrenceCount: v.optional(v.number()),
  /** The caller's own attendance (students in the audience); null when none is recorded or not a student view. */
  myAttendance: v.union(attendanceStatusValidator, v.null()),
});

export type SuccessSessionView = Infer<typeof successSessionViewValidator>;

/**
 * Builds views of `sessions`, reading each course, batch, mentor and series once per call.
 *
 * @param attendanceOf when given, the student whose own attendance fills `myAttendance`
 *   (one indexed read per session).
 */
export async function describeSessions(
  ctx: QueryCtx,
  sessions: readonly Doc<"successSessions">[],
  attendanceOf?: Id<"users">,
): Promise<SuccessSessionView[]> {
  const courses = new Map<Id<"courses">, Promise<Doc<"courses"> | null>>();
  const batches = new Map<Id<"batches">, Promise<Doc<"batches"> | null>>();
  const mentors = new Map<Id<"users">, Promise<Doc<"users"> | null>>();
  const series = new Map<Id<"successSessionSeries">, Promise<Doc<"successSessionSeries"> | null>>();
  const cached = <K, T>(map: Map<K, Promise<T>>, key: K, load: () => Promise<T>) => {
    let value = map.get(key);
    if (value === undefined) {
      value = load();
      map.set(key, value);
    }
    return value;
  };
  return await Promise.all(
    sessions.map(async (session) => {
      const [course, batch, mentor, seriesDoc, attendance] = await Promise.all([
        cached(courses, session.courseId, () => ctx.db.get("courses", session.courseId)),
        session.batchId === null ? null : cached(batches, session.batchId, () => ctx.db.get("batches", session.batchId!)),
        cached(mentors, session.mentorId, () => ctx.db.get("users", session.mentorId)),
        session.seriesId === undefined
          ? null
          : cached(series, session.seriesId, () => ctx.db.get("successSessionSeries", session.seriesId!)),
        attendanceOf === undefined
          ? null
          : ctx.db
              .query("successSessionAttendance")
              .withIndex("by_sessionId_and_studentId", (q) => q.eq("sessionId", session._id).eq("studentId", attendanceOf))
              .unique(),
      ]);
      const view: SuccessSessionView = {
        _id: session._id,
        title: session.title,
        description: session.description,
        courseId: session.courseId,
        courseTitle: course?.title ?? "(deleted course)",
        batchId: session.batchId,
        batchName: session.batchId === null ? null : (batch?.name ?? "(deleted batch)"),
        mentorId: session.mentorId,
        mentorName: mentor?.name ?? "(unknown mentor)",
        startsAt: session.startsAt,
        endsAt: session.endsAt,
        timeZone: session.timeZone,
        status: session.status,
        meetingUrl: session.meetingUrl,
        sequence: session.sequence,
        myAttendance: attendance?.status ?? null,
        ...(session.zoomMeetingId ? { zoomMeetingId: session.zoomMeetingId } : {}),
        ...(session.zoomPasscode ? { zoomPasscode: session.zoomPasscode } : {}),
        ...(session.recordingUrl ? { recordingUrl: session.recordingUrl } : {}),
        ...(session.seriesId ? { seriesId: session.seriesId } : {}),
        ...(session.occurrenceNumber !== undefined ? { occurrenceNumber: session.occurrenceNumber } : {}),
        ...(seriesDoc ? { seriesFrequency: seriesDoc.frequency, seriesOccurrenceCount: seriesDoc.occurrenceCount } : {}),
      };
      return view;
    }),
  );
}
