import { afterEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { newTest, seedEnrollment, seedUser, type TestBackend } from "../testing/convex";
import { checklistWorld, createSession, type ChecklistWorld } from "./model/successSessions/fixtures.testing";
import { ATTENDANCE_SUMMARY_EVENT } from "./model/notifications/attendanceSummary";
import { HOUR_MS, MINUTE_MS } from "./model/time/units";

/** Attendance summaries for mentors (issue 13 point 7, seed 001). */

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

async function summaries(t: TestBackend) {
  return await t.run((ctx) =>
    ctx.db
      .query("emailOutbox")
      .collect()
      .then((rows) => rows.filter((row) => row.event === ATTENDANCE_SUMMARY_EVENT)),
  );
}

/** A session of Course A / Batch 1 with Ada on time, Lu late and Zed absent, run to its end. */
async function sessionWithAttendance(t: TestBackend, world: ChecklistWorld, start: number) {
  const late = await seedUser(t, { roles: ["student"], name: "Lu Late" });
  const absent = await seedUser(t, { roles: ["student"], name: "Zed Absent" });
  for (const student of [late, absent]) {
    await seedEnrollment(t, { studentId: student.userId, courseId: world.courseA.courseId, batchId: world.batch1 });
  }
  const sessionId = await createSession(world, { title: "Sprint review", startsAt: start + HOUR_MS, endsAt: start + 2 * HOUR_MS });
  vi.setSystemTime(start + HOUR_MS - 5 * MINUTE_MS);
  await world.students.batch1.as.mutation(api.attendance.join, { sessionId });
  vi.setSystemTime(start + HOUR_MS + 20 * MINUTE_MS);
  await late.as.mutation(api.attendance.join, { sessionId });
  vi.setSystemTime(start + 2 * HOUR_MS);
  return sessionId;
}

async function complete(t: TestBackend, sessionId: Id<"successSessions">, endsAt: number) {
  await t.mutation(internal.successSessions.markCompleted, { sessionId, endsAt });
}

describe("attendance summary to the mentor", () => {
  test("when the session completes its mentor gets one email naming who attended, who was late and who was absent, with a link to the report", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.stubEnv("SITE_URL", "https://hub.example");
    const t = newTest();
    const world = await checklistWorld(t);
    const start = Date.now();
    const sessionId = await sessionWithAttendance(t, world, start);
    expect(await summaries(t)).toEqual([]);

    await complete(t, sessionId, start + 2 * HOUR_MS);
    const [email, ...others] = await summaries(t);
    expect(others).toEqual([]);
    expect(email!.recipientUserId).toBe(world.mentor.userId);
    expect(email!.subject).toBe("Attendance: Sprint review");
    expect(email!.text).toContain("Attended on time (1): Ada Batch1");
    expect(email!.text).toContain("Late (1): Lu Late");
    expect(email!.text).toContain("Absent (1): Zed Absent");
    expect(email!.text).toContain("https://hub.example/teach/attendance");
    expect(email!.html).toContain("Zed Absent");

    // The completion job running twice (a retry) sends nothing new.
    await complete(t, sessionId, start + 2 * HOUR_MS);
    await t.run((ctx) => ctx.db.patch("successSessions", sessionId, { status: "live" }));
    await complete(t, sessionId, start + 2 * HOUR_MS);
    expect(await summaries(t)).toHaveLength(1);
  });

  test("a mentor who turned the summaries off on their profile gets none; turning them on again restores them", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t = newTest();
    const world = await checklistWorld(t);
    expect(await world.mentor.as.query(api.emailPreferences.mine, {})).toEqual({ attendanceSummaries: true, hostsSessions: true });
    await world.mentor.as.mutation(api.emailPreferences.setAttendanceSummaries, { enabled: false });
    expect(await world.mentor.as.query(api.emailPreferences.mine, {})).toEqual({ attendanceSummaries: false, hostsSessions: true });

    const start = Date.now();
    const first = await sessionWithAttendance(t, world, start);
    await complete(t, first, start + 2 * HOUR_MS);
    expect(await summaries(t)).toEqual([]);

    await world.mentor.as.mutation(api.emailPreferences.setAttendanceSummaries, { enabled: true });
    const second = await createSession(world, { title: "Retro", startsAt: start + 3 * HOUR_MS, endsAt: start + 4 * HOUR_MS });
    vi.setSystemTime(start + 4 * HOUR_MS);
    await complete(t, second, start + 4 * HOUR_MS);
    expect((await summaries(t)).map((email) => email.subject)).toEqual(["Attendance: Retro"]);
  });

  test("a student's preference switch changes only their own profile", async () => {
    const t = newTest();
    const student = await seedUser(t, { roles: ["student"] });
    const mentor = await seedUser(t, { roles: ["mentor"] });
    expect(await student.as.query(api.emailPreferences.mine, {})).toEqual({ attendanceSummaries: true, hostsSessions: false });
    await student.as.mutation(api.emailPreferences.setAttendanceSummaries, { enabled: false });
    expect(await mentor.as.query(api.emailPreferences.mine, {})).toMatchObject({ attendanceSummaries: true });
    await expect(t.query(api.emailPreferences.mine, {})).rejects.toMatchObject({ data: { code: "UNAUTHENTICATED" } });
  });
});
