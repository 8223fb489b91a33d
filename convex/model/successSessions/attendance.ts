import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import type { AttendanceStatus } from "../../tables/successSessions";
import {
  canManageSuccessSessionAttendance,
  canViewSuccessSession,
  hasPermission,
  isInSuccessSessionAudience,
  isStaff,
  type Viewer,
} from "../access";
import { throwError } from "../errors";
import { requireVisibleSession } from "./schedule";
import { MINUTE_MS } from "../time/units";

/**
 * Attendance of success sessions (SPEC §3): a student's Join records it once; the session's mentor
 * and staff mark or correct it; reports give each session's turnout and each student's attendance
 * percentage over the sessions where attendance was taken.
 */
/** Join opens this many minutes before the start. */
const JOIN_OPENS_MINUTES_BEFORE = 15;
/** A Join more than this many minutes after the start is recorded as `late`. */
const LATE_AFTER_MINUTES = 10;
/** Most audience members and attendance rows read for one session. */
const ROSTER_LIMIT = 500;
/** Most sessions one report covers (the latest ones in the range). */
const REPORT_SESSION_LIMIT = 100;
/** Most attendance rows read per session in a report. */
const REPORT_RECORDS_PER_SESSION = 200;
/** Most audience members read per (course, batch) in a report. */
const REPORT_AUDIENCE_LIMIT = 500;

/** `present` and `late` count as attended. */
function countsAsAttended(status: AttendanceStatus): boolean {
  return status === "present" || status === "late";
}

async function attendanceRecord(ctx: QueryCtx, sessionId: Id<"successSessions">, studentId: Id<"users">) {
  return await ctx.db
    .query("successSessionAttendance")
    .withIndex("by_sessionId_and_studentId", (q) => q.eq("sessionId", sessionId).eq("studentId", studentId))
    .unique();
}

/**
 * A Join click: returns the meeting link and, when the viewer is in the session's audience, records
 * their attendance the first time (`present`, or `late` after {@link LATE_AFTER_MINUTES} minutes).
 * A later Join, or one after the mentor already marked them, changes nothing. Open from 15 minutes
 * before the start until the end. Any signed-in user who may see the session
 * (`canViewSuccessSession` in `model/access.ts`); one they may not see answers NOT_FOUND.
 *
 * @param now epoch ms of the click.
 * @returns `{ meetingUrl, recorded }` (`recorded` true only when this call created the record).
 * @throws ConvexError NOT_FOUND (missing or not visible), FAILED_PRECONDITION (cancelled, ended, or
 *   more than 15 minutes before the start).
 */
export async function joinSession(
  ctx: MutationCtx,
  viewer: Viewer,
  sessionId: Id<"successSessions">,
  now: number,
): Promise<{ meetingUrl: string; recorded: boolean }> {
  const session = await requireVisibleSession(ctx, viewer, sessionId);
  if (session.status === "cancelled") throwError("FAILED_PRECONDITION", "This session was cancelled.");
  if (now >= session.endsAt || session.status === "completed") {
    throwError("FAILED_PRECONDITION", "This session has ended. Look for its recording under past sessions.");
  }
  if (now < session.startsAt - JOIN_OPENS_MINUTES_BEFORE * MINUTE_MS) {
    throwError(
      "FAILED_PRECONDITION",
      `You can join from ${JOIN_OPENS_MINUTES_BEFORE} minutes before the start.`,
      { opensAt: session.startsAt - JOIN_OPENS_MINUTES_BEFORE * MINUTE_MS },
    );
  }
  if (!(await isInSuccessSessionAudience(ctx, viewer._id, session))) {
    return { meetingUrl: session.meetingUrl, recorded: false };
  }
  if ((await attendanceRecord(ctx, session._id, viewer._id)) !== null) {
    return { meetingUrl: session.meetingUrl, recorded: false };
  }
  await ctx.db.insert("successSessionAttendance", {
    sessionId: session._id,
    studentId: viewer._id,
    status: now > session.startsAt + LATE_AFTER_MINUTES * MINUTE_MS ? "late" : "present",
    joinedAt: now,
  });
  return { meetingUrl: session.meetingUrl, recorded: true };
}

/**
 * Loads a session whose attendance the viewer manages (its mentor, or staff).
 * @throws ConvexError NOT_FOUND (missing or not visible), FORBIDDEN (visible but not theirs to manage).
 */
async function requireManagedSession(ctx: QueryCtx, viewer: Viewer, sessionId: Id<"successSessions">) {
  const session = await requireVisibleSession(ctx, viewer, sessionId);
  if (!canManageSuccessSessionAttendance(viewer, session)) {
    throwError("FORBIDDEN", "Only the session's mentor and staff manage its attendance.");
  }
  return session;
}

/**
 * Sets or corrects a student's attendance. `excused` may be set at any time; the other statuses from
 * 15 minutes before the start. The student must be in the session's audience, or already have a
 * record (corrections for students who left the batch since). The session's mentor and staff.
 *
 * @param status `present | late | excused | absent`.
 * @param now epoch ms.
 * @throws ConvexError NOT_FOUND, FORBIDDEN (may see the session but is not its mentor or staff),
 *   FAILED_PRECONDITION (cancelled, too early),
 *   INVALID_ARGUMENT (student not in the audience).
 */
export async function markAttendance(
  ctx: MutationCtx,
  viewer: Viewer,
  sessionId: Id<"successSessions">,
  studentId: Id<"users">,
  status: AttendanceStatus,
  now: number,
): Promise<void> {
  const session = await requireManagedSession(ctx, viewer, sessionId);
  if (session.status === "cancelled") throwError("FAILED_PRECONDITION", "This session was cancelled.");
  if (status !== "excused" && now < session.startsAt - JOIN_OPENS_MINUTES_BEFORE * MINUTE_MS) {
    throwError("FAILED_PRECONDITION", "Attendance can be taken once the session is about to start. Before that, only “excused” can be set.");
  }
  const existing = await attendanceRecord(ctx, session._id, studentId);
  if (existing === null && !(await isInSuccessSessionAudience(ctx, studentId, session))) {
    throwError("INVALID_ARGUMENT", "That student is not in this session's audience.", { field: "studentId" });
  }
  if (existing === null) {
    await ctx.db.insert("successSessionAttendance", { sessionId, studentId, status, markedBy: viewer._id, markedAt: now });
  } else {
    await ctx.db.patch("successSessionAttendance", existing._id, { status, markedBy: viewer._id, markedAt: now });
  }
}

/** One line of a session's attendee list. */
export type RosterRow = {
  studentId: Id<"users">;
  name: string;
  email: string;
  /** False for students with a record who are no longer in the audience. */
  inAudience: boolean;
  status: AttendanceStatus | null;
  joinedAt: number | null;
  markedAt: number | null;
};

/**
 * The attendee list of a session: its current audience (active enrollments of its course and batch)
 * plus anyone with an attendance record, by name, with `counts` per status (`unmarked` = no
 * record). The session's mentor and staff.
 * @throws ConvexError NOT_FOUND, FORBIDDEN.
 */
export async function sessionRoster(
  ctx: QueryCtx,
  viewer: Viewer,
  sessionId: Id<"successSessions">,
): Promise<{ rows: RosterRow[]; counts: Record<AttendanceStatus | "unmarked", number> }> {
  const session = await requireManagedSession(ctx, viewer, sessionId);
  return await rosterOfSession(ctx, session);
}

/**
 * The attendee list of `session` without an access check (for `sessionRoster` and the mentor's
 * attendance summary email): see {@link sessionRoster}.
 */
export async function rosterOfSession(
  ctx: QueryCtx,
  session: Doc<"successSessions">,
): Promise<{ rows: RosterRow[]; counts: Record<AttendanceStatus | "unmarked", number> }> {
  const [audience, records] = await Promise.all([
    audienceOf(ctx, session.courseId, session.batchId, ROSTER_LIMIT),
    ctx.db
      .query("successSessionAttendance")
      .withIndex("by_sessionId_and_studentId", (q) => q.eq("sessionId", session._id))
      .take(ROSTER_LIMIT),
  ]);
  const recordByStudent = new Map(records.map((record) => [record.studentId, record]));
  const studentIds = [...new Set([...audience, ...records.map((record) => record.studentId)])];
  const audienceSet = new Set(audience);
  const students = await Promise.all(studentIds.map((id) => ctx.db.get("users", id)));
  const rows: RosterRow[] = studentIds.map((studentId, index) => {
    const record = recordByStudent.get(studentId);
    return {
      studentId,
      name: students[index]?.name ?? "(deleted user)",
      email: students[index]?.email ?? "",
      inAudience: audienceSet.has(studentId),
      status: record?.status ?? null,
      joinedAt: record?.joinedAt ?? null,
      markedAt: record?.markedAt ?? null,
    };
  });
  rows.sort((a, b) => a.name.localeCompare(b.name));
  const counts = { present: 0, late: 0, excused: 0, absent: 0, unmarked: 0 };
  for (const row of rows) counts[row.status ?? "unmarked"] += 1;
  return { rows, counts };
}

/** The student ids of a (course, batch) audience: active enrollments, batch null = unbatched. */
async function audienceOf(
  ctx: QueryCtx,
  courseId: Id<"courses">,
  batchId: Id<"batches"> | null,
  limit: number,
): Promise<Id<"users">[]> {
  const enrollments = await ctx.db
    .query("enrollments")
    .withIndex("by_courseId_and_batchId_and_status", (q) => q.eq("courseId", courseId).eq("batchId", batchId).eq("status", "active"))
    .take(limit);
  return enrollments.map((enrollment) => enrollment.studentId);
}

/**
 * The active enrollments of a (course, batch) audience as student id → earliest `enrolledAt`
 * (epoch ms); batch null = unbatched. Reads at most `limit` enrollments.
 */
async function audienceEnrolledAt(
  ctx: QueryCtx,
  courseId: Id<"courses">,
  batchId: Id<"batches"> | null,
  limit: number,
): Promise<Map<Id<"users">, number>> {
  const enrollments = await ctx.db
    .query("enrollments")
    .withIndex("by_courseId_and_batchId_and_status", (q) => q.eq("courseId", courseId).eq("batchId", batchId).eq("status", "active"))
    .take(limit);
  const enrolledAt = new Map<Id<"users">, number>();
  for (const enrollment of enrollments) {
    const earlier = enrolledAt.get(enrollment.studentId);
    if (earlier === undefined || enrollment.enrolledAt < earlier) enrolledAt.set(enrollment.studentId, enrollment.enrolledAt);
  }
  return enrolledAt;
}

/** Report filters: all optional; `batchId` null = unbatched students, and needs `courseId`. */
type ReportFilters = {
  courseId?: Id<"courses">;
  batchId?: Id<"batches"> | null;
  /** Epoch ms: sessions starting at or after. */
  from?: number;
  /** Epoch ms: sessions starting before (default and maximum: now). */
  to?: number;
};

type SessionTurnout = {
  sessionId: Id<"successSessions">;
  title: string;
  startsAt: number;
  timeZone: string;
  courseId: Id<"courses">;
  courseTitle: string;
  /** null = unbatched students. */
  batchId: Id<"batches"> | null;
  batchName: string | null;
  mentorName: string;
  present: number;
  late: number;
  excused: number;
  absent: number;
  /**
   * Audience members: students actively enrolled in the session's course and batch who had enrolled
   * by its start, plus anyone with a record.
   */
  expected: number;
  /** (present + late) / (expected − excused), 0–100, null when nobody is expected. */
  turnoutPercent: number | null;
};

type StudentAttendance = {
  studentId: Id<"users">;
  name: string;
  email: string;
  /** Sessions with attendance taken that the student was expected at. */
  sessionsCounted: number;
  attended: number;
  late: number;
  excused: number;
  /** Counted sessions the student missed (marked absent or never recorded). */
  missed: number;
  /** attended / (sessionsCounted − excused), 0–100; null when nothing counts. */
  attendancePercent: number | null;
};

/** What {@link attendanceReport} returns. */
type AttendanceReport = {
  /** Sessions with attendance taken, latest first. */
  sessions: SessionTurnout[];
  /** By name. */
  students: StudentAttendance[];
  /** True when the range held more sessions than one report covers. */
  truncated: boolean;
  /**
   * When `truncated`: epoch ms start of the oldest session the report looked at; sessions that
   * started before it were left out. Null otherwise.
   */
  truncatedBefore: number | null;
};

/**
 * Attendance report over the sessions the viewer manages (staff: all; a mentor: their own) that
 * started in the range, latest {@link REPORT_SESSION_LIMIT} first; cancelled sessions are left out.
 * A session counts as "attendance taken" when it has at least one record. A student is expected at
 * a session when they have a record for it, or hold an active enrollment in its course and batch
 * (batch null = unbatched) made by its start (students who joined the batch later do not "miss" its
 * earlier sessions). Each student's percentage is over the sessions with attendance taken they were
 * expected at, `present` and `late` counting as attended and `excused` sessions left out.
 * `truncated` tells when there may be more sessions than the ones looked at; `truncatedBefore` is
 * then the epoch ms start of the oldest one looked at.
 *
 * @param filters `{ courseId?, batchId?, from?, to? }`: sessions that started in `[from, to)` (epoch
 *   ms; `to` at most `now`), optionally of one course and batch (`batchId` null = unbatched
 *   students; needs `courseId`).
 * @param now epoch ms (future sessions are never counted).
 * @throws ConvexError FORBIDDEN for callers who are neither staff nor mentors; INVALID_ARGUMENT for a
 *   batch without a course.
 */
export async function attendanceReport(
  ctx: QueryCtx,
  viewer: Viewer,
  filters: ReportFilters,
  now: number,
): Promise<AttendanceReport> {
  const staff = isStaff(viewer);
  if (!staff && !hasPermission(viewer, "successSessions.host")) {
    throwError("FORBIDDEN", "Attendance reports are for staff and mentors.");
  }
  const { courseId, batchId } = filters;
  if (batchId !== undefined && courseId === undefined) {
    throwError("INVALID_ARGUMENT", "Pick a course before picking a batch.", { field: "batchId" });
  }
  const from = filters.from ?? 0;
  const to = Math.min(filters.to ?? now, now);
  const query = ctx.db.query("successSessions");
  // Mentors read their own range and narrow it; staff read the most selective course range.
  const readLimit = staff ? REPORT_SESSION_LIMIT * 2 : REPORT_SESSION_LIMIT * 5;
  const candidates = !staff
    ? await query
        .withIndex("by_mentorId_and_startsAt", (q) => q.eq("mentorId", viewer._id).gte("startsAt", from).lt("startsAt", to))
        .order("desc")
        .take(readLimit)
    : courseId !== undefined && batchId !== undefined
      ? await query
          .withIndex("by_courseId_and_batchId_and_startsAt", (q) =>
            q.eq("courseId", courseId).eq("batchId", batchId).gte("startsAt", from).lt("startsAt", to),
          )
          .order("desc")
          .take(readLimit)
      : courseId !== undefined
        ? await query
            .withIndex("by_courseId_and_startsAt", (q) => q.eq("courseId", courseId).gte("startsAt", from).lt("startsAt", to))
            .order("desc")
            .take(readLimit)
        : await query
            .withIndex("by_startsAt", (q) => q.gte("startsAt", from).lt("startsAt", to))
            .order("desc")
            .take(readLimit);
  const eligible: Doc<"successSessions">[] = [];
  for (const session of candidates) {
    if (session.status === "cancelled") continue;
    if (courseId !== undefined && session.courseId !== courseId) continue;
    if (batchId !== undefined && session.batchId !== batchId) continue;
    if (!canManageSuccessSessionAttendance(viewer, session) || !(await canViewSuccessSession(ctx, viewer, session))) continue;
    eligible.push(session);
  }
  const sessions = eligible.slice(0, REPORT_SESSION_LIMIT);
  // More eligible sessions than one report covers, or the read stopped at its limit: older ones may be missing.
  const truncated = eligible.length > REPORT_SESSION_LIMIT || candidates.length === readLimit;
  const oldestLookedAt = eligible.length > REPORT_SESSION_LIMIT ? sessions.at(-1) : candidates.at(-1);
  const truncatedBefore = truncated && oldestLookedAt !== undefined ? oldestLookedAt.startsAt : null;

  const audienceCache = new Map<string, Promise<Map<Id<"users">, number>>>();
  const audienceFor = async (session: Doc<"successSessions">) => {
    const key = `${session.courseId}|${session.batchId ?? ""}`;
    let audience = audienceCache.get(key);
    if (audience === undefined) {
      audience = audienceEnrolledAt(ctx, session.courseId, session.batchId, REPORT_AUDIENCE_LIMIT);
      audienceCache.set(key, audience);
    }
    const enrolledAt = await audience;
    return [...enrolledAt].filter(([, at]) => at <= session.startsAt).map(([studentId]) => studentId);
  };
  const names = new Map<string, Promise<string>>();
  const nameOf = (table: "courses" | "batches" | "users", id: Id<"courses"> | Id<"batches"> | Id<"users">) => {
    let name = names.get(id);
    if (name === undefined) {
      name = (async () => {
        if (table === "courses") return (await ctx.db.get("courses", id as Id<"courses">))?.title ?? "(deleted course)";
        if (table === "batches") return (await ctx.db.get("batches", id as Id<"batches">))?.name ?? "(deleted batch)";
        return (await ctx.db.get("users", id as Id<"users">))?.name ?? "(deleted user)";
      })();
      names.set(id, name);
    }
    return name;
  };

  type Tally = { sessionsCounted: number; attended: number; late: number; excused: number };
  const tallies = new Map<Id<"users">, Tally>();
  const turnouts: SessionTurnout[] = [];
  for (const session of sessions) {
    const [records, audience, courseTitle, batchName, mentorName] = await Promise.all([
      ctx.db
        .query("successSessionAttendance")
        .withIndex("by_sessionId_and_studentId", (q) => q.eq("sessionId", session._id))
        .take(REPORT_RECORDS_PER_SESSION),
      audienceFor(session),
      nameOf("courses", session.courseId),
      session.batchId === null ? null : nameOf("batches", session.batchId),
      nameOf("users", session.mentorId),
    ]);
    if (records.length === 0) continue;
    const statusByStudent = new Map(records.map((record) => [record.studentId, record.status]));
    const expected = new Set([...audience, ...statusByStudent.keys()]);
    const counts = { present: 0, late: 0, excused: 0, absent: 0 };
    for (const status of statusByStudent.values()) counts[status] += 1;
    for (const studentId of expected) {
      const tally = tallies.get(studentId) ?? { sessionsCounted: 0, attended: 0, late: 0, excused: 0 };
      const status = statusByStudent.get(studentId);
      tally.sessionsCounted += 1;
      if (status !== undefined && countsAsAttended(status)) tally.attended += 1;
      if (status === "late") tally.late += 1;
      if (status === "excused") tally.excused += 1;
      tallies.set(studentId, tally);
    }
    const denominator = expected.size - counts.excused;
    turnouts.push({
      sessionId: session._id,
      title: session.title,
      startsAt: session.startsAt,
      timeZone: session.timeZone,
      courseId: session.courseId,
      courseTitle,
      batchId: session.batchId,
      batchName,
      mentorName,
      ...counts,
      expected: expected.size,
      turnoutPercent: denominator > 0 ? Math.round(((counts.present + counts.late) / denominator) * 1000) / 10 : null,
    });
  }

  const studentIds = [...tallies.keys()];
  const users = await Promise.all(studentIds.map((id) => ctx.db.get("users", id)));
  const students: StudentAttendance[] = studentIds.map((studentId, index) => {
    const tally = tallies.get(studentId)!;
    const denominator = tally.sessionsCounted - tally.excused;
    return {
      studentId,
      name: users[index]?.name ?? "(deleted user)",
      email: users[index]?.email ?? "",
      ...tally,
      missed: tally.sessionsCounted - tally.attended - tally.excused,
      attendancePercent: denominator > 0 ? Math.round((tally.attended / denominator) * 1000) / 10 : null,
    };
  });
  students.sort((a, b) => a.name.localeCompare(b.name));
  return { sessions: turnouts, students, truncated, truncatedBefore };
}
