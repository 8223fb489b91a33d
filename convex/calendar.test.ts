import ICAL from "ical.js";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { errorCodeOf, newTest, seedCourse, seedEnrollment, seedUser, type TestBackend } from "../testing/convex";
import { insertCoachingSession, insertSuccessSession } from "./model/notifications/notifications.testkit";
import { DAY_MS } from "./model/time/units";

const SITE_URL = "https://happy-otter-123.convex.site";

beforeEach(() => {
  vi.stubEnv("CONVEX_SITE_URL", SITE_URL);
  vi.stubEnv("DISCORD_GUILD_ID", "111111111111111111");
});
afterEach(() => vi.unstubAllEnvs());

/** GET the feed at `url` (a full feed URL) through the HTTP router. */
async function fetchFeed(t: TestBackend, url: string) {
  return await t.fetch(url.slice(SITE_URL.length), { method: "GET" });
}

/** UID → { sequence, status, summary, url } of every event in a feed document. */
function feedEvents(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return Object.fromEntries(
    calendar.getAllSubcomponents("vevent").map((vevent) => [
      String(vevent.getFirstPropertyValue("uid")),
      {
        sequence: Number(vevent.getFirstPropertyValue("sequence")),
        status: vevent.getFirstPropertyValue("status"),
        summary: vevent.getFirstPropertyValue("summary"),
        url: vevent.getFirstPropertyValue("url"),
        start: (vevent.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate().getTime(),
      },
    ]),
  );
}

async function world(t: TestBackend) {
  const mentor = await seedUser(t, { roles: ["mentor"], name: "Grace" });
  const otherMentor = await seedUser(t, { roles: ["mentor"], name: "Alan" });
  const student = await seedUser(t, { roles: ["student"], name: "Ada" });
  const coach = await seedUser(t, { roles: ["coach"], name: "Carl" });
  const admin = await seedUser(t, { roles: ["admin"], name: "Root" });
  const { courseId, batchIds } = await seedCourse(t, "Data Science", ["Batch 1", "Batch 2"]);
  const { courseId: pausedCourseId } = await seedCourse(t, "Paused course");
  await seedEnrollment(t, { studentId: student.userId, courseId, batchId: batchIds["Batch 1"] });
  await seedEnrollment(t, { studentId: student.userId, courseId: pausedCourseId, batchId: null, status: "paused" });
  const inMyBatch = await insertSuccessSession(t, { courseId, batchId: batchIds["Batch 1"], mentorId: mentor.userId, title: "Mine" });
  const cancelledInMyBatch = await insertSuccessSession(t, {
    courseId,
    batchId: batchIds["Batch 1"],
    mentorId: mentor.userId,
    title: "Called off",
    status: "cancelled",
    sequence: 2,
  });
  const otherBatch = await insertSuccessSession(t, { courseId, batchId: batchIds["Batch 2"], mentorId: otherMentor.userId, title: "Other batch" });
  const unbatched = await insertSuccessSession(t, { courseId, batchId: null, mentorId: otherMentor.userId, title: "Unbatched" });
  const pausedCourse = await insertSuccessSession(t, { courseId: pausedCourseId, batchId: null, mentorId: otherMentor.userId, title: "Paused" });
  const longAgo = await insertSuccessSession(t, {
    courseId,
    batchId: batchIds["Batch 1"],
    mentorId: mentor.userId,
    title: "Long ago",
    startsAt: Date.now() - 200 * DAY_MS,
  });
  const coaching = await insertCoachingSession(t, { coachId: coach.userId, studentId: student.userId, discordChannelId: "222222222222222222" });
  return { mentor, otherMentor, student, coach, admin, inMyBatch, cancelledInMyBatch, otherBatch, unbatched, pausedCourse, longAgo, coaching };
}

describe("private calendar feeds", () => {
  test("a student's feed lists exactly the sessions the visibility rule gives them, with stable UIDs", async () => {
    const t = newTest();
    const w = await world(t);
    const issued = await w.student.as.mutation(api.calendar.createMyFeed, {});
    expect(issued?.url).toMatch(new RegExp(`^${SITE_URL}/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
    const response = await fetchFeed(t, issued!.url!);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const events = feedEvents(await response.text());
    expect(Object.keys(events).sort()).toEqual(
      [`success-${w.inMyBatch}@sessions-hub`, `success-${w.cancelledInMyBatch}@sessions-hub`, `coaching-${w.coaching}@sessions-hub`].sort(),
    );
    expect(events[`success-${w.inMyBatch}@sessions-hub`]).toMatchObject({
      status: "CONFIRMED",
      sequence: 0,
      summary: "Mine",
      url: "https://zoom.example/j/123",
    });
    expect(events[`success-${w.cancelledInMyBatch}@sessions-hub`]).toMatchObject({ status: "CANCELLED", sequence: 2 });
    expect(events[`coaching-${w.coaching}@sessions-hub`]).toMatchObject({
      status: "CONFIRMED",
      summary: "Coaching with Carl",
      url: "https://discord.com/channels/111111111111111111/222222222222222222",
    });
  });

  test("mentors see their own sessions, coaches their bookings, staff every success session", async () => {
    const t = newTest();
    const w = await world(t);
    const uidsOf = async (user: typeof w.mentor) => {
      const issued = await user.as.mutation(api.calendar.createMyFeed, {});
      return Object.keys(feedEvents(await (await fetchFeed(t, issued!.url!)).text())).sort();
    };
    expect(await uidsOf(w.mentor)).toEqual([`success-${w.inMyBatch}@sessions-hub`, `success-${w.cancelledInMyBatch}@sessions-hub`].sort());
    expect(await uidsOf(w.coach)).toEqual([`coaching-${w.coaching}@sessions-hub`]);
    expect(await uidsOf(w.admin)).toEqual(
      [w.inMyBatch, w.cancelledInMyBatch, w.otherBatch, w.unbatched, w.pausedCourse].map((id) => `success-${id}@sessions-hub`).sort(),
    );
  });

  test("a change of the session shows up with a higher SEQUENCE under the same UID", async () => {
    const t = newTest();
    const w = await world(t);
    const issued = await w.student.as.mutation(api.calendar.createMyFeed, {});
    const uid = `success-${w.inMyBatch}@sessions-hub`;
    const before = feedEvents(await (await fetchFeed(t, issued!.url!)).text())[uid];
    const moved = before.start + 2 * 60 * 60 * 1000;
    await t.run((ctx) => ctx.db.patch("successSessions", w.inMyBatch, { startsAt: moved, endsAt: moved + 3_600_000, sequence: 1 }));
    const after = feedEvents(await (await fetchFeed(t, issued!.url!)).text())[uid];
    expect(after.sequence).toBe(before.sequence + 1);
    expect(after.start).toBe(moved);
  });

  test("get-or-create shows the address once; rotating makes the old one 404 at once", async () => {
    const t = newTest();
    const { student } = await world(t);
    expect(await student.as.query(api.calendar.myFeed, {})).toBeNull();
    const first = await student.as.mutation(api.calendar.createMyFeed, {});
    expect(await student.as.mutation(api.calendar.createMyFeed, {})).toBeNull();
    const status = await student.as.query(api.calendar.myFeed, {});
    expect(status).toMatchObject({ rotatedAt: null });

    const rotated = await student.as.mutation(api.calendar.rotateMyFeed, {});
    expect(rotated.token).not.toBe(first!.token);
    expect((await fetchFeed(t, first!.url!)).status).toBe(404);
    expect((await fetchFeed(t, rotated.url!)).status).toBe(200);
    expect((await student.as.query(api.calendar.myFeed, {}))?.rotatedAt).toEqual(expect.any(Number));

    const stored = await t.run((ctx) => ctx.db.query("calendarFeeds").collect());
    expect(JSON.stringify(stored)).not.toContain(rotated.token);
  });

  test("unknown, malformed and deactivated users' tokens get 404", async () => {
    const t = newTest();
    const { student } = await world(t);
    const issued = await student.as.mutation(api.calendar.createMyFeed, {});
    expect((await t.fetch(`/calendar/${"A".repeat(43)}.ics`, { method: "GET" })).status).toBe(404);
    expect((await t.fetch("/calendar/short.ics", { method: "GET" })).status).toBe(404);
    expect((await t.fetch(`/calendar/${issued!.token}`, { method: "GET" })).status).toBe(404);
    await t.run((ctx) => ctx.db.patch("users", student.userId, { active: false }));
    expect((await fetchFeed(t, issued!.url!)).status).toBe(404);
  });
});

describe("add to calendar", () => {
  test("a visible session downloads as METHOD:PUBLISH with the feed's UID; an invisible one is NOT_FOUND", async () => {
    const t = newTest();
    const w = await world(t);
    const now = Date.UTC(2026, 11, 4, 12, 30);
    const file = await w.student.as.query(api.calendar.sessionIcs, { kind: "success", sessionId: w.inMyBatch, now });
    expect(file.filename).toBe("mine.ics");
    // The file is stamped with the caller's `now` (a query never reads the clock).
    expect(file.content).toContain("DTSTAMP:20261204T123000Z");
    const calendar = new ICAL.Component(ICAL.parse(file.content));
    expect(calendar.getFirstPropertyValue("method")).toBe("PUBLISH");
    expect(calendar.getFirstSubcomponent("vevent")?.getFirstPropertyValue("uid")).toBe(`success-${w.inMyBatch}@sessions-hub`);

    for (const sessionId of [w.otherBatch, w.unbatched, w.pausedCourse, "not-an-id"]) {
      expect(await errorCodeOf(w.student.as.query(api.calendar.sessionIcs, { kind: "success", sessionId, now }))).toBe("NOT_FOUND");
    }
    const coachingFile = await w.coach.as.query(api.calendar.sessionIcs, { kind: "coaching", sessionId: w.coaching, now });
    expect(coachingFile.content).toContain(`UID:coaching-${w.coaching}@sessions-hub`);
    expect(await errorCodeOf(w.mentor.as.query(api.calendar.sessionIcs, { kind: "coaching", sessionId: w.coaching as Id<"coachingSessions">, now }))).toBe(
      "NOT_FOUND",
    );
  });

  test("signed-out callers are refused", async () => {
    const t = newTest();
    expect(await errorCodeOf(t.mutation(api.calendar.createMyFeed, {}))).toBe("UNAUTHENTICATED");
  });
});
