import { afterEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { errorCodeOf, newTest, seedCourse, seedEnrollment, seedUser, type TestBackend } from "../testing/convex";
import { checklistWorld, type ChecklistWorld, createSession, createWeeklySeries, emailsAfterNotices } from "./model/successSessions/fixtures.testing";
import { personaTokenIdentifier } from "./model/users/personas";
import { localDateTime } from "./model/time/localDates";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./model/time/units";
const page = (numItems = 50) => ({ numItems, cursor: null });

afterEach(() => {
  vi.useRealTimers();
});

/** Everything a user could learn about sessions through the read functions, as the ids they return. */
async function visibleThroughLists(world: ChecklistWorld, who: keyof ChecklistWorld["students"] | "mentor" | "otherMentor" | "admin" | "enrollmentManager" | "superadmin") {
  if (who === "mentor" || who === "otherMentor") {
    const result = await world[who].as.query(api.successSessions.listForMentor, { now: Date.now(), timeframe: "upcoming", paginationOpts: page() });
    return result.page.map((session) => session._id);
  }
  if (who === "admin" || who === "enrollmentManager" || who === "superadmin") {
    const result = await world[who].as.query(api.successSessions.listForStaff, { paginationOpts: page() });
    return result.page.map((session) => session._id);
  }
  const result = await world.students[who].as.query(api.successSessions.listForStudent, { now: Date.now(), timeframe: "upcoming", paginationOpts: page() });
  return result.page.map((session) => session._id);
}

async function countRows(t: TestBackend) {
  return await t.run(async (ctx) => ({
    sessions: (await ctx.db.query("successSessions").collect()).length,
    series: (await ctx.db.query("successSessionSeries").collect()).length,
    jobs: (await ctx.db.system.query("_scheduled_functions").collect()).length,
  }));
}

describe("the scheduling checklist", () => {
  async function setUp() {
    const t = newTest();
    const world = await checklistWorld(t);
    const batchSession = await createSession(world, { title: "Course A Batch 1", batchId: world.batch1, startsAt: Date.now() + 2 * HOUR_MS });
    const unbatchedSession = await createSession(world, { title: "Course A unbatched", batchId: null, startsAt: Date.now() + 4 * HOUR_MS });
    return { t, world, batchSession, unbatchedSession };
  }

  const expectations = {
    batch1: ["batch"],
    unbatched: ["unbatched"],
    batch2: [],
    courseB: [],
    courseBUnbatched: [],
    paused: [],
    cancelled: [],
    completed: [],
    mentor: ["batch", "unbatched"],
    otherMentor: [],
    admin: ["batch", "unbatched"],
    enrollmentManager: ["batch", "unbatched"],
    superadmin: ["batch", "unbatched"],
  } as const;

  test("list queries show each session to exactly its audience, its mentor and staff", async () => {
    const { world, batchSession, unbatchedSession } = await setUp();
    const ids = { batch: batchSession, unbatched: unbatchedSession };
    for (const [who, expected] of Object.entries(expectations)) {
      const seen = await visibleThroughLists(world, who as keyof typeof expectations);
      expect(seen, who).toEqual(expected.map((key) => ids[key]));
    }
  });

  test("get by id answers null for a session the caller may not see, exactly as for a missing id", async () => {
    const { t, world, batchSession, unbatchedSession } = await setUp();
    const missing = await createSession(world, { title: "Deleted", startsAt: Date.now() + 3 * DAY_MS });
    await t.run((ctx) => ctx.db.delete("successSessions", missing));
    const ids = { batch: batchSession, unbatched: unbatchedSession };
    for (const [who, expected] of Object.entries(expectations)) {
      const caller = who in world.students ? world.students[who as keyof ChecklistWorld["students"]] : world[who as "mentor"];
      for (const key of ["batch", "unbatched"] as const) {
        const result = await caller.as.query(api.successSessions.get, { sessionId: ids[key] });
        if ((expected as readonly string[]).includes(key)) expect(result?._id, `${who} / ${key}`).toBe(ids[key]);
        else expect(result, `${who} / ${key}`).toBeNull();
      }
      expect(await caller.as.query(api.successSessions.get, { sessionId: missing })).toBeNull();
    }
  });

  test("join works only for students who may see the session; others get NOT_FOUND as for a missing id", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { world, batchSession, unbatchedSession } = await setUp();
    const ids = { batch: batchSession, unbatched: unbatchedSession };
    const created = Date.now();
    const startOffsets = { batch: 2 * HOUR_MS, unbatched: 4 * HOUR_MS };
    for (const who of Object.keys(world.students) as (keyof ChecklistWorld["students"])[]) {
      const expected: readonly string[] = expectations[who];
      for (const key of ["batch", "unbatched"] as const) {
        vi.setSystemTime(created + startOffsets[key] + MINUTE_MS); // the session is running
        const call = world.students[who].as.mutation(api.attendance.join, { sessionId: ids[key] });
        if (expected.includes(key)) expect((await call).recorded, `${who} / ${key}`).toBe(true);
        else expect(await errorCodeOf(call), `${who} / ${key}`).toBe("NOT_FOUND");
      }
    }
    vi.setSystemTime(created + startOffsets.batch + MINUTE_MS);
    expect(await errorCodeOf(world.otherMentor.as.mutation(api.attendance.join, { sessionId: batchSession }))).toBe("NOT_FOUND");
    // The assigned mentor and staff get the link but are not recorded as attendees.
    expect(await world.mentor.as.mutation(api.attendance.join, { sessionId: batchSession })).toEqual({
      meetingUrl: "https://zoom.example.com/j/123",
      recorded: false,
    });
  });

  test("attendance: the assigned mentor and staff mark it, another mentor gets NOT_FOUND, students cannot", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { world, batchSession } = await setUp();
    vi.setSystemTime(Date.now() + 2 * HOUR_MS + MINUTE_MS);
    const studentId = world.students.batch1.userId;
    await world.mentor.as.mutation(api.attendance.mark, { sessionId: batchSession, studentId, status: "present" });
    await world.enrollmentManager.as.mutation(api.attendance.mark, { sessionId: batchSession, studentId, status: "late" });
    expect(
      await errorCodeOf(world.otherMentor.as.mutation(api.attendance.mark, { sessionId: batchSession, studentId, status: "absent" })),
    ).toBe("NOT_FOUND");
    expect(await errorCodeOf(world.otherMentor.as.query(api.attendance.roster, { sessionId: batchSession }))).toBe("NOT_FOUND");
    // A student of the audience sees the session but may not manage it; other students cannot tell it exists.
    expect(
      await errorCodeOf(world.students.batch1.as.mutation(api.attendance.mark, { sessionId: batchSession, studentId, status: "present" })),
    ).toBe("FORBIDDEN");
    for (const who of ["batch2", "unbatched", "courseB", "paused", "cancelled"] as const) {
      expect(await errorCodeOf(world.students[who].as.query(api.attendance.roster, { sessionId: batchSession })), who).toBe("NOT_FOUND");
    }
    const roster = await world.mentor.as.query(api.attendance.roster, { sessionId: batchSession });
    expect(roster.rows.map((row) => [row.name, row.status])).toEqual([["Ada Batch1", "late"]]);
    // Students outside the audience (paused enrollment, other batch) cannot be marked.
    expect(
      await errorCodeOf(
        world.mentor.as.mutation(api.attendance.mark, { sessionId: batchSession, studentId: world.students.paused.userId, status: "present" }),
      ),
    ).toBe("INVALID_ARGUMENT");
    expect(
      await errorCodeOf(
        world.mentor.as.mutation(api.attendance.mark, { sessionId: batchSession, studentId: world.students.batch2.userId, status: "present" }),
      ),
    ).toBe("INVALID_ARGUMENT");
  });

  test("a student whose enrollment is paused or moved to another batch stops seeing the session", async () => {
    const { t, world, batchSession } = await setUp();
    const student = world.students.batch1;
    expect(await student.as.query(api.successSessions.get, { sessionId: batchSession })).not.toBeNull();
    const enrollment = await t.run(
      async (ctx) =>
        (await ctx.db
          .query("enrollments")
          .withIndex("by_studentId_and_courseId", (q) => q.eq("studentId", student.userId).eq("courseId", world.courseA.courseId))
          .unique())!,
    );
    await t.run((ctx) => ctx.db.patch("enrollments", enrollment._id, { status: "paused" }));
    expect(await student.as.query(api.successSessions.get, { sessionId: batchSession })).toBeNull();
    expect(await visibleThroughLists(world, "batch1")).toEqual([]);
    await t.run((ctx) => ctx.db.patch("enrollments", enrollment._id, { status: "active", batchId: world.batch2 }));
    expect(await student.as.query(api.successSessions.get, { sessionId: batchSession })).toBeNull();
    await t.run((ctx) => ctx.db.patch("enrollments", enrollment._id, { batchId: world.batch1 }));
    expect(await student.as.query(api.successSessions.get, { sessionId: batchSession })).not.toBeNull();
  });
});

describe("meeting details never reach someone who may not see the session", () => {
  test("link, Zoom id, passcode and recording appear in no answer to outsiders", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t = newTest();
    const world = await checklistWorld(t);
    const secrets = {
      meetingUrl: "https://zoom.example.com/j/SECRET-LINK-7781",
      zoomMeetingId: "SECRET-ID-5512",
      zoomPasscode: "SECRET-PASSCODE-9932",
      recordingUrl: "https://video.example.com/SECRET-RECORDING-4410",
    };
    const sessionId = await createSession(world, { ...secrets, startsAt: Date.now() + HOUR_MS });
    vi.setSystemTime(Date.now() + HOUR_MS + 5 * MINUTE_MS);
    await world.students.batch1.as.mutation(api.attendance.join, { sessionId });

    const outsiders = [
      world.students.batch2,
      world.students.unbatched,
      world.students.courseB,
      world.students.paused,
      world.students.cancelled,
      world.otherMentor,
    ];
    const answers: unknown[] = [];
    const capture = async (call: Promise<unknown>) => {
      try {
        answers.push(await call);
      } catch (error) {
        answers.push((error as { data?: unknown }).data ?? String(error));
      }
    };
    for (const outsider of outsiders) {
      await capture(outsider.as.query(api.successSessions.get, { sessionId }));
      for (const timeframe of ["upcoming", "past"] as const) {
        await capture(outsider.as.query(api.successSessions.listForStudent, { now: Date.now(), timeframe, paginationOpts: page() }));
      }
      await capture(outsider.as.mutation(api.attendance.join, { sessionId }));
      await capture(outsider.as.query(api.attendance.roster, { sessionId }));
      await capture(outsider.as.query(api.attendance.report, { now: Date.now() }));
      await capture(outsider.as.mutation(api.successSessions.setRecording, { sessionId, recordingUrl: null }));
    }
    await capture(world.otherMentor.as.query(api.successSessions.listForMentor, { now: Date.now(), timeframe: "upcoming", paginationOpts: page() }));
    const everything = JSON.stringify(answers);
    for (const secret of Object.values(secrets)) expect(everything).not.toContain(secret);

    // …while the audience does get them.
    const seen = JSON.stringify(await world.students.batch1.as.query(api.successSessions.get, { sessionId }));
    for (const secret of Object.values(secrets)) expect(seen).toContain(secret);
    // Nothing was changed by the refused calls.
    expect((await world.admin.as.query(api.successSessions.get, { sessionId }))?.recordingUrl).toBe(secrets.recordingUrl);
  });
});

describe("bad input is refused with a clear error and nothing is written", () => {
  test.each([
    ["a batch of another course", (w: ChecklistWorld) => ({ batchId: w.courseB.batchIds["Batch 1"] }), "INVALID_ARGUMENT", /another course/],
    ["an end before the start", () => ({ startsAt: Date.now() + DAY_MS, endsAt: Date.now() + DAY_MS - HOUR_MS }), "INVALID_ARGUMENT", /end must be after/],
    ["an end equal to the start", () => ({ startsAt: Date.now() + DAY_MS, endsAt: Date.now() + DAY_MS }), "INVALID_ARGUMENT", /end must be after/],
    ["a meeting link that is not a URL", () => ({ meetingUrl: "zoom meeting 123" }), "INVALID_ARGUMENT", /Meeting link/],
    ["a meeting link that is not http(s)", () => ({ meetingUrl: "javascript:alert(1)" }), "INVALID_ARGUMENT", /Meeting link/],
    ["a student as mentor", (w: ChecklistWorld) => ({ mentorId: w.students.batch1.userId }), "INVALID_ARGUMENT", /not an active mentor/],
    ["an unknown time zone", () => ({ timeZone: "Mars/Olympus" }), "INVALID_ARGUMENT", /time zone/],
    ["an empty title", () => ({ title: "   " }), "INVALID_ARGUMENT", /Title is required/],
    ["a session in the past", () => ({ startsAt: Date.now() - 2 * HOUR_MS }), "INVALID_ARGUMENT", /past/],
    ["a 13-hour session", () => ({ startsAt: Date.now() + DAY_MS, endsAt: Date.now() + DAY_MS + 13 * HOUR_MS }), "INVALID_ARGUMENT", /at most 12 hours/],
  ])("%s", async (_label, overrides, code, message) => {
    const t = newTest();
    const world = await checklistWorld(t);
    const before = await countRows(t);
    let caught: { data?: { code: string; message: string } } | undefined;
    try {
      await createSession(world, overrides(world));
    } catch (error) {
      caught = error as typeof caught;
    }
    expect(caught?.data?.code).toBe(code);
    expect(caught?.data?.message).toMatch(message);
    expect(await countRows(t)).toEqual(before);
  });

  test("an unknown mentor (deleted user) and a deactivated mentor are refused", async () => {
    const t = newTest();
    const world = await checklistWorld(t);
    const ghost = await seedUser(t, { roles: ["mentor"] });
    await t.run((ctx) => ctx.db.delete("users", ghost.userId));
    expect(await errorCodeOf(createSession(world, { mentorId: ghost.userId }))).toBe("INVALID_ARGUMENT");
    await t.run((ctx) => ctx.db.patch("users", world.otherMentor.userId, { active: false }));
    expect(await errorCodeOf(createSession(world, { mentorId: world.otherMentor.userId }))).toBe("INVALID_ARGUMENT");
    expect((await countRows(t)).sessions).toBe(0);
  });

  test("a bad edit changes nothing, and an archived batch of the course is accepted", async () => {
    const t = newTest();
    const world = await checklistWorld(t);
    const sessionId = await createSession(world);
    const before = await t.run((ctx) => ctx.db.get("successSessions", sessionId));
    for (const change of [
      { batchId: world.courseB.batchIds["Batch 1"] },
      { endsAt: before!.startsAt - MINUTE_MS },
      { meetingUrl: "not a link" },
      { mentorId: world.students.batch1.userId },
    ]) {
      expect(await errorCodeOf(world.admin.as.mutation(api.successSessions.update, { sessionId, scope: "this", ...change }))).toBe(
        "INVALID_ARGUMENT",
      );
    }
    expect(await t.run((ctx) => ctx.db.get("successSessions", sessionId))).toEqual(before);

    const archived = await seedCourse(t, "Course C", ["Old batch"], ["Old batch"]);
    await world.admin.as.mutation(api.successSessions.update, {
      sessionId,
      scope: "this",
      courseId: archived.courseId,
      batchId: archived.batchIds["Old batch"],
    });
    expect((await world.admin.as.query(api.successSessions.get, { sessionId }))?.batchName).toBe("Old batch");
  });
});

describe("recurring series", () => {
  /** The checklist world with a fake clock at 2025-01-01, so the DST dates of 2025 lie in the future. */
  async function worldOnNewYear2025() {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.UTC(2025, 0, 1));
    return await checklistWorld(newTest());
  }

  /** Each session's local [month, day, hour] in `timeZone`. */
  const localMonthDayHour = (sessions: { startsAt: number }[], timeZone: string) =>
    sessions.map((session) => localDateTime(session.startsAt, timeZone)).map((local) => [local.month, local.day, local.hours]);

  async function createSeries(
    world: ChecklistWorld,
    firstStart: number,
    timeZone: string,
    frequency: "weekly" | "every_two_weeks" | "monthly_weekday" | "monthly_last_day",
    occurrences: number,
    extra: { mentorId?: Id<"users"> } = {},
  ) {
    const result = await world.admin.as.mutation(api.successSessions.create, {
      title: "Series",
      courseId: world.courseA.courseId,
      batchId: world.batch1,
      mentorId: extra.mentorId ?? world.mentor.userId,
      startsAt: firstStart,
      timeZone,
      meetingUrl: "https://zoom.example.com/j/1",
      recurrence: { frequency, occurrences },
    });
    const sessions = await world.admin.as.query(api.successSessions.listForStaff, { paginationOpts: page(100) });
    return { result, sessions: sessions.page.filter((session) => result.sessionIds.includes(session._id)) };
  }

  test.each([
    // [zone, first local start as UTC instant, expected local hour:minute]
    ["America/New_York", "March", Date.UTC(2025, 1, 23, 23, 30), 18, 30], // Sun 23 Feb 18:30 EST → across 9 Mar
    ["America/New_York", "November", Date.UTC(2025, 9, 19, 22, 30), 18, 30], // Sun 19 Oct 18:30 EDT → across 2 Nov
    ["Europe/Berlin", "March", Date.UTC(2025, 2, 16, 17, 0), 18, 0], // Sun 16 Mar 18:00 CET → across 30 Mar
    ["Europe/Berlin", "October/November", Date.UTC(2025, 9, 12, 16, 0), 18, 0], // Sun 12 Oct 18:00 CEST → across 26 Oct, into Nov
  ])("weekly in %s across the %s change keeps the local start time", async (zone, _label, firstStart, hour, minute) => {
    const world = await worldOnNewYear2025();
    const { sessions } = await createSeries(world, firstStart, zone, "weekly", 6);
    expect(sessions).toHaveLength(6);
    const locals = sessions.map((session) => localDateTime(session.startsAt, zone));
    for (const local of locals) {
      expect([local.hours, local.minutes, local.weekday]).toEqual([hour, minute, 0]);
    }
    // The UTC offset really changed inside the series (otherwise the test would prove nothing).
    const utcHours = new Set(sessions.map((session) => new Date(session.startsAt).getUTCHours()));
    expect(utcHours.size).toBe(2);
    // Consecutive Sundays.
    for (let index = 1; index < locals.length; index += 1) {
      const previous = Date.UTC(locals[index - 1].year, locals[index - 1].month - 1, locals[index - 1].day);
      expect(Date.UTC(locals[index].year, locals[index].month - 1, locals[index].day) - previous).toBe(7 * DAY_MS);
    }
    expect(sessions.every((session) => session.endsAt - session.startsAt === HOUR_MS)).toBe(true);
  });

  test.each([
    // [zone, first start (a Sunday 01:30 local, before the fall-back night), the fall-back night's first 01:30 in UTC]
    ["Europe/London", Date.UTC(2025, 9, 12, 0, 30), Date.UTC(2025, 9, 26, 0, 30)], // 01:30 BST, not 01:30 GMT (01:30Z)
    ["America/New_York", Date.UTC(2025, 9, 19, 5, 30), Date.UTC(2025, 10, 2, 5, 30)], // 01:30 EDT, not 01:30 EST (06:30Z)
  ])("weekly at 01:30 in %s: on the fall-back night the session is at the first 01:30 (RFC 5545)", async (zone, firstStart, foldStart) => {
    const world = await worldOnNewYear2025();
    const { sessions } = await createSeries(world, firstStart, zone, "weekly", 4);
    expect(sessions.map((session) => session.startsAt)).toContain(foldStart);
    for (const session of sessions) expect(localDateTime(session.startsAt, zone)).toMatchObject({ hours: 1, minutes: 30 });
  });

  test.each([
    // [what, zone, first start, frequency, expected local [month, day, hour] of each occurrence]
    ["every two weeks across the New York March change keeps the local time", "America/New_York", Date.UTC(2025, 1, 25, 14, 0), "every_two_weeks", [[2, 25, 9], [3, 11, 9], [3, 25, 9]]],
    ["monthly on the last day gives Jan 31, Feb 28, Mar 31, Apr 30", "Europe/Berlin", Date.UTC(2025, 0, 31, 9, 0), "monthly_last_day", [[1, 31, 10], [2, 28, 10], [3, 31, 10], [4, 30, 10]]],
  ] as const)("%s", async (_what, zone, firstStart, frequency, expected) => {
    const world = await worldOnNewYear2025();
    const { sessions } = await createSeries(world, firstStart, zone, frequency, expected.length);
    expect(localMonthDayHour(sessions, zone)).toEqual(expected);
  });

  test("monthly on the last day gives Feb 29 in a leap year, and refuses a first date that is not a month's last", async () => {
    const world = await worldOnNewYear2025();
    const leap = await createSeries(world, Date.UTC(2028, 0, 31, 9, 0), "Europe/Berlin", "monthly_last_day", 3);
    expect(leap.sessions.map((session) => localDateTime(session.startsAt, "Europe/Berlin").day)).toEqual([31, 29, 31]);
    expect(
      await errorCodeOf(createSeries(world, Date.UTC(2025, 0, 30, 9, 0), "Europe/Berlin", "monthly_last_day", 3)),
    ).toBe("INVALID_ARGUMENT");
  });

  test("monthly on the same weekday: the 2nd Tuesday, and a 5th weekday becomes the last one", async () => {
    const world = await worldOnNewYear2025();
    // Tue 14 Jan 2025 is the 2nd Tuesday → 11 Feb, 11 Mar, 8 Apr.
    const second = await createSeries(world, Date.UTC(2025, 0, 14, 15, 0), "Europe/Berlin", "monthly_weekday", 4);
    expect(second.sessions.map((session) => localDateTime(session.startsAt, "Europe/Berlin")).map((local) => [local.month, local.day, local.weekday, local.hours])).toEqual([
      [1, 14, 2, 16],
      [2, 11, 2, 16],
      [3, 11, 2, 16],
      [4, 8, 2, 16],
    ]);
    // Wed 29 Jan 2025 is the 5th (last) Wednesday → 26 Feb, 26 Mar, 30 Apr.
    const last = await createSeries(world, Date.UTC(2025, 0, 29, 15, 0), "Europe/Berlin", "monthly_weekday", 4, {
      mentorId: world.otherMentor.userId,
    });
    expect(last.sessions.map((session) => localDateTime(session.startsAt, "Europe/Berlin").day)).toEqual([29, 26, 26, 30]);
  });

  test("52 occurrences are accepted; 53 are refused and nothing is written", async () => {
    const t = newTest();
    const world = await checklistWorld(t);
    const before = await countRows(t);
    const refused = createSeries(world, Date.now() + DAY_MS, "UTC", "weekly", 53);
    await expect(refused).rejects.toMatchObject({ data: { code: "INVALID_ARGUMENT", message: expect.stringMatching(/at most 52/) } });
    expect(await countRows(t)).toEqual(before);
    const { result: { sessionIds, seriesId } } = await createSeries(world, Date.now() + DAY_MS, "UTC", "weekly", 52);
    expect(sessionIds).toHaveLength(52);
    expect(seriesId).not.toBeNull();
  });

  test("a mentor clash in the 10th occurrence is reported with the clashing session, and nothing is written", async () => {
    const t = newTest();
    const world = await checklistWorld(t);
    const firstStart = Date.now() + DAY_MS;
    const tenth = firstStart + 9 * 7 * DAY_MS;
    const clashing = await createSession(world, {
      title: "Data Science clinic",
      courseId: world.courseB.courseId,
      batchId: null,
      startsAt: tenth + 30 * MINUTE_MS,
      timeZone: "UTC",
    });
    const before = await countRows(t);
    let data: { code: string; message: string; details: { clashes: Record<string, unknown>[] } } | undefined;
    try {
      await createSeries(world, firstStart, "UTC", "weekly", 12);
    } catch (error) {
      data = (error as { data: typeof data }).data;
    }
    expect(data?.code).toBe("CONFLICT");
    expect(data?.message).toMatch(/Maya Mentor is already booked/);
    expect(data?.message).toMatch(/Occurrence 10 .*Data Science clinic/);
    expect(data?.details.clashes).toEqual([
      expect.objectContaining({ occurrence: 10, occurrenceStartsAt: tenth, sessionId: clashing, title: "Data Science clinic" }),
    ]);
    expect(await countRows(t)).toEqual(before);
    // Another mentor is free then; a cancelled session does not block.
    await createSeries(world, firstStart, "UTC", "weekly", 12, { mentorId: world.otherMentor.userId });
    await world.admin.as.mutation(api.successSessions.cancel, { sessionId: clashing, scope: "this" });
    const { result } = await createSeries(world, firstStart, "UTC", "weekly", 12);
    expect(result.sessionIds).toHaveLength(12);
  });

  test("“this occurrence” changes one; “this and following” moves the rest to the new local time across DST", async () => {
    const world = await worldOnNewYear2025();
    // Sundays 18:00 New York from 23 Feb 2025 (before the 9 Mar change).
    const { result } = await createSeries(world, Date.UTC(2025, 1, 23, 23, 0), "America/New_York", "weekly", 5);
    const [first, second, third, fourth, fifth] = result.sessionIds;
    await world.admin.as.mutation(api.successSessions.update, { sessionId: second, scope: "this", title: "Special guest" });
    const thirdBefore = (await world.admin.as.query(api.successSessions.get, { sessionId: third }))!;
    // Move the 3rd (9 Mar) to 19:30 local: the 3rd, 4th and 5th move; the 1st and 2nd stay.
    const newStart = thirdBefore.startsAt + 90 * MINUTE_MS;
    const changed = await world.admin.as.mutation(api.successSessions.update, {
      sessionId: third,
      scope: "following",
      startsAt: newStart,
      endsAt: newStart + 45 * MINUTE_MS,
      meetingUrl: "https://zoom.example.com/j/new",
    });
    expect(changed).toEqual([third, fourth, fifth]);
    const views = await Promise.all(result.sessionIds.map((sessionId) => world.admin.as.query(api.successSessions.get, { sessionId })));
    const local = views.map((view) => localDateTime(view!.startsAt, "America/New_York"));
    expect(local.map((parts) => [parts.month, parts.day, parts.hours, parts.minutes])).toEqual([
      [2, 23, 18, 0],
      [3, 2, 18, 0],
      [3, 9, 19, 30],
      [3, 16, 19, 30],
      [3, 23, 19, 30],
    ]);
    expect(views.map((view) => view!.endsAt - view!.startsAt)).toEqual([HOUR_MS, HOUR_MS, 45 * MINUTE_MS, 45 * MINUTE_MS, 45 * MINUTE_MS]);
    expect(views.map((view) => view!.title)).toEqual(["Series", "Special guest", "Series", "Series", "Series"]);
    expect(views.map((view) => view!.meetingUrl.endsWith("/new"))).toEqual([false, false, true, true, true]);
    expect(views.map((view) => view!.sequence)).toEqual([0, 1, 1, 1, 1]);

    // Cancelling "this and following" from the 4th leaves the first three.
    await world.admin.as.mutation(api.successSessions.cancel, { sessionId: fourth, scope: "following" });
    const statuses = await Promise.all(
      [first, second, third, fourth, fifth].map(async (sessionId) => (await world.admin.as.query(api.successSessions.get, { sessionId }))!.status),
    );
    expect(statuses).toEqual(["upcoming", "upcoming", "upcoming", "cancelled", "cancelled"]);
  });

  test("moving following occurrences onto the mentor's other session is refused with the clash, nothing changes", async () => {
    const t = newTest();
    const world = await checklistWorld(t);
    const firstStart = Date.now() + DAY_MS;
    const { result } = await createSeries(world, firstStart, "UTC", "weekly", 4);
    const blocker = await createSession(world, { title: "Blocker", startsAt: firstStart + 3 * 7 * DAY_MS + 2 * HOUR_MS, timeZone: "UTC" });
    const before = await t.run((ctx) => ctx.db.query("successSessions").collect());
    const call = world.admin.as.mutation(api.successSessions.update, {
      sessionId: result.sessionIds[1],
      scope: "following",
      startsAt: firstStart + 7 * DAY_MS + 2 * HOUR_MS,
    });
    await expect(call).rejects.toMatchObject({
      data: { code: "CONFLICT", details: { clashes: [expect.objectContaining({ occurrence: 3, sessionId: blocker })] } },
    });
    expect(await t.run((ctx) => ctx.db.query("successSessions").collect())).toEqual(before);
  });
});

describe("status moves and calendar sequence", () => {
  test("upcoming → live at the start → completed at the end, by scheduled functions", async () => {
    vi.useFakeTimers();
    const t = newTest();
    const world = await checklistWorld(t);
    const sessionId = await createSession(world, { startsAt: Date.now() + HOUR_MS, endsAt: Date.now() + 2 * HOUR_MS });
    const status = async () => (await world.admin.as.query(api.successSessions.get, { sessionId }))!.status;
    expect(await status()).toBe("upcoming");
    vi.advanceTimersByTime(HOUR_MS - MINUTE_MS);
    await t.finishInProgressScheduledFunctions();
    expect(await status()).toBe("upcoming");
    vi.advanceTimersByTime(2 * MINUTE_MS);
    await t.finishInProgressScheduledFunctions();
    expect(await status()).toBe("live");
    vi.advanceTimersByTime(HOUR_MS);
    await t.finishInProgressScheduledFunctions();
    expect(await status()).toBe("completed");
    // A completed session keeps its times.
    expect(
      await errorCodeOf(world.admin.as.mutation(api.successSessions.update, { sessionId, scope: "this", startsAt: Date.now() + DAY_MS })),
    ).toBe("FAILED_PRECONDITION");
  });

  test("a rescheduled session goes live at its new time; the old jobs do nothing", async () => {
    vi.useFakeTimers();
    const t = newTest();
    const world = await checklistWorld(t);
    const start = Date.now() + HOUR_MS;
    const sessionId = await createSession(world, { startsAt: start });
    await world.admin.as.mutation(api.successSessions.update, { sessionId, scope: "this", startsAt: start + 3 * HOUR_MS });
    const status = async () => (await world.admin.as.query(api.successSessions.get, { sessionId }))!.status;
    vi.advanceTimersByTime(2 * HOUR_MS + MINUTE_MS); // past the old start and the old end
    await t.finishInProgressScheduledFunctions();
    expect(await status()).toBe("upcoming");
    vi.advanceTimersByTime(2 * HOUR_MS); // past the new start
    await t.finishInProgressScheduledFunctions();
    expect(await status()).toBe("live");
    // Even a stale job that was not cancelled is ignored: it carries the old start time.
    expect(await t.mutation(internal.successSessions.markCompleted, { sessionId, endsAt: start + HOUR_MS })).toBe(false);
    expect(await status()).toBe("live");
  });

  test("a cancelled session never goes live", async () => {
    vi.useFakeTimers();
    const t = newTest();
    const world = await checklistWorld(t);
    const sessionId = await createSession(world, { startsAt: Date.now() + HOUR_MS });
    await world.admin.as.mutation(api.successSessions.cancel, { sessionId, scope: "this" });
    vi.advanceTimersByTime(3 * HOUR_MS);
    await t.finishInProgressScheduledFunctions();
    expect((await world.admin.as.query(api.successSessions.get, { sessionId }))!.status).toBe("cancelled");
    expect(await errorCodeOf(world.admin.as.mutation(api.successSessions.update, { sessionId, scope: "this", title: "x" }))).toBe(
      "FAILED_PRECONDITION",
    );
    const jobs = await t.run((ctx) => ctx.db.system.query("_scheduled_functions").collect());
    const statusJobs = jobs.filter((job) => job.name.includes("markLive") || job.name.includes("markCompleted"));
    expect(statusJobs.map((job) => job.state.kind).sort()).toEqual(["canceled", "canceled"]);
  });

  test("the calendar sequence grows on every change", async () => {
    const t = newTest();
    const world = await checklistWorld(t);
    const sessionId = await createSession(world);
    const sequence = async () => (await world.admin.as.query(api.successSessions.get, { sessionId }))!.sequence;
    expect(await sequence()).toBe(0);
    await world.admin.as.mutation(api.successSessions.update, { sessionId, scope: "this", description: "Bring questions" });
    expect(await sequence()).toBe(1);
    await world.mentor.as.mutation(api.successSessions.setRecording, { sessionId, recordingUrl: "https://video.example.com/1" });
    expect(await sequence()).toBe(2);
    await world.admin.as.mutation(api.successSessions.cancel, { sessionId, scope: "this" });
    expect(await sequence()).toBe(3);
  });
});

describe("notifications", () => {
  test("scheduling a series tells the mentor and the batch's students once, listing every occurrence", async () => {
    vi.useFakeTimers();
    const t = newTest();
    const world = await checklistWorld(t);
    const { sessionIds } = await createWeeklySeries(world, 3, Date.now() + DAY_MS);
    const created = await emailsAfterNotices(t, "successSession.seriesCreated");
    expect(created.map((email) => email.recipientUserId).sort()).toEqual([world.mentor.userId, world.students.batch1.userId].sort());
    expect(created[0].attachments?.[0].content.match(/BEGIN:VEVENT/g)).toHaveLength(sessionIds.length);
  });
});

describe("access rules per role for every function", () => {
  test("who may call what", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t = newTest();
    const world = await checklistWorld(t);
    const sessionId = await createSession(world, { startsAt: Date.now() + HOUR_MS });
    const coach = await seedUser(t, { roles: ["coach"] });
    const lecturer = await seedUser(t, { roles: ["lecturer"] });
    vi.setSystemTime(Date.now() + HOUR_MS + MINUTE_MS);
    const callers = {
      anonymous: t,
      student: world.students.batch1.as,
      outsiderStudent: world.students.courseB.as,
      mentor: world.mentor.as,
      otherMentor: world.otherMentor.as,
      coach: coach.as,
      lecturer: lecturer.as,
      enrollmentManager: world.enrollmentManager.as,
      admin: world.admin.as,
      superadmin: world.superadmin.as,
    };
    type Caller = keyof typeof callers;
    const studentId = world.students.batch1.userId;
    let createdCount = 0;
    const calls: Record<string, (as: TestBackend) => Promise<unknown>> = {
      get: (as) => as.query(api.successSessions.get, { sessionId }),
      listForStudent: (as) => as.query(api.successSessions.listForStudent, { now: Date.now(), timeframe: "upcoming", paginationOpts: page() }),
      listForMentor: (as) => as.query(api.successSessions.listForMentor, { now: Date.now(), timeframe: "upcoming", paginationOpts: page() }),
      listForStaff: (as) => as.query(api.successSessions.listForStaff, { paginationOpts: page() }),
      create: (as) =>
        as.mutation(api.successSessions.create, {
          title: "New",
          courseId: world.courseA.courseId,
          batchId: null,
          mentorId: world.otherMentor.userId,
          startsAt: Date.now() + (createdCount += 1) * DAY_MS,
          timeZone: "UTC",
          meetingUrl: "https://zoom.example.com/j/9",
        }),
      update: (as) => as.mutation(api.successSessions.update, { sessionId, scope: "this", description: "edited" }),
      setRecording: (as) => as.mutation(api.successSessions.setRecording, { sessionId, recordingUrl: "https://video.example.com/r" }),
      join: (as) => as.mutation(api.attendance.join, { sessionId }),
      mark: (as) => as.mutation(api.attendance.mark, { sessionId, studentId, status: "present" }),
      roster: (as) => as.query(api.attendance.roster, { sessionId }),
      report: (as) => as.query(api.attendance.report, { now: Date.now() }),
    };
    const ok = "ok";
    const allowed: Record<string, Partial<Record<Caller, string>>> = {
      get: { student: ok, outsiderStudent: "null", mentor: ok, otherMentor: "null", coach: "null", lecturer: "null", enrollmentManager: ok, admin: ok, superadmin: ok },
      listForStudent: { student: ok, outsiderStudent: ok, mentor: ok, otherMentor: ok, coach: ok, lecturer: ok, enrollmentManager: ok, admin: ok, superadmin: ok },
      listForMentor: { mentor: ok, otherMentor: ok, superadmin: ok },
      listForStaff: { enrollmentManager: ok, admin: ok, superadmin: ok },
      create: { admin: ok, superadmin: ok },
      update: { admin: ok, superadmin: ok },
      setRecording: { mentor: ok, admin: ok, superadmin: ok, student: "FORBIDDEN", enrollmentManager: "FORBIDDEN" },
      join: { student: ok, mentor: ok, enrollmentManager: ok, admin: ok, superadmin: ok },
      mark: { mentor: ok, enrollmentManager: ok, admin: ok, superadmin: ok, student: "FORBIDDEN" },
      roster: { mentor: ok, enrollmentManager: ok, admin: ok, superadmin: ok, student: "FORBIDDEN" },
      report: { mentor: ok, otherMentor: ok, enrollmentManager: ok, admin: ok, superadmin: ok },
    };
    for (const [name, call] of Object.entries(calls)) {
      for (const caller of Object.keys(callers) as Caller[]) {
        const expected =
          allowed[name][caller] ??
          (caller === "anonymous"
            ? "UNAUTHENTICATED"
            : ["get", "join", "mark", "roster", "setRecording"].includes(name)
              ? "NOT_FOUND"
              : "FORBIDDEN");
        let outcome: string;
        try {
          const result = await call(callers[caller] as TestBackend);
          outcome = name === "get" && result === null ? "null" : ok;
        } catch (error) {
          outcome = (error as { data?: { code?: string } }).data?.code ?? String(error);
        }
        expect(outcome, `${name} as ${caller}`).toBe(expected);
      }
    }
    // cancel last (it changes the session for everyone).
    for (const caller of ["anonymous", "student", "mentor", "enrollmentManager", "coach"] as Caller[]) {
      expect(
        await errorCodeOf((callers[caller] as TestBackend).mutation(api.successSessions.cancel, { sessionId, scope: "this" })),
        caller,
      ).toBe(caller === "anonymous" ? "UNAUTHENTICATED" : "FORBIDDEN");
    }
    expect(await world.admin.as.mutation(api.successSessions.cancel, { sessionId, scope: "this" })).toEqual([sessionId]);
  });
});

describe("student lists", () => {
  test("next and upcoming in start order across batch and unbatched enrollments; past since enrolledAt, with recordings", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t = newTest();
    const world = await checklistWorld(t);
    const student = world.students.batch1;
    // Also unbatched in Course B, enrolled 10 days ago.
    await seedEnrollment(t, { studentId: student.userId, courseId: world.courseB.courseId, batchId: null, enrolledAt: Date.now() - 10 * DAY_MS });
    const now = Date.now();
    const old = await createSession(world, { title: "A old", startsAt: now + HOUR_MS });
    const recent = await createSession(world, { title: "B recent", courseId: world.courseB.courseId, batchId: null, startsAt: now + 3 * HOUR_MS, mentorId: world.otherMentor.userId, recordingUrl: "https://video.example.com/b" });
    await createSession(world, { title: "A later", startsAt: now + 5 * DAY_MS });
    await createSession(world, { title: "B soon", courseId: world.courseB.courseId, batchId: null, startsAt: now + 2 * DAY_MS, mentorId: world.otherMentor.userId });
    await createSession(world, { title: "A batch 2 (not mine)", batchId: world.batch2, startsAt: now + DAY_MS });
    await createSession(world, { title: "B batch 1 (not mine)", courseId: world.courseB.courseId, batchId: world.courseB.batchIds["Batch 1"], startsAt: now + DAY_MS, mentorId: world.otherMentor.userId });
    const cancelled = await createSession(world, { title: "A cancelled", startsAt: now + 6 * DAY_MS });
    await world.admin.as.mutation(api.successSessions.cancel, { sessionId: cancelled, scope: "this" });

    const upcoming = await student.as.query(api.successSessions.listForStudent, { now: Date.now(), timeframe: "upcoming", paginationOpts: page() });
    expect(upcoming.page.map((session) => session.title)).toEqual(["A old", "B recent", "B soon", "A later", "A cancelled"]);
    expect(upcoming.page.at(-1)?.status).toBe("cancelled");

    // Pages continue where the last one stopped.
    const first = await student.as.query(api.successSessions.listForStudent, { now: Date.now(), timeframe: "upcoming", paginationOpts: { numItems: 2, cursor: null } });
    const second = await student.as.query(api.successSessions.listForStudent, { now: Date.now(),
      timeframe: "upcoming",
      paginationOpts: { numItems: 2, cursor: first.continueCursor },
    });
    expect([...first.page, ...second.page].map((session) => session.title)).toEqual(["A old", "B recent", "B soon", "A later"]);
    expect(first.isDone).toBe(false);

    // Two days later the first two are past (latest first), the joined one shows the student's attendance.
    vi.setSystemTime(now + HOUR_MS + 5 * MINUTE_MS);
    await student.as.mutation(api.attendance.join, { sessionId: old });
    vi.setSystemTime(now + DAY_MS);
    const past = await student.as.query(api.successSessions.listForStudent, { now: Date.now(), timeframe: "past", paginationOpts: page() });
    expect(past.page.map((session) => [session.title, session.myAttendance, session.recordingUrl ?? null])).toEqual([
      ["B recent", null, "https://video.example.com/b"],
      ["A old", "present", null],
    ]);
    expect(past.page[0]._id).toBe(recent);

    // Sessions before the relevant enrolledAt are not shown in the past list.
    await t.run(async (ctx) => {
      const enrollment = (await ctx.db
        .query("enrollments")
        .withIndex("by_studentId_and_courseId", (q) => q.eq("studentId", student.userId).eq("courseId", world.courseB.courseId))
        .unique())!;
      await ctx.db.patch("enrollments", enrollment._id, { enrolledAt: now + 4 * HOUR_MS });
    });
    const pastAfterLateEnrollment = await student.as.query(api.successSessions.listForStudent, { now: Date.now(), timeframe: "past", paginationOpts: page() });
    expect(pastAfterLateEnrollment.page.map((session) => session.title)).toEqual(["A old"]);
  });

  test("the student query's reads stay bounded while other courses' sessions grow", async () => {
    const t = newTest({ transactionLimits: { documentsRead: 60 } });
    const student = await seedUser(t, { roles: ["student"] });
    const mentor = await seedUser(t, { roles: ["mentor"] });
    const mine = await seedCourse(t, "Mine", ["Batch 1"]);
    await seedEnrollment(t, { studentId: student.userId, courseId: mine.courseId, batchId: mine.batchIds["Batch 1"] });
    const now = Date.now();
    const insertSessions = async (courseId: Id<"courses">, batchId: Id<"batches"> | null, count: number, title: string) =>
      await t.run(async (ctx) => {
        for (let index = 0; index < count; index += 1) {
          const startsAt = now + HOUR_MS + index * 10 * MINUTE_MS;
          await ctx.db.insert("successSessions", {
            title: `${title} ${index}`,
            description: "",
            courseId,
            batchId,
            mentorId: mentor.userId,
            startsAt,
            endsAt: startsAt + HOUR_MS,
            timeZone: "UTC",
            status: "upcoming",
            meetingUrl: "https://zoom.example.com/j/1",
            sequence: 0,
            createdBy: mentor.userId,
          });
        }
      });
    await insertSessions(mine.courseId, mine.batchIds["Batch 1"], 30, "Mine");
    const readPage = () =>
      student.as.query(api.successSessions.listForStudent, { now: Date.now(), timeframe: "upcoming", paginationOpts: { numItems: 10, cursor: null } });
    expect((await readPage()).page.map((session) => session.title)).toEqual([...Array(10).keys()].map((index) => `Mine ${index}`));

    // 1,200 sessions of other courses and of another batch of the same course, interleaved in time.
    const mineOtherBatch = await t.run((ctx) => ctx.db.insert("batches", { courseId: mine.courseId, name: "Batch 2", status: "active" }));
    await insertSessions(mine.courseId, mineOtherBatch, 200, "Other batch");
    await insertSessions(mine.courseId, null, 200, "Unbatched");
    for (let course = 0; course < 4; course += 1) {
      const other = await seedCourse(t, `Other ${course}`, ["Batch 1"]);
      await insertSessions(other.courseId, other.batchIds["Batch 1"], 200, `Other course ${course}`);
    }
    expect((await readPage()).page.map((session) => session.title)).toEqual([...Array(10).keys()].map((index) => `Mine ${index}`));
    // The limit is real: reading the sessions table at large does not fit in it.
    await expect(t.run((ctx) => ctx.db.query("successSessions").take(1000))).rejects.toThrow(/Scanned too many documents/);
  });
});

describe("paging through the lists", () => {
  type SessionFields = { title: string; courseId: Id<"courses">; batchId: Id<"batches"> | null; mentorId: Id<"users">; startsAt: number; status?: "upcoming" | "live" | "completed" | "cancelled" };
  type Page = { page: { _id: Id<"successSessions">; title: string }[]; isDone: boolean; continueCursor: string };

  /** Inserts sessions as they are stored (1 hour long), in order, and returns their ids. */
  async function insertSessions(t: TestBackend, createdBy: Id<"users">, sessions: SessionFields[]) {
    return await t.run(async (ctx) => {
      const ids: Id<"successSessions">[] = [];
      for (const session of sessions) {
        ids.push(
          await ctx.db.insert("successSessions", {
            description: "",
            timeZone: "UTC",
            meetingUrl: "https://zoom.example.com/j/1",
            sequence: 0,
            createdBy,
            ...session,
            endsAt: session.startsAt + HOUR_MS,
            status: session.status ?? (session.startsAt + HOUR_MS <= Date.now() ? "completed" : "upcoming"),
          }),
        );
      }
      return ids;
    });
  }

  /** Follows `continueCursor` until `isDone`, as "Show more" does; returns every page. */
  async function allPages(read: (cursor: string | null) => Promise<Page>) {
    const pages: Page[] = [];
    let cursor: string | null = null;
    for (let call = 0; call < 50; call += 1) {
      const result = await read(cursor);
      pages.push(result);
      if (result.isDone) return pages;
      cursor = result.continueCursor;
    }
    throw new Error("paging did not end");
  }

  test("a student paging 3 at a time gets each session they may see exactly once, in order, and nothing else", async () => {
    const t = newTest();
    const world = await checklistWorld(t);
    const student = world.students.batch1;
    // Also unbatched in Course B since 20 days ago (Course A Batch 1 since 30 days ago).
    await seedEnrollment(t, { studentId: student.userId, courseId: world.courseB.courseId, batchId: null, enrolledAt: Date.now() - 20 * DAY_MS });
    const courseC = await seedCourse(t, "Course C", ["Batch 1"]);
    const now = Date.now();
    const audiences = [
      { key: "A / Batch 1", courseId: world.courseA.courseId, batchId: world.batch1, visible: true },
      { key: "B / unbatched", courseId: world.courseB.courseId, batchId: null, visible: true },
      { key: "A / Batch 2", courseId: world.courseA.courseId, batchId: world.batch2, visible: false },
      { key: "A / unbatched", courseId: world.courseA.courseId, batchId: null, visible: false },
      { key: "B / Batch 1", courseId: world.courseB.courseId, batchId: world.courseB.batchIds["Batch 1"], visible: false },
      { key: "C / Batch 1", courseId: courseC.courseId, batchId: courseC.batchIds["Batch 1"], visible: false },
    ];
    const sessions: (SessionFields & { visibleUpcoming: boolean; visiblePast: boolean })[] = [];
    for (let index = 0; index < 24; index += 1) {
      const audience = audiences[index % audiences.length];
      // Every third slot is shared by two sessions, so equal start times must page cleanly too.
      const slot = index - (index % 3 === 2 ? 1 : 0);
      const upcoming = { title: `Upcoming ${index} (${audience.key})`, courseId: audience.courseId, batchId: audience.batchId, mentorId: world.mentor.userId, startsAt: now + DAY_MS + slot * HOUR_MS };
      sessions.push({ ...upcoming, visibleUpcoming: audience.visible, visiblePast: false });
      const pastStart = now - 15 * DAY_MS + slot * HOUR_MS;
      const cancelled = index % 8 === 5;
      sessions.push({
        ...upcoming,
        title: `Past ${index} (${audience.key})${cancelled ? " cancelled" : ""}`,
        startsAt: pastStart,
        ...(cancelled ? { status: "cancelled" as const } : {}),
        visibleUpcoming: false,
        visiblePast: audience.visible && !cancelled,
      });
    }
    // Before the Course B enrollment: not in the past list.
    sessions.push({ title: "B before enrolling", courseId: world.courseB.courseId, batchId: null, mentorId: world.mentor.userId, startsAt: now - 25 * DAY_MS, visibleUpcoming: false, visiblePast: false });
    const ids = await insertSessions(t, world.admin.userId, sessions.map(({ visibleUpcoming: _upcoming, visiblePast: _past, ...session }) => session));
    const stored = sessions.map((session, index) => ({ ...session, _id: ids[index], order: index }));
    const byStart = (a: (typeof stored)[number], b: (typeof stored)[number]) => a.startsAt - b.startsAt || a.order - b.order;
    const expectedUpcoming = stored.filter((session) => session.visibleUpcoming).sort(byStart).map((session) => session.title);
    const expectedPast = stored.filter((session) => session.visiblePast).sort((a, b) => byStart(b, a)).map((session) => session.title);
    expect(expectedUpcoming).toHaveLength(8);
    expect(expectedPast.length).toBeGreaterThan(5);

    for (const [timeframe, expected] of [["upcoming", expectedUpcoming], ["past", expectedPast]] as const) {
      const pages = await allPages((cursor) =>
        student.as.query(api.successSessions.listForStudent, { now: Date.now(), timeframe, paginationOpts: { numItems: 3, cursor } }),
      );
      expect(pages.length, timeframe).toBeGreaterThan(2);
      for (const page of pages.slice(0, -1)) expect(page.page, timeframe).toHaveLength(3);
      expect(pages.flatMap((page) => page.page.map((session) => session.title)), timeframe).toEqual(expected);
    }
  });

  test("a loaded page pinned at its end cursor takes in a new session instead of pushing one off the page", async () => {
    const t = newTest();
    const world = await checklistWorld(t);
    const student = world.students.batch1;
    const now = Date.now();
    const session = (title: string, startsAt: number): SessionFields => ({ title, courseId: world.courseA.courseId, batchId: world.batch1, mentorId: world.mentor.userId, startsAt });
    await insertSessions(t, world.admin.userId, [1, 2, 3, 4, 5, 6].map((index) => session(`Session ${index}`, now + index * DAY_MS)));
    const read = (paginationOpts: { numItems: number; cursor: string | null; endCursor?: string }) =>
      student.as.query(api.successSessions.listForStudent, { now: Date.now(), timeframe: "upcoming", paginationOpts });
    const first = await read({ numItems: 3, cursor: null });
    const second = await read({ numItems: 3, cursor: first.continueCursor });
    expect([first, second].map((page) => page.page.map((item) => item.title))).toEqual([
      ["Session 1", "Session 2", "Session 3"],
      ["Session 4", "Session 5", "Session 6"],
    ]);

    // A session is scheduled between 1 and 2 after both pages were loaded.
    await insertSessions(t, world.admin.userId, [session("Session 1½", now + 1.5 * DAY_MS)]);
    // The client re-reads the first page up to where the second starts: nothing falls between them.
    const firstAgain = await read({ numItems: 3, cursor: null, endCursor: first.continueCursor });
    const secondAgain = await read({ numItems: 3, cursor: first.continueCursor, endCursor: second.continueCursor });
    expect([...firstAgain.page, ...secondAgain.page].map((item) => item.title)).toEqual([
      "Session 1",
      "Session 1½",
      "Session 2",
      "Session 3",
      "Session 4",
      "Session 5",
      "Session 6",
    ]);
    expect(firstAgain.isDone).toBe(false);
  });

  test("staff filtering by course, mentor and status get full pages although the matches come after many others", async () => {
    const t = newTest();
    const world = await checklistWorld(t);
    const now = Date.now();
    const { courseA, courseB, mentor, otherMentor } = world;
    const sessions: SessionFields[] = [];
    // 60 sessions that each miss one filter, then matches mixed with more misses.
    for (let index = 0; index < 60; index += 1) {
      const miss = index % 3;
      sessions.push({
        title: `Miss ${index}`,
        courseId: miss === 0 ? courseB.courseId : courseA.courseId,
        batchId: miss === 0 ? null : world.batch1,
        mentorId: miss === 1 ? otherMentor.userId : mentor.userId,
        startsAt: now + DAY_MS + index * HOUR_MS,
        ...(miss === 2 ? { status: "cancelled" as const } : {}),
      });
    }
    for (let index = 0; index < 12; index += 1) {
      const batchId = index % 2 === 0 ? world.batch1 : world.batch2;
      sessions.push({ title: `Match ${index}`, courseId: courseA.courseId, batchId, mentorId: mentor.userId, startsAt: now + 5 * DAY_MS + index * HOUR_MS });
      sessions.push({ title: `Late miss ${index}`, courseId: courseA.courseId, batchId, mentorId: otherMentor.userId, startsAt: now + 5 * DAY_MS + index * HOUR_MS });
    }
    await insertSessions(t, world.admin.userId, sessions);
    const filters = { courseId: courseA.courseId, mentorId: mentor.userId, status: "upcoming" as const };

    const pages = await allPages((cursor) => world.admin.as.query(api.successSessions.listForStaff, { ...filters, paginationOpts: { numItems: 5, cursor } }));
    expect(pages.map((page) => page.page.length)).toEqual([5, 5, 2]);
    expect(pages.flatMap((page) => page.page.map((session) => session.title))).toEqual([...Array(12).keys()].map((index) => `Match ${index}`));

    // With the batch as well: every other match.
    const batchPages = await allPages((cursor) =>
      world.enrollmentManager.as.query(api.successSessions.listForStaff, { ...filters, batchId: world.batch1, paginationOpts: { numItems: 4, cursor } }),
    );
    expect(batchPages.map((page) => page.page.length)).toEqual([4, 2]);
    expect(batchPages.flatMap((page) => page.page.map((session) => session.title))).toEqual([0, 2, 4, 6, 8, 10].map((index) => `Match ${index}`));
  });

  /**
   * 1,500 upcoming "Other n" sessions alternating between Course A Batch 1 and Course B unbatched
   * (mentor chosen per index), then 3 cancelled "Match n" sessions of the mentor in Course A Batch 1.
   */
  async function manyOthersThenThreeMatches(
    t: TestBackend,
    world: ChecklistWorld,
    mentorOf: (index: number) => Id<"users">,
  ) {
    const now = Date.now();
    const others: SessionFields[] = [...Array(1500).keys()].map((index) => ({
      title: `Other ${index}`,
      courseId: index % 2 === 0 ? world.courseA.courseId : world.courseB.courseId,
      batchId: index % 2 === 0 ? world.batch1 : null,
      mentorId: mentorOf(index),
      startsAt: now + DAY_MS + index * 10 * MINUTE_MS,
    }));
    for (let offset = 0; offset < others.length; offset += 500) await insertSessions(t, world.admin.userId, others.slice(offset, offset + 500));
    await insertSessions(
      t,
      world.admin.userId,
      [1, 2, 3].map((index) => ({
        title: `Match ${index}`,
        courseId: world.courseA.courseId,
        batchId: world.batch1,
        mentorId: world.mentor.userId,
        startsAt: now + 20 * DAY_MS + index * HOUR_MS,
        status: "cancelled" as const,
      })),
    );
  }

  test("a very selective staff filter reads a bounded number of rows per call; paging on finds every match", async () => {
    // A call that read the mentor's whole range would exceed this limit.
    const t = newTest({ transactionLimits: { documentsRead: 700 } });
    const world = await checklistWorld(t);
    // 1,500 upcoming sessions of the mentor, then 3 cancelled ones: "mentor + cancelled" has no index
    // of its own, so the mentor's range is read and the status is checked row by row.
    await manyOthersThenThreeMatches(t, world, () => world.mentor.userId);
    await expect(t.run((ctx) => ctx.db.query("successSessions").collect())).rejects.toThrow(/too many/i);

    const pages = await allPages((cursor) =>
      world.admin.as.query(api.successSessions.listForStaff, { mentorId: world.mentor.userId, status: "cancelled", paginationOpts: { numItems: 25, cursor } }),
    );
    // Short (here empty) pages that are not done, until the matches are reached.
    expect(pages[0]).toMatchObject({ page: [], isDone: false });
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.flatMap((page) => page.page.map((session) => session.title))).toEqual(["Match 1", "Match 2", "Match 3"]);
  });

  test("course + mentor and status alone have their own index: one call finds the matches among many others", async () => {
    const t = newTest({ transactionLimits: { documentsRead: 700 } });
    const world = await checklistWorld(t);
    // 750 sessions of Course A with another mentor and 750 of the mentor in Course B.
    await manyOthersThenThreeMatches(t, world, (index) => (index % 2 === 0 ? world.otherMentor.userId : world.mentor.userId));

    const byCourseAndMentor = await world.admin.as.query(api.successSessions.listForStaff, {
      courseId: world.courseA.courseId,
      mentorId: world.mentor.userId,
      paginationOpts: { numItems: 25, cursor: null },
    });
    expect(byCourseAndMentor).toMatchObject({ isDone: true });
    expect(byCourseAndMentor.page.map((session) => session.title)).toEqual(["Match 1", "Match 2", "Match 3"]);
    const byStatus = await world.admin.as.query(api.successSessions.listForStaff, { status: "cancelled", paginationOpts: { numItems: 25, cursor: null } });
    expect(byStatus).toMatchObject({ isDone: true });
    expect(byStatus.page.map((session) => session.title)).toEqual(["Match 1", "Match 2", "Match 3"]);
  });
});

describe("demo data", () => {
  test("the seed creates the demo sessions once, visible to the right personas", async () => {
    const t = newTest();
    await t.mutation(internal.seed.init, {});
    const first = await t.run((ctx) => ctx.db.query("successSessions").collect());
    await t.mutation(internal.seed.init, {});
    const second = await t.run((ctx) => ctx.db.query("successSessions").collect());
    expect(second.map((session) => session._id)).toEqual(first.map((session) => session._id));
    expect(second.map(({ liveJobId: _live, completeJobId: _complete, ...rest }) => rest)).toEqual(
      first.map(({ liveJobId: _live, completeJobId: _complete, ...rest }) => rest),
    );
    expect(first.length).toBe(12);
    const attendance = await t.run((ctx) => ctx.db.query("successSessionAttendance").collect());
    expect(attendance).toHaveLength(2);
    const series = await t.run((ctx) => ctx.db.query("successSessionSeries").collect());
    expect(series).toHaveLength(1);

    const persona = (subject: string) => t.withIdentity({ tokenIdentifier: personaTokenIdentifier(subject) });
    const titles = async (subject: string, timeframe: "upcoming" | "past") =>
      new Set(
        (await persona(subject).query(api.successSessions.listForStudent, { now: Date.now(), timeframe, paginationOpts: page(100) })).page.map(
          (session) => session.title,
        ),
      );
    expect(await titles("persona-student-amira", "upcoming")).toEqual(new Set(["Sprint review: your first API", "Weekly career Q&A"]));
    expect(await titles("persona-student-amira", "past")).toEqual(new Set(["Kick-off retrospective"]));
    expect(await titles("persona-student-ben", "upcoming")).toEqual(new Set(["Office hours for self-paced learners"]));
    expect(await titles("persona-student-chloe", "upcoming")).toEqual(new Set(["Model clinic: regression pitfalls"]));
    expect(await titles("persona-student-dev", "upcoming")).toEqual(new Set());
    const mentorPast = await persona("persona-mentor").query(api.successSessions.listForMentor, { now: Date.now(), timeframe: "past", paginationOpts: page() });
    expect(mentorPast.page.map((session) => [session.title, session.recordingUrl !== undefined])).toEqual([["Kick-off retrospective", true]]);
  });
});
