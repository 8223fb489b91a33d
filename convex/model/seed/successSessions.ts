import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import type { AttendanceStatus, RecurrenceFrequency } from "../../tables/successSessions";
import { occurrenceStarts } from "../successSessions/recurrence";
import { rescheduleStatusJobs, statusAt } from "../successSessions/schedule";
import type { SeededCatalog } from "./catalog";
import { DAY_MS, HOUR_MS } from "../time/units";

/**
 * Demo success sessions: upcoming ones for Web Batch 12, Web's unbatched students and Data Science
 * Batch 2, a weekly series for Batch 12, and a past Batch 12 session with a recording and attendance.
 * Each session is found again by its audience, title and occurrence number and brought back to the
 * demo state, so running the seed twice on the same day changes nothing.
 */

type DemoSession = {
  title: string;
  description: string;
  course: string;
  /** Batch name, or null for unbatched students. */
  batch: string | null;
  mentor: string;
  /** Offset from the start of today (UTC), ms. */
  offset: number;
  minutes: number;
  timeZone: string;
  recurrence?: { frequency: RecurrenceFrequency; occurrences: number };
  recordingUrl?: string;
  /** Persona subject or extra-student index → status. */
  attendance?: { student: string | number; status: AttendanceStatus }[];
};

const WEB = "Full-Stack Web Development";
const DATA = "Data Science Foundations";

const DEMO_SESSIONS: DemoSession[] = [
  {
    title: "Sprint review: your first API",
    description: "Show what you built this sprint; we review code together and plan the next steps.",
    course: WEB,
    batch: "Batch 12",
    mentor: "persona-mentor",
    offset: 2 * DAY_MS + 15 * HOUR_MS,
    minutes: 60,
    timeZone: "Europe/Berlin",
  },
  {
    title: "Office hours for self-paced learners",
    description: "Bring any question about the course material.",
    course: WEB,
    batch: null,
    mentor: "persona-coach-john",
    offset: 3 * DAY_MS + 16 * HOUR_MS,
    minutes: 45,
    timeZone: "America/New_York",
  },
  {
    title: "Model clinic: regression pitfalls",
    description: "Live walkthrough of common mistakes in linear models.",
    course: DATA,
    batch: "Batch 2",
    mentor: "persona-mentor",
    offset: 1 * DAY_MS + 10 * HOUR_MS,
    minutes: 90,
    timeZone: "Asia/Kolkata",
  },
  {
    title: "Weekly career Q&A",
    description: "Job search, portfolios and interviews: ask anything.",
    course: WEB,
    batch: "Batch 12",
    mentor: "persona-coach-john",
    offset: 4 * DAY_MS + 17 * HOUR_MS,
    minutes: 60,
    timeZone: "Europe/London",
    recurrence: { frequency: "weekly", occurrences: 8 },
  },
  {
    title: "Kick-off retrospective",
    description: "What went well in the first weeks and what we change.",
    course: WEB,
    batch: "Batch 12",
    mentor: "persona-mentor",
    offset: -7 * DAY_MS + 14 * HOUR_MS,
    minutes: 60,
    timeZone: "Europe/Berlin",
    recordingUrl: "https://example.com/recordings/batch-12-kick-off-retrospective",
    attendance: [
      { student: "persona-student-amira", status: "present" },
      { student: 0, status: "late" },
    ],
  },
];

async function findSession(
  ctx: MutationCtx,
  courseId: Id<"courses">,
  batchId: Id<"batches"> | null,
  title: string,
  occurrenceNumber: number | undefined,
  seriesId: Id<"successSessionSeries"> | undefined,
): Promise<Doc<"successSessions"> | null> {
  const sessions = await ctx.db
    .query("successSessions")
    .withIndex("by_courseId_and_batchId_and_startsAt", (q) => q.eq("courseId", courseId).eq("batchId", batchId))
    .take(1000);
  // In start order, so the demo series' own first occurrence wins over that of a series split off it
  // later ("this and following" numbers the split-off part from 1 again); once the demo series is
  // known, only its occurrences match.
  return (
    sessions.find(
      (session) =>
        session.title === title &&
        session.occurrenceNumber === occurrenceNumber &&
        (seriesId === undefined || session.seriesId === seriesId),
    ) ?? null
  );
}

/**
 * Creates or restores the demo success sessions and their attendance.
 * @param startOfToday epoch ms of today's 00:00 UTC; demo times are relative to it.
 * @param now epoch ms of the call.
 * @returns how many session documents the demo has.
 */
export async function seedSuccessSessions(ctx: MutationCtx, catalog: SeededCatalog, startOfToday: number, now: number): Promise<number> {
  const createdBy = catalog.usersBySubject["persona-admin"];
  let count = 0;
  for (const demo of DEMO_SESSIONS) {
    const courseId = catalog.courses[demo.course];
    const batchId = demo.batch === null ? null : catalog.batches[`${demo.course}/${demo.batch}`];
    const mentorId = catalog.usersBySubject[demo.mentor];
    const firstStart = startOfToday + demo.offset;
    const starts = demo.recurrence
      ? occurrenceStarts(firstStart, demo.timeZone, demo.recurrence.frequency, demo.recurrence.occurrences)
      : [firstStart];
    let seriesId: Id<"successSessionSeries"> | undefined;
    for (const [index, startsAt] of starts.entries()) {
      const occurrenceNumber = demo.recurrence ? index + 1 : undefined;
      const existing = await findSession(ctx, courseId, batchId, demo.title, occurrenceNumber, seriesId);
      if (demo.recurrence && seriesId === undefined) {
        seriesId =
          existing?.seriesId ??
          (await ctx.db.insert("successSessionSeries", {
            frequency: demo.recurrence.frequency,
            occurrenceCount: demo.recurrence.occurrences,
            timeZone: demo.timeZone,
            createdBy,
          }));
      }
      const endsAt = startsAt + demo.minutes * 60 * 1000;
      const fields = {
        title: demo.title,
        description: demo.description,
        courseId,
        batchId,
        mentorId,
        startsAt,
        endsAt,
        timeZone: demo.timeZone,
        status: statusAt(startsAt, endsAt, now),
        meetingUrl: `https://zoom.example.com/j/${9_000_000_000 + count}`,
        zoomMeetingId: `${9_000_000_000 + count}`,
        zoomPasscode: "hub2024",
        ...(demo.recordingUrl ? { recordingUrl: demo.recordingUrl } : {}),
        ...(seriesId !== undefined ? { seriesId, occurrenceNumber } : {}),
        sequence: existing?.sequence ?? 0,
        createdBy,
      };
      let sessionId: Id<"successSessions">;
      if (existing) {
        sessionId = existing._id;
        await ctx.db.replace("successSessions", sessionId, {
          ...fields,
          ...(existing.liveJobId ? { liveJobId: existing.liveJobId } : {}),
          ...(existing.completeJobId ? { completeJobId: existing.completeJobId } : {}),
        });
      } else {
        sessionId = await ctx.db.insert("successSessions", fields);
      }
      // A re-run on the same day finds the same times: its pending jobs stay as they are.
      const unchanged = existing !== null && existing.startsAt === startsAt && existing.endsAt === endsAt && existing.status === fields.status;
      if (!unchanged) await rescheduleStatusJobs(ctx, (await ctx.db.get("successSessions", sessionId))!, now);
      for (const mark of demo.attendance ?? []) {
        const studentId =
          typeof mark.student === "number" ? catalog.extraStudentIds[mark.student] : catalog.usersBySubject[mark.student];
        const record = await ctx.db
          .query("successSessionAttendance")
          .withIndex("by_sessionId_and_studentId", (q) => q.eq("sessionId", sessionId).eq("studentId", studentId))
          .unique();
        const row = { sessionId, studentId, status: mark.status, markedBy: mentorId, markedAt: endsAt };
        if (record) await ctx.db.replace("successSessionAttendance", record._id, row);
        else await ctx.db.insert("successSessionAttendance", row);
      }
      count += 1;
    }
  }
  return count;
}
