import type { Value } from "convex/values";
import { enqueueAttendanceSummary } from "../notifications/attendanceSummary";
import { notifySessionsLeftAudience } from "../notifications/audienceRemoval";
import { internal } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import type { RecurrenceFrequency, SuccessSessionStatus } from "../../tables/successSessions";
import { canViewSuccessSession, hasRole, type Viewer } from "../access";
import { requireBatchOfCourse, requireCourse } from "../catalog/lookups";
import { throwError } from "../errors";
import { notifySeriesEvent, notifySessionEvent } from "../notifications/sessionNotices";
import { optionalText, requireHttpUrl, requireText, requireTimeZone } from "../validation";
import { occurrenceStarts, shiftOccurrence } from "./recurrence";
import { EditScope, sessionsInScope, planSeriesChange, applySeriesChange } from "./series";
import { MINUTE_MS } from "../time/units";
import { requireDocument } from "../documents";

/**
 * Scheduling of success sessions (SPEC §3): create (single or recurring), edit ("this occurrence" or
 * "this and following"), cancel, mentor double-booking checks and the scheduled status moves
 * `upcoming → live → completed`. Every change bumps the calendar `sequence` and is reported to the
 * notifications module (emails, invites, reminders; SPEC §7). Every check runs before the first
 * write, so a refused call writes nothing.
 */
/** Length of a session when no end is given. */
const DEFAULT_DURATION_MINUTES = 60;
/** Longest allowed session; also bounds the index ranges that look for overlapping sessions. */
const MAX_DURATION_MINUTES = 12 * 60;
export const MAX_DURATION_MS = MAX_DURATION_MINUTES * MINUTE_MS;

/** The editable fields of a session, as staff type them (strings untrimmed). */
type SessionInput = {
  title: string;
  description?: string;
  courseId: Id<"courses">;
  /** null = unbatched students of the course. */
  batchId: Id<"batches"> | null;
  mentorId: Id<"users">;
  /** Epoch ms. */
  startsAt: number;
  /** Epoch ms; default `startsAt` + 60 minutes. */
  endsAt?: number;
  timeZone: string;
  meetingUrl: string;
  /** Empty string = none. */
  zoomMeetingId?: string;
  zoomPasscode?: string;
  recordingUrl?: string;
};

/** A recurrence request: `occurrences` 1–52 (1 = a single session). */
type RecurrenceInput = { frequency: RecurrenceFrequency; occurrences: number };

type SessionFields = Omit<
  Doc<"successSessions">,
  "_id" | "_creationTime" | "status" | "sequence" | "createdBy" | "seriesId" | "occurrenceNumber" | "liveJobId" | "completeJobId"
>;

/** One existing session that overlaps a requested occurrence of the same mentor. */
type MentorClash = {
  /** 1-based position of the requested occurrence that clashes. */
  occurrence: number;
  occurrenceStartsAt: number;
  occurrenceEndsAt: number;
  sessionId: Id<"successSessions">;
  title: string;
  startsAt: number;
  endsAt: number;
  timeZone: string;
};

function checkTimes(startsAt: number, endsAt: number, now: number): void {
  if (!Number.isFinite(startsAt) || !Number.isFinite(endsAt)) {
    throwError("INVALID_ARGUMENT", "Start and end must be valid times.", { field: "startsAt" });
  }
  if (endsAt <= startsAt) throwError("INVALID_ARGUMENT", "The end must be after the start.", { field: "endsAt" });
  if (endsAt - startsAt > MAX_DURATION_MS) {
    throwError("INVALID_ARGUMENT", `A session can last at most ${MAX_DURATION_MINUTES / 60} hours.`, { field: "endsAt" });
  }
  if (endsAt <= now) {
    throwError("INVALID_ARGUMENT", "This session would end in the past. Pick a later time.", { field: "startsAt" });
  }
}

/**
 * Checks that `mentorId` is an active user holding the mentor role.
 * @throws ConvexError INVALID_ARGUMENT otherwise (also for an id of a deleted user).
 */
async function requireMentor(ctx: QueryCtx, mentorId: Id<"users">): Promise<Doc<"users">> {
  const mentor = await ctx.db.get("users", mentorId);
  if (mentor === null || !mentor.active || !hasRole(mentor, "mentor")) {
    throwError("INVALID_ARGUMENT", "Pick a mentor from the list: that user is not an active mentor.", { field: "mentorId" });
  }
  return mentor;
}

/**
 * Validates and normalises session fields.
 * @param now epoch ms; sessions may not end before it.
 * @throws ConvexError INVALID_ARGUMENT (text, link, zone, times, batch of another course, unknown
 *   mentor) or NOT_FOUND (course or batch id of nothing).
 */
async function validateSessionInput(ctx: QueryCtx, input: SessionInput, now: number): Promise<SessionFields> {
  const title = requireText("Title", input.title, 200);
  const description = optionalText("Description", input.description, 5000);
  await requireCourse(ctx, input.courseId);
  if (input.batchId !== null) await requireBatchOfCourse(ctx, input.batchId, input.courseId);
  await requireMentor(ctx, input.mentorId);
  const timeZone = requireTimeZone(input.timeZone);
  const endsAt = input.endsAt ?? input.startsAt + DEFAULT_DURATION_MINUTES * MINUTE_MS;
  checkTimes(input.startsAt, endsAt, now);
  const meetingUrl = requireHttpUrl("Meeting link", input.meetingUrl);
  const zoomMeetingId = optionalText("Zoom meeting id", input.zoomMeetingId, 50);
  const zoomPasscode = optionalText("Zoom passcode", input.zoomPasscode, 50);
  const recordingText = optionalText("Recording link", input.recordingUrl, 2000);
  const recordingUrl = recordingText === "" ? "" : requireHttpUrl("Recording link", recordingText);
  return {
    title,
    description,
    courseId: input.courseId,
    batchId: input.batchId,
    mentorId: input.mentorId,
    startsAt: input.startsAt,
    endsAt,
    timeZone,
    meetingUrl,
    zoomMeetingId: zoomMeetingId || undefined,
    zoomPasscode: zoomPasscode || undefined,
    recordingUrl: recordingUrl || undefined,
  };
}

/**
 * The mentor's non-cancelled sessions that overlap any of `intervals` (sessions in `ignore`, i.e. the
 * ones being edited, excepted). One index range on `by_mentorId_and_startsAt` per interval.
 */
async function findMentorClashes(
  ctx: QueryCtx,
  mentorId: Id<"users">,
  intervals: readonly { startsAt: number; endsAt: number }[],
  ignore: ReadonlySet<Id<"successSessions">> = new Set(),
): Promise<MentorClash[]> {
  const clashes: MentorClash[] = [];
  for (const [index, interval] of intervals.entries()) {
    const candidates = await ctx.db
      .query("successSessions")
      .withIndex("by_mentorId_and_startsAt", (q) =>
        q.eq("mentorId", mentorId).gt("startsAt", interval.startsAt - MAX_DURATION_MS).lt("startsAt", interval.endsAt),
      )
      .take(100);
    for (const session of candidates) {
      if (session.status === "cancelled" || ignore.has(session._id)) continue;
      if (session.endsAt <= interval.startsAt) continue;
      clashes.push({
        occurrence: index + 1,
        occurrenceStartsAt: interval.startsAt,
        occurrenceEndsAt: interval.endsAt,
        sessionId: session._id,
        title: session.title,
        startsAt: session.startsAt,
        endsAt: session.endsAt,
        timeZone: session.timeZone,
      });
    }
  }
  return clashes;
}

function formatInZone(epochMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(epochMs);
}

/**
 * Throws CONFLICT listing the clashes (in `details.clashes`, and the first three in the message).
 * @throws ConvexError CONFLICT when `clashes` is not empty.
 */
function refuseClashes(clashes: MentorClash[], mentorName: string, occurrenceCount: number): void {
  if (clashes.length === 0) return;
  const lines = clashes.slice(0, 3).map((clash) => {
    const which = occurrenceCount > 1 ? `Occurrence ${clash.occurrence} ` : "This session ";
    return `${which}(${formatInZone(clash.occurrenceStartsAt, clash.timeZone)}) overlaps “${clash.title}” (${formatInZone(clash.startsAt, clash.timeZone)}).`;
  });
  const more = clashes.length > 3 ? ` …and ${clashes.length - 3} more.` : "";
  throwError("CONFLICT", `${mentorName} is already booked at that time. ${lines.join(" ")}${more}`, {
    clashes: clashes.map((clash) => ({ ...clash }) as Record<string, Value>),
  });
}

/** The status a (non-cancelled) session has at `now` given its times. */
export function statusAt(startsAt: number, endsAt: number, now: number): SuccessSessionStatus {
  if (now >= endsAt) return "completed";
  if (now >= startsAt) return "live";
  return "upcoming";
}

async function cancelJob(ctx: MutationCtx, jobId: Id<"_scheduled_functions"> | undefined): Promise<void> {
  if (jobId === undefined) return;
  const job = await ctx.db.system.get("_scheduled_functions", jobId);
  if (job !== null && job.state.kind === "pending") await ctx.scheduler.cancel(jobId);
}

/**
 * Cancels the session's pending status jobs and schedules new ones for its current times:
 * `markLive` at `startsAt` (if still ahead) and `markCompleted` at `endsAt`. Cancelled and completed
 * sessions get none. The jobs carry the times they were scheduled for and do nothing when the
 * session has moved since (belt and braces with the cancellation).
 */
export async function rescheduleStatusJobs(ctx: MutationCtx, session: Doc<"successSessions">, now: number): Promise<void> {
  await cancelJob(ctx, session.liveJobId);
  await cancelJob(ctx, session.completeJobId);
  let liveJobId: Id<"_scheduled_functions"> | undefined;
  let completeJobId: Id<"_scheduled_functions"> | undefined;
  if (session.status !== "cancelled" && session.status !== "completed") {
    if (session.startsAt > now) {
      liveJobId = await ctx.scheduler.runAt(session.startsAt, internal.successSessions.markLive, {
        sessionId: session._id,
        startsAt: session.startsAt,
      });
    }
    completeJobId = await ctx.scheduler.runAt(session.endsAt, internal.successSessions.markCompleted, {
      sessionId: session._id,
      endsAt: session.endsAt,
    });
  }
  await ctx.db.patch("successSessions", session._id, { liveJobId, completeJobId });
}

/**
 * Scheduled at a session's start: moves it to `live` when it is still `upcoming`, still starts at
 * `startsAt` (a job left over from before a reschedule does nothing) and `now` has reached it.
 * Internal: only the scheduler runs it.
 * @returns whether the status changed.
 */
export async function markSessionLive(
  ctx: MutationCtx,
  sessionId: Id<"successSessions">,
  startsAt: number,
  now: number,
): Promise<boolean> {
  const session = await ctx.db.get("successSessions", sessionId);
  if (session === null || session.startsAt !== startsAt || session.status !== "upcoming" || now < startsAt) return false;
  await ctx.db.patch("successSessions", sessionId, { status: "live", liveJobId: undefined });
  return true;
}

/**
 * Scheduled at a session's end: moves it to `completed` when it is `upcoming` or `live`, still ends
 * at `endsAt` and `now` has reached it; then enqueues the mentor's attendance summary email
 * (`model/notifications/attendanceSummary.ts`). Internal: only the scheduler runs it.
 * @returns whether the status changed.
 */
export async function markSessionCompleted(
  ctx: MutationCtx,
  sessionId: Id<"successSessions">,
  endsAt: number,
  now: number,
): Promise<boolean> {
  const session = await ctx.db.get("successSessions", sessionId);
  if (session === null || session.endsAt !== endsAt || now < endsAt) return false;
  if (session.status !== "upcoming" && session.status !== "live") return false;
  await ctx.db.patch("successSessions", sessionId, { status: "completed", liveJobId: undefined, completeJobId: undefined });
  await enqueueAttendanceSummary(ctx, sessionId, now);
  return true;
}

/**
 * Creates a session, or a recurring series of `recurrence.occurrences` sessions (2–52; each its own
 * document at the same wall-clock time in `input.timeZone` across daylight-saving changes, all
 * checked for the mentor being double-booked). `endsAt` defaults to `startsAt` + 60 minutes; a
 * session lasts at most 12 hours and may not end in the past; empty optional strings mean "none".
 * Admins (`successSessions.manage`).
 *
 * @param createdBy the staff member scheduling it.
 * @param now epoch ms (sessions may not end before it).
 * @returns the new session ids in start order and the series id (null for a single session).
 * @throws ConvexError INVALID_ARGUMENT / NOT_FOUND (see {@link validateSessionInput}; more than 52
 *   occurrences), CONFLICT (mentor double-booked; `details.clashes` lists every clash as `{ occurrence,
 *   occurrenceStartsAt, occurrenceEndsAt, sessionId, title, startsAt, endsAt, timeZone }`).
 */
export async function createSessions(
  ctx: MutationCtx,
  createdBy: Id<"users">,
  input: SessionInput,
  recurrence: RecurrenceInput | undefined,
  now: number,
): Promise<{ sessionIds: Id<"successSessions">[]; seriesId: Id<"successSessionSeries"> | null }> {
  const fields = await validateSessionInput(ctx, input, now);
  const occurrences = recurrence?.occurrences ?? 1;
  const starts = recurrence
    ? occurrenceStarts(fields.startsAt, fields.timeZone, recurrence.frequency, occurrences)
    : [fields.startsAt];
  const duration = fields.endsAt - fields.startsAt;
  const intervals = starts.map((startsAt) => ({ startsAt, endsAt: startsAt + duration }));
  const mentor = (await ctx.db.get("users", fields.mentorId))!;
  refuseClashes(await findMentorClashes(ctx, fields.mentorId, intervals), mentor.name, intervals.length);

  const seriesId =
    recurrence && occurrences > 1
      ? await ctx.db.insert("successSessionSeries", {
          frequency: recurrence.frequency,
          occurrenceCount: occurrences,
          timeZone: fields.timeZone,
          createdBy,
        })
      : null;
  const sessionIds: Id<"successSessions">[] = [];
  for (const [index, interval] of intervals.entries()) {
    const sessionId = await ctx.db.insert("successSessions", {
      ...fields,
      ...interval,
      status: statusAt(interval.startsAt, interval.endsAt, now),
      sequence: 0,
      createdBy,
      ...(seriesId !== null ? { seriesId, occurrenceNumber: index + 1 } : {}),
    });
    await rescheduleStatusJobs(ctx, (await ctx.db.get("successSessions", sessionId))!, now);
    sessionIds.push(sessionId);
  }
  // Emails, invites and reminders (SPEC §7): one notice per recipient, listing every occurrence.
  await notifySeriesEvent(ctx, { kind: "success", entityIds: sessionIds, event: "created" });
  return { sessionIds, seriesId };
}

/**
 * Loads a session the viewer may see.
 * @throws ConvexError NOT_FOUND when it does not exist or the viewer may not see it (same answer).
 */
export async function requireVisibleSession(
  ctx: QueryCtx,
  viewer: Viewer,
  sessionId: Id<"successSessions">,
): Promise<Doc<"successSessions">> {
  return await requireDocument(ctx, "successSessions", sessionId, "That session does not exist.", (session) => canViewSuccessSession(ctx, viewer, session));
}

/** Changes to a session; absent fields stay. Empty strings clear the optional text fields. */
type SessionChanges = Partial<SessionInput>;

/**
 * Edits a session, or it and the following occurrences of its series. With `following`, time changes
 * move every occurrence by the same number of calendar days to the new wall-clock time in the
 * (possibly new) zone, and other changed fields are copied to each; every field is optional and
 * empty strings clear the optional ones. Each changed session's calendar sequence grows and its status
 * jobs are rescheduled. Times of completed sessions cannot change; cancelled sessions cannot be
 * edited. Admins (`successSessions.manage`).
 *
 * Series records (Google Calendar / RFC 5545 practice), only when a `following` edit changes more
 * than one occurrence: on the first occurrence of its series the series record is updated in place
 * (its time zone follows a zone change); on a later one the series is split: the edited and the
 * later occurrences (cancelled ones included, those unchanged) move to a new series record, numbered
 * 1..n, and the old record keeps the earlier ones with its count reduced to them (see
 * `applySeriesChange`). `this` edits never change series records. All in this one mutation, after
 * every check.
 *
 * @param now epoch ms.
 * @returns the ids of the sessions changed.
 * @throws ConvexError NOT_FOUND (missing or not visible), FAILED_PRECONDITION (cancelled, or times of
 *   a completed session), INVALID_ARGUMENT / CONFLICT as for {@link createSessions}.
 */
export async function updateSessions(
  ctx: MutationCtx,
  viewer: Viewer,
  sessionId: Id<"successSessions">,
  scope: EditScope,
  changes: SessionChanges,
  now: number,
): Promise<Id<"successSessions">[]> {
  const session = await requireVisibleSession(ctx, viewer, sessionId);
  if (session.status === "cancelled") {
    throwError("FAILED_PRECONDITION", "This session was cancelled and can no longer be edited.");
  }
  const targets = await sessionsInScope(ctx, session, scope);
  const merged: SessionInput = {
    title: changes.title ?? session.title,
    description: changes.description ?? session.description,
    courseId: changes.courseId ?? session.courseId,
    batchId: changes.batchId !== undefined ? changes.batchId : session.batchId,
    mentorId: changes.mentorId ?? session.mentorId,
    startsAt: changes.startsAt ?? session.startsAt,
    endsAt: changes.endsAt ?? (changes.startsAt !== undefined ? changes.startsAt + (session.endsAt - session.startsAt) : session.endsAt),
    timeZone: changes.timeZone ?? session.timeZone,
    meetingUrl: changes.meetingUrl ?? session.meetingUrl,
    zoomMeetingId: changes.zoomMeetingId ?? session.zoomMeetingId,
    zoomPasscode: changes.zoomPasscode ?? session.zoomPasscode,
    recordingUrl: changes.recordingUrl ?? session.recordingUrl,
  };
  const timesChange =
    merged.startsAt !== session.startsAt || merged.endsAt !== session.endsAt || merged.timeZone !== session.timeZone;
  // A session that already ended keeps its times; only the other fields (e.g. the recording) change.
  const fields = await validateSessionInput(ctx, merged, timesChange ? now : Math.min(now, session.endsAt - 1));

  const duration = fields.endsAt - fields.startsAt;
  const planned = targets.map((target) => {
    const moved = target._id === session._id ? fields.startsAt : shiftOccurrence(target.startsAt, {
      fromStartsAt: session.startsAt,
      fromTimeZone: session.timeZone,
      toStartsAt: fields.startsAt,
      toTimeZone: fields.timeZone,
    });
    const startsAt = timesChange ? moved : target.startsAt;
    const endsAt = timesChange ? startsAt + duration : target.endsAt;
    return { target, startsAt, endsAt };
  });
  for (const { target, startsAt, endsAt } of planned) {
    const targetTimesChange = startsAt !== target.startsAt || endsAt !== target.endsAt || fields.timeZone !== target.timeZone;
    if (targetTimesChange && target.status === "completed") {
      throwError("FAILED_PRECONDITION", "A session that already took place cannot be moved.", { field: "startsAt" });
    }
    if (targetTimesChange) checkTimes(startsAt, endsAt, now);
  }
  const mentorChanges = fields.mentorId !== session.mentorId;
  if (timesChange || mentorChanges) {
    const active = planned.filter(({ target }) => target.status !== "completed");
    const clashes = await findMentorClashes(
      ctx,
      fields.mentorId,
      active.map(({ startsAt, endsAt }) => ({ startsAt, endsAt })),
      new Set(targets.map((target) => target._id)),
    );
    const mentor = (await ctx.db.get("users", fields.mentorId))!;
    refuseClashes(clashes, mentor.name, active.length);
  }

  // Series records: planned from the series as it is before any write (see applySeriesChange).
  const seriesPlan = await planSeriesChange(ctx, session, scope, targets);

  // Only the fields the caller changed are copied to the other occurrences.
  const copied: Partial<SessionFields> = {};
  for (const key of ["title", "description", "courseId", "batchId", "mentorId", "meetingUrl", "zoomMeetingId", "zoomPasscode", "recordingUrl"] as const) {
    if (changes[key] !== undefined) (copied as Record<string, unknown>)[key] = fields[key];
  }
  if (changes.timeZone !== undefined) copied.timeZone = fields.timeZone;
  for (const { target, startsAt, endsAt } of planned) {
    const timesMoved = startsAt !== target.startsAt || endsAt !== target.endsAt;
    await ctx.db.patch("successSessions", target._id, {
      ...copied,
      startsAt,
      endsAt,
      sequence: target.sequence + 1,
      ...(timesMoved && target.status !== "completed" ? { status: statusAt(startsAt, endsAt, now) } : {}),
    });
    if (timesMoved) await rescheduleStatusJobs(ctx, (await ctx.db.get("successSessions", target._id))!, now);
  }
  await applySeriesChange(ctx, seriesPlan, {
    timeZone: changes.timeZone !== undefined ? fields.timeZone : undefined,
    editorId: viewer._id,
    newStartsAt: new Map(planned.map(({ target, startsAt }) => [target._id, startsAt])),
  });
  const changedIds = planned.map(({ target }) => target._id);
  const previousMentorId = mentorChanges ? { previousMentorId: session.mentorId } : {};
  if (changedIds.length === 1) {
    const [{ startsAt, endsAt }] = planned;
    await notifySessionEvent(ctx, {
      kind: "success",
      entityId: session._id,
      event: "changed",
      changes: {
        ...(startsAt !== session.startsAt ? { previousStartsAt: session.startsAt } : {}),
        ...(endsAt !== session.endsAt ? { previousEndsAt: session.endsAt } : {}),
        ...previousMentorId,
        ...(fields.meetingUrl !== session.meetingUrl ? { linkChanged: true } : {}),
      },
    });
  } else {
    await notifySeriesEvent(ctx, { kind: "success", entityIds: changedIds, event: "changed", changes: previousMentorId });
  }
  if (fields.courseId !== session.courseId || fields.batchId !== session.batchId) {
    // Students of the previous audience who lose the sessions get a cancellation (SPEC §7).
    await notifySessionsLeftAudience(ctx, changedIds, { courseId: session.courseId, batchId: session.batchId });
  }
  return changedIds;
}

/**
 * Cancels a session, or it and the following occurrences of its series (completed ones stay as they
 * are). Students then see it as cancelled; pending status jobs are cancelled; the calendar sequence
 * grows. Admins (`successSessions.manage`).
 * @returns the ids of the sessions cancelled now (empty when it already was).
 * @throws ConvexError NOT_FOUND, FAILED_PRECONDITION (the session already took place).
 */
export async function cancelSessions(
  ctx: MutationCtx,
  viewer: Viewer,
  sessionId: Id<"successSessions">,
  scope: EditScope,
  now: number,
): Promise<Id<"successSessions">[]> {
  const session = await requireVisibleSession(ctx, viewer, sessionId);
  if (session.status === "cancelled") return [];
  if (session.status === "completed") {
    throwError("FAILED_PRECONDITION", "This session already took place and cannot be cancelled.");
  }
  const targets = (await sessionsInScope(ctx, session, scope)).filter((target) => target.status !== "completed");
  for (const target of targets) {
    await ctx.db.patch("successSessions", target._id, { status: "cancelled", sequence: target.sequence + 1 });
    await rescheduleStatusJobs(ctx, { ...target, status: "cancelled" }, now);
  }
  const cancelledIds = targets.map((target) => target._id);
  await notifySeriesEvent(ctx, { kind: "success", entityIds: cancelledIds, event: "cancelled" });
  return cancelledIds;
}

/**
 * Sets or clears (null / "") the recording link of a session. The session's mentor or a holder of
 * `successSessions.manage` (checked by the caller with `canSetSuccessSessionRecording`).
 * @throws ConvexError INVALID_ARGUMENT for a link that is not http(s).
 */
export async function setRecordingUrl(
  ctx: MutationCtx,
  session: Doc<"successSessions">,
  recordingUrl: string | null,
): Promise<void> {
  const text = (recordingUrl ?? "").trim();
  await ctx.db.patch("successSessions", session._id, {
    recordingUrl: text === "" ? undefined : requireHttpUrl("Recording link", text),
    sequence: session.sequence + 1,
  });
}
