import { describe, expect, test } from "vitest";
import { api } from "./_generated/api";
import { errorCodeOf, newTest, seedCourse, seedEnrollment, seedUser, seedUserPerRole } from "../testing/convex";
import { insertCoachingSession, insertSuccessSession, patchDiscordSpace } from "./model/notifications/notifications.testkit";
import { DAY_MS, HOUR_MS } from "./model/time/units";
/** A fixed "now" passed as an argument: the query never reads the clock. */
const NOW = Date.UTC(2026, 11, 1, 12, 0);
const RANGE = { from: NOW - DAY_MS, to: NOW + 30 * DAY_MS, timeZone: "Europe/Berlin", now: NOW };

async function world() {
  const t = newTest();
  const student = await seedUser(t, { roles: ["student"], name: "Sam Student" });
  const otherStudent = await seedUser(t, { roles: ["student"], name: "Olga Other" });
  const mentor = await seedUser(t, { roles: ["mentor"], name: "Maya Mentor" });
  const coach = await seedUser(t, { roles: ["coach"], name: "Cora Coach" });
  const lecturer = await seedUser(t, { roles: ["lecturer"], name: "Leo Lecturer" });
  const course = await seedCourse(t, "Data Science", ["Batch 1", "Batch 2"]);
  await seedEnrollment(t, { studentId: student.userId, courseId: course.courseId, batchId: course.batchIds["Batch 1"] });
  await seedEnrollment(t, { studentId: otherStudent.userId, courseId: course.courseId, batchId: course.batchIds["Batch 2"] });
  return { t, student, otherStudent, mentor, coach, lecturer, course };
}

describe("schedule.mine", () => {
  test("a student gets their audience's success sessions, their coaching and their timed coded sessions, by start", async () => {
    const { t, student, mentor, coach, lecturer, course } = await world();
    await insertSuccessSession(t, { courseId: course.courseId, batchId: course.batchIds["Batch 1"], mentorId: mentor.userId, title: "Batch 1 review", startsAt: NOW + 3 * DAY_MS });
    await insertSuccessSession(t, { courseId: course.courseId, batchId: course.batchIds["Batch 2"], mentorId: mentor.userId, title: "Batch 2 review", startsAt: NOW + 2 * DAY_MS });
    await insertSuccessSession(t, { courseId: course.courseId, batchId: course.batchIds["Batch 1"], mentorId: mentor.userId, title: "Too late", startsAt: NOW + 40 * DAY_MS });
    await insertCoachingSession(t, { coachId: coach.userId, studentId: student.userId, startsAt: NOW + 1 * DAY_MS });
    const coded = await t.run(async (ctx) => {
      const sessionId = await ctx.db.insert("codedSessions", {
        title: "Live SQL lab",
        description: "",
        code: "ABC123",
        lecturerId: lecturer.userId,
        status: "open",
        createdAt: NOW - HOUR_MS,
        startsAt: NOW + 5 * DAY_MS,
        endsAt: NOW + 5 * DAY_MS + 2 * HOUR_MS,
        meetingUrl: "https://meet.example.com/sql",
      });
      await ctx.db.insert("codedSessionParticipants", { sessionId, userId: student.userId, joinedAt: NOW - HOUR_MS });
      // Joined, but no time: not time-bound, stays off the schedule.
      const untimed = await ctx.db.insert("codedSessions", {
        title: "Untimed",
        description: "",
        code: "ABC124",
        lecturerId: lecturer.userId,
        status: "open",
        createdAt: NOW - HOUR_MS,
      });
      await ctx.db.insert("codedSessionParticipants", { sessionId: untimed, userId: student.userId, joinedAt: NOW - HOUR_MS });
      return sessionId;
    });

    const schedule = await student.as.query(api.schedule.mine, RANGE);
    expect(schedule.truncated).toBe(false);
    expect(schedule.items.map((item) => [item.kind, item.role])).toEqual([
      ["coaching", "student"],
      ["success", "attendee"],
      ["coded", "participant"],
    ]);
    const [coaching, success, codedItem] = schedule.items;
    expect(coaching.kind === "coaching" && coaching.session.coach.name).toBe("Cora Coach");
    expect(success.kind === "success" && success.session.title).toBe("Batch 1 review");
    expect(codedItem.kind === "coded" && codedItem.session._id).toBe(coded);
    expect(codedItem.kind === "coded" && codedItem.session.meetingUrl).toBe("https://meet.example.com/sql");
    // The start's day on the viewer's wall clock.
    expect(success.localDay).toBe("2026-12-04");
  });

  test("a mentor sees the sessions they host, a coach their bookings, a lecturer the timed sessions they run", async () => {
    const { t, student, mentor, coach, lecturer, course } = await world();
    await insertSuccessSession(t, { courseId: course.courseId, batchId: course.batchIds["Batch 2"], mentorId: mentor.userId, title: "Hosted", startsAt: NOW + DAY_MS });
    await insertCoachingSession(t, { coachId: coach.userId, studentId: student.userId, startsAt: NOW + DAY_MS });
    const created = await lecturer.as.mutation(api.codedSessions.create, { title: "Lab", endsAt: Date.now() + 2 * HOUR_MS });

    const mentorItems = (await mentor.as.query(api.schedule.mine, RANGE)).items;
    expect(mentorItems.map((item) => [item.kind, item.role])).toEqual([["success", "host"]]);
    const coachItems = (await coach.as.query(api.schedule.mine, RANGE)).items;
    expect(coachItems.map((item) => [item.kind, item.role])).toEqual([["coaching", "coach"]]);
    const now = Date.now();
    const lecturerItems = (await lecturer.as.query(api.schedule.mine, { ...RANGE, from: now - DAY_MS, to: now + DAY_MS, now })).items;
    expect(lecturerItems.map((item) => [item.kind, item.role, item.kind === "coded" ? item.session._id : null])).toEqual([
      ["coded", "lecturer", created.sessionId],
    ]);
  });

  test("the answer depends on the arguments only: the same call gives the same answer", async () => {
    const { t, student, mentor, course } = await world();
    await insertSuccessSession(t, { courseId: course.courseId, batchId: course.batchIds["Batch 1"], mentorId: mentor.userId, startsAt: NOW + DAY_MS });
    const first = await student.as.query(api.schedule.mine, RANGE);
    const second = await student.as.query(api.schedule.mine, RANGE);
    expect(second).toEqual(first);
    const elsewhere = await student.as.query(api.schedule.mine, { ...RANGE, from: NOW + 10 * DAY_MS });
    expect(elsewhere.items).toEqual([]);
  });

  test("bad input gets INVALID_ARGUMENT", async () => {
    const { student } = await world();
    expect(await errorCodeOf(student.as.query(api.schedule.mine, { ...RANGE, to: RANGE.from + 63 * DAY_MS }))).toBe("INVALID_ARGUMENT");
    expect(await errorCodeOf(student.as.query(api.schedule.mine, { ...RANGE, from: RANGE.to + 1 }))).toBe("INVALID_ARGUMENT");
    expect(await errorCodeOf(student.as.query(api.schedule.mine, { ...RANGE, timeZone: "Mars/Olympus" }))).toBe("INVALID_ARGUMENT");
    // 62 days exactly is fine.
    await expect(student.as.query(api.schedule.mine, { ...RANGE, to: RANGE.from + 62 * DAY_MS })).resolves.toBeDefined();
  });

  test("anonymous callers get UNAUTHENTICATED", async () => {
    const { t } = await world();
    expect(await errorCodeOf(t.query(api.schedule.mine, RANGE))).toBe("UNAUTHENTICATED");
  });
});

describe("schedule.navigationFacts", () => {
  test("coaching access means active access to a product with an active coaching offer", async () => {
    const { t, student, otherStudent, coach } = await world();
    await insertCoachingSession(t, { coachId: coach.userId, studentId: student.userId });
    expect(await student.as.query(api.schedule.navigationFacts, {})).toEqual({ coachingAccess: false });
    await t.run(async (ctx) => {
      const offer = await ctx.db.query("coachingProducts").first();
      await ctx.db.insert("productAccess", { studentId: otherStudent.userId, productId: offer!.productId, status: "active", grantedAt: NOW });
    });
    expect(await otherStudent.as.query(api.schedule.navigationFacts, {})).toEqual({ coachingAccess: true });
  });
});

describe("staffOverview.get", () => {
  const day = { dayStart: NOW - 12 * HOUR_MS, dayEnd: NOW + 12 * HOUR_MS, now: NOW };

  test("admins, superadmins and enrollment managers may read it; other roles may not", async () => {
    const t = newTest();
    const users = await seedUserPerRole(t);
    for (const role of ["admin", "superadmin", "enrollment_manager"] as const) {
      await expect(users[role].as.query(api.staffOverview.get, day)).resolves.toBeDefined();
    }
    for (const role of ["student", "mentor", "coach", "lecturer"] as const) {
      expect(await errorCodeOf(users[role].as.query(api.staffOverview.get, day)), role).toBe("FORBIDDEN");
    }
  });

  test("counts today's sessions per kind, live ones, what starts soon and what needs a person", async () => {
    const { t, student, mentor, coach, course } = await world();
    const admin = await seedUser(t, { roles: ["admin"] });
    const enrollmentManager = await seedUser(t, { roles: ["enrollment_manager"] });
    const goneMentor = await seedUser(t, { roles: ["mentor"], name: "Gone Mentor" });
    await t.run((ctx) => ctx.db.patch("users", goneMentor.userId, { active: false }));
    await insertSuccessSession(t, { courseId: course.courseId, batchId: null, mentorId: mentor.userId, title: "Live one", startsAt: NOW - 10 * 60_000, status: "live" });
    await insertSuccessSession(t, { courseId: course.courseId, batchId: null, mentorId: mentor.userId, title: "Soon", startsAt: NOW + 30 * 60_000 });
    await insertSuccessSession(t, { courseId: course.courseId, batchId: null, mentorId: goneMentor.userId, title: "Orphan", startsAt: NOW + 3 * DAY_MS });
    const failed = await insertCoachingSession(t, { coachId: coach.userId, studentId: student.userId, startsAt: NOW + 2 * HOUR_MS });
    await patchDiscordSpace(t, failed, { state: "failed" });

    const overview = await admin.as.query(api.staffOverview.get, day);
    expect(overview.today).toMatchObject({ successSessions: 2, coachingSessions: 1, liveSuccessSessions: 1, coachingInProgress: 0 });
    expect(overview.today.startingSoon.map((item) => item.title)).toEqual(["Soon"]);
    expect(overview.needsAttention.discord).toEqual({ failed: 1, waitingForCapacity: 0 });
    expect(overview.needsAttention.emails).not.toBeNull();
    expect(overview.needsAttention.sessionsWithoutMentor.map((session) => session.title)).toEqual(["Orphan"]);

    // Enrollment managers do not manage Discord or the outbox: those parts are left out.
    const forManager = await enrollmentManager.as.query(api.staffOverview.get, day);
    expect(forManager.needsAttention.discord).toBeNull();
    expect(forManager.needsAttention.emails).toBeNull();
  });

  test("counts stop at the cap", async () => {
    const { t, mentor, course } = await world();
    const admin = await seedUser(t, { roles: ["admin"] });
    for (let index = 0; index < 105; index += 1) {
      await insertSuccessSession(t, { courseId: course.courseId, batchId: null, mentorId: mentor.userId, startsAt: NOW + index * 60_000 });
    }
    const overview = await admin.as.query(api.staffOverview.get, day);
    expect(overview.today.successSessions).toBe(overview.countCap);
    expect(overview.countCap).toBe(100);
  });

  test("a day that is not one day long gets INVALID_ARGUMENT", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    expect(await errorCodeOf(admin.as.query(api.staffOverview.get, { dayStart: NOW, dayEnd: NOW + 3 * DAY_MS, now: NOW }))).toBe("INVALID_ARGUMENT");
  });
});

describe("coded sessions: meeting link and instructions", () => {
  test("the lecturer's link and instructions reach participants; a bad link is refused and nothing is written", async () => {
    const { t, student, lecturer } = await world();
    expect(await errorCodeOf(lecturer.as.mutation(api.codedSessions.create, { title: "Lab", meetingUrl: "zoom dot com" }))).toBe("INVALID_ARGUMENT");
    expect(
      await errorCodeOf(
        lecturer.as.mutation(api.codedSessions.create, { title: "Lab", startsAt: Date.now() + 3 * HOUR_MS, endsAt: Date.now() + 2 * HOUR_MS }),
      ),
    ).toBe("INVALID_ARGUMENT");
    expect(await t.run(async (ctx) => (await ctx.db.query("codedSessions").take(10)).length)).toBe(0);

    const { code, sessionId } = await lecturer.as.mutation(api.codedSessions.create, {
      title: "Lab",
      meetingUrl: " https://meet.example.com/lab ",
      instructions: "Bring a laptop.",
      startsAt: Date.now() + HOUR_MS,
      endsAt: Date.now() + 3 * HOUR_MS,
    });
    await student.as.mutation(api.codedSessions.joinByCode, { code });
    const page = await student.as.query(api.codedSessions.get, { sessionId });
    expect(page).toMatchObject({ meetingUrl: "https://meet.example.com/lab", instructions: "Bring a laptop.", lecturerName: "Leo Lecturer" });
    expect(page?.startsAt).toBeTypeOf("number");
    expect(page?.code).toBeUndefined();
  });
});
