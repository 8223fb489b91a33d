import { afterEach, describe, expect, test, vi } from "vitest";
import { api } from "./_generated/api";
import { errorCodeOf, newTest, seedEnrollment, seedUser } from "../testing/convex";
import { checklistWorld, createSession } from "./model/successSessions/fixtures.testing";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./model/time/units";

afterEach(() => {
  vi.useRealTimers();
});

async function setUp() {
  vi.useFakeTimers({ toFake: ["Date"] });
  const t = newTest();
  const world = await checklistWorld(t);
  return { t, world, start: Date.now() };
}

describe("join", () => {
  test("records attendance once; a later join or a mentor's correction is not overwritten", async () => {
    const { t, world, start } = await setUp();
    const sessionId = await createSession(world, { startsAt: start + HOUR_MS });
    const student = world.students.batch1;

    vi.setSystemTime(start + HOUR_MS - 20 * MINUTE_MS);
    await expect(student.as.mutation(api.attendance.join, { sessionId })).rejects.toMatchObject({
      data: { code: "FAILED_PRECONDITION", message: expect.stringMatching(/15 minutes before/) },
    });

    vi.setSystemTime(start + HOUR_MS - 10 * MINUTE_MS);
    expect(await student.as.mutation(api.attendance.join, { sessionId })).toEqual({
      meetingUrl: "https://zoom.example.com/j/123",
      recorded: true,
    });
    vi.setSystemTime(start + HOUR_MS + 30 * MINUTE_MS);
    expect((await student.as.mutation(api.attendance.join, { sessionId })).recorded).toBe(false);
    const records = await t.run((ctx) => ctx.db.query("successSessionAttendance").collect());
    expect(records.map((record) => [record.studentId, record.status, record.joinedAt])).toEqual([
      [student.userId, "present", start + HOUR_MS - 10 * MINUTE_MS],
    ]);
    expect((await student.as.query(api.successSessions.get, { sessionId }))?.myAttendance).toBe("present");

    await world.mentor.as.mutation(api.attendance.mark, { sessionId, studentId: student.userId, status: "excused" });
    await student.as.mutation(api.attendance.join, { sessionId });
    expect((await student.as.query(api.successSessions.get, { sessionId }))?.myAttendance).toBe("excused");

    vi.setSystemTime(start + 2 * HOUR_MS);
    expect(await errorCodeOf(student.as.mutation(api.attendance.join, { sessionId }))).toBe("FAILED_PRECONDITION");
  });

  test("joining more than 10 minutes after the start is recorded as late; a cancelled session cannot be joined", async () => {
    const { world, start } = await setUp();
    const lateOne = await createSession(world, { startsAt: start + HOUR_MS });
    const cancelled = await createSession(world, { startsAt: start + HOUR_MS, mentorId: world.otherMentor.userId });
    await world.admin.as.mutation(api.successSessions.cancel, { sessionId: cancelled, scope: "this" });
    vi.setSystemTime(start + HOUR_MS + 11 * MINUTE_MS);
    await world.students.batch1.as.mutation(api.attendance.join, { sessionId: lateOne });
    expect((await world.students.batch1.as.query(api.successSessions.get, { sessionId: lateOne }))?.myAttendance).toBe("late");
    await expect(world.students.batch1.as.mutation(api.attendance.join, { sessionId: cancelled })).rejects.toMatchObject({
      data: { code: "FAILED_PRECONDITION", message: "This session was cancelled." },
    });
  });
});

describe("marking and the attendee list", () => {
  test("the mentor sees the whole audience, marks each status and corrects it later", async () => {
    const { t, world, start } = await setUp();
    const classmate = await seedUser(t, { roles: ["student"], name: "Zed Batch1" });
    await seedEnrollment(t, { studentId: classmate.userId, courseId: world.courseA.courseId, batchId: world.batch1 });
    const sessionId = await createSession(world, { startsAt: start + HOUR_MS });

    // Before the session only "excused" can be set.
    expect(
      await errorCodeOf(world.mentor.as.mutation(api.attendance.mark, { sessionId, studentId: classmate.userId, status: "present" })),
    ).toBe("FAILED_PRECONDITION");
    await world.mentor.as.mutation(api.attendance.mark, { sessionId, studentId: classmate.userId, status: "excused" });

    vi.setSystemTime(start + HOUR_MS + 2 * MINUTE_MS);
    await world.students.batch1.as.mutation(api.attendance.join, { sessionId });
    let roster = await world.mentor.as.query(api.attendance.roster, { sessionId });
    expect(roster.rows.map((row) => [row.name, row.status, row.inAudience])).toEqual([
      ["Ada Batch1", "present", true],
      ["Zed Batch1", "excused", true],
    ]);
    expect(roster.counts).toEqual({ present: 1, late: 0, excused: 1, absent: 0, unmarked: 0 });

    await world.mentor.as.mutation(api.attendance.mark, { sessionId, studentId: classmate.userId, status: "absent" });
    await world.mentor.as.mutation(api.attendance.mark, { sessionId, studentId: world.students.batch1.userId, status: "late" });
    roster = await world.mentor.as.query(api.attendance.roster, { sessionId });
    expect(roster.rows.map((row) => row.status)).toEqual(["late", "absent"]);

    // Leaving the batch later keeps the record and allows corrections.
    await t.run(async (ctx) => {
      const enrollment = (await ctx.db
        .query("enrollments")
        .withIndex("by_studentId_and_courseId", (q) => q.eq("studentId", classmate.userId).eq("courseId", world.courseA.courseId))
        .unique())!;
      await ctx.db.patch("enrollments", enrollment._id, { status: "cancelled" });
    });
    await world.admin.as.mutation(api.attendance.mark, { sessionId, studentId: classmate.userId, status: "excused" });
    roster = await world.mentor.as.query(api.attendance.roster, { sessionId });
    expect(roster.rows.map((row) => [row.name, row.status, row.inAudience])).toEqual([
      ["Ada Batch1", "late", true],
      ["Zed Batch1", "excused", false],
    ]);
  });
});

describe("attendance report", () => {
  test("per-session turnout and per-student percentage over sessions where attendance was taken", async () => {
    const { t, world, start } = await setUp();
    const classmate = await seedUser(t, { roles: ["student"], name: "Zed Batch1" });
    await seedEnrollment(t, { studentId: classmate.userId, courseId: world.courseA.courseId, batchId: world.batch1 });
    const ada = world.students.batch1;
    const first = await createSession(world, { title: "First", startsAt: start + HOUR_MS });
    const second = await createSession(world, { title: "Second", startsAt: start + DAY_MS });
    const third = await createSession(world, { title: "Third", startsAt: start + 2 * DAY_MS });
    await createSession(world, { title: "Nobody marked", startsAt: start + 3 * DAY_MS });
    const otherBatch = await createSession(world, { title: "Batch 2 session", batchId: world.batch2, startsAt: start + 4 * DAY_MS });
    const otherMentors = await createSession(world, {
      title: "Omar's unbatched session",
      batchId: null,
      startsAt: start + 5 * DAY_MS,
      mentorId: world.otherMentor.userId,
    });
    const at = async (time: number, action: () => Promise<unknown>) => {
      vi.setSystemTime(time);
      await action();
    };
    await at(start + HOUR_MS + MINUTE_MS, async () => {
      await ada.as.mutation(api.attendance.join, { sessionId: first });
      await classmate.as.mutation(api.attendance.join, { sessionId: first });
    });
    await at(start + DAY_MS + 20 * MINUTE_MS, async () => {
      await ada.as.mutation(api.attendance.join, { sessionId: second }); // late
      await world.mentor.as.mutation(api.attendance.mark, { sessionId: second, studentId: classmate.userId, status: "absent" });
    });
    await at(start + 2 * DAY_MS + MINUTE_MS, async () => {
      await world.mentor.as.mutation(api.attendance.mark, { sessionId: third, studentId: classmate.userId, status: "excused" });
      // Ada has no record for the third session: she counts as missing it.
    });
    await at(start + 4 * DAY_MS + MINUTE_MS, () =>
      world.mentor.as.mutation(api.attendance.mark, { sessionId: otherBatch, studentId: world.students.batch2.userId, status: "present" }),
    );
    await at(start + 5 * DAY_MS + MINUTE_MS, () =>
      world.otherMentor.as.mutation(api.attendance.mark, { sessionId: otherMentors, studentId: world.students.unbatched.userId, status: "present" }),
    );
    vi.setSystemTime(start + 10 * DAY_MS);

    const batchReport = await world.admin.as.query(api.attendance.report, { now: Date.now(), courseId: world.courseA.courseId, batchId: world.batch1 });
    expect(batchReport.sessions.map((session) => [session.title, session.present, session.late, session.excused, session.absent, session.expected, session.turnoutPercent])).toEqual([
      ["Third", 0, 0, 1, 0, 2, 0],
      ["Second", 0, 1, 0, 1, 2, 50],
      ["First", 2, 0, 0, 0, 2, 100],
    ]);
    expect(batchReport.students.map((row) => [row.name, row.sessionsCounted, row.attended, row.late, row.excused, row.missed, row.attendancePercent])).toEqual([
      ["Ada Batch1", 3, 2, 1, 0, 1, 66.7],
      ["Zed Batch1", 3, 1, 0, 1, 1, 50],
    ]);
    expect(batchReport.truncated).toBe(false);

    // The whole course, staff: every batch and the unbatched session.
    const courseReport = await world.enrollmentManager.as.query(api.attendance.report, { now: Date.now(), courseId: world.courseA.courseId });
    expect(courseReport.sessions.map((session) => session.title)).toEqual(["Omar's unbatched session", "Batch 2 session", "Third", "Second", "First"]);
    const unbatchedReport = await world.admin.as.query(api.attendance.report, { now: Date.now(), courseId: world.courseA.courseId, batchId: null });
    expect(unbatchedReport.sessions.map((session) => session.title)).toEqual(["Omar's unbatched session"]);

    // A mentor's report covers only their own sessions.
    const omar = await world.otherMentor.as.query(api.attendance.report, { now: Date.now() });
    expect(omar.sessions.map((session) => session.title)).toEqual(["Omar's unbatched session"]);
    expect(omar.students.map((row) => [row.name, row.attendancePercent])).toEqual([["Cy Unbatched", 100]]);

    // A date range narrows it.
    const firstDay = await world.admin.as.query(api.attendance.report, { now: Date.now(), courseId: world.courseA.courseId, from: start, to: start + DAY_MS });
    expect(firstDay.sessions.map((session) => session.title)).toEqual(["First"]);

    expect(await errorCodeOf(world.admin.as.query(api.attendance.report, { now: Date.now(), batchId: world.batch1 }))).toBe("INVALID_ARGUMENT");
    expect(await errorCodeOf(world.students.batch1.as.query(api.attendance.report, { now: Date.now() }))).toBe("FORBIDDEN");
  });
});

describe("attendance report: who is expected, and long ranges", () => {
  test("a student who enrolled after a session is not counted as missing it; cancelled sessions are left out", async () => {
    const { t, world, start } = await setUp();
    const ada = world.students.batch1;
    const early = await createSession(world, { title: "Before Nia enrolled", startsAt: start + HOUR_MS });
    const later = await createSession(world, { title: "After Nia enrolled", startsAt: start + 2 * DAY_MS });
    const cancelled = await createSession(world, { title: "Cancelled one", startsAt: start + 3 * DAY_MS });
    const newcomer = await seedUser(t, { roles: ["student"], name: "Nia Newcomer" });
    await seedEnrollment(t, { studentId: newcomer.userId, courseId: world.courseA.courseId, batchId: world.batch1, enrolledAt: start + DAY_MS });

    vi.setSystemTime(start + HOUR_MS + MINUTE_MS);
    await ada.as.mutation(api.attendance.join, { sessionId: early });
    vi.setSystemTime(start + 2 * DAY_MS + MINUTE_MS);
    await ada.as.mutation(api.attendance.join, { sessionId: later });
    await newcomer.as.mutation(api.attendance.join, { sessionId: later });
    vi.setSystemTime(start + 3 * DAY_MS - 5 * MINUTE_MS);
    await ada.as.mutation(api.attendance.join, { sessionId: cancelled });
    await world.admin.as.mutation(api.successSessions.cancel, { sessionId: cancelled, scope: "this" });
    vi.setSystemTime(start + 4 * DAY_MS);

    const report = await world.mentor.as.query(api.attendance.report, { now: Date.now(), courseId: world.courseA.courseId, batchId: world.batch1 });
    expect(report.sessions.map((session) => [session.title, session.expected, session.turnoutPercent])).toEqual([
      ["After Nia enrolled", 2, 100],
      ["Before Nia enrolled", 1, 100],
    ]);
    expect(report.students.map((row) => [row.name, row.sessionsCounted, row.missed, row.attendancePercent])).toEqual([
      ["Ada Batch1", 2, 0, 100],
      ["Nia Newcomer", 1, 0, 100],
    ]);
    expect(report).toMatchObject({ truncated: false, truncatedBefore: null });
  });

  test("a range with more sessions than one report covers says where it stopped", async () => {
    const { t, world, start } = await setUp();
    const ada = world.students.batch1;
    const sessionIds = await t.run(async (ctx) => {
      const ids = [];
      for (let index = 0; index < 101; index += 1) {
        ids.push(
          await ctx.db.insert("successSessions", {
            title: `Session ${index}`,
            description: "",
            courseId: world.courseA.courseId,
            batchId: world.batch1,
            mentorId: world.mentor.userId,
            startsAt: start - (101 - index) * DAY_MS,
            endsAt: start - (101 - index) * DAY_MS + HOUR_MS,
            timeZone: "Europe/Berlin",
            status: "completed",
            meetingUrl: "https://zoom.example.com/j/123",
            sequence: 0,
            createdBy: world.admin.userId,
          }),
        );
      }
      // Attendance at the oldest session (left out) and the newest one.
      for (const sessionId of [ids[0], ids[100]]) {
        await ctx.db.insert("successSessionAttendance", { sessionId, studentId: ada.userId, status: "present", joinedAt: start });
      }
      return ids;
    });
    const report = await world.admin.as.query(api.attendance.report, { now: Date.now(), courseId: world.courseA.courseId });
    expect(report.sessions.map((session) => session.sessionId)).toEqual([sessionIds[100]]);
    expect(report.truncated).toBe(true);
    expect(report.truncatedBefore).toBe(start - 100 * DAY_MS);
  });
});
