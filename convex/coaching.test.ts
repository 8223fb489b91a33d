import { afterEach, describe, expect, test, vi } from "vitest";
import { api } from "./_generated/api";
import { errorCodeOf, newTest, seedUser } from "../testing/convex";
import { coachingFootprint, coachingWorld, JOHN_MONDAY_9AM, MONDAY, pinClock, SARAH_MONDAY_9AM } from "./model/coaching/fixtures.testing";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./model/time/units";

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe("booking", () => {
  test("a student books a free slot; it leaves the free slots and shows up for student and coach", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    const { amira, john, coachingProductId } = world;
    const sessionId = await amira.as.mutation(api.coaching.book, {
      coachingProductId,
      coachId: john.userId,
      startTime: JOHN_MONDAY_9AM,
      notes: "CV review",
    });
    const session = await amira.as.query(api.coaching.getSession, { now: Date.now(), sessionId });
    expect(session).toMatchObject({
      status: "SCHEDULED",
      startTime: JOHN_MONDAY_9AM,
      endTime: JOHN_MONDAY_9AM + 30 * MINUTE_MS,
      durationMinutes: 30,
      notes: "CV review",
      // Each side's zone travels with the session, so either can see the time as the other sees it.
      coach: { name: "John Coach", timeZone: "America/New_York" },
      student: { name: "Amira Student", timeZone: "Asia/Dubai" },
      // No Discord configuration on this deployment: booking works, Discord shows "not configured".
      provisioningState: "not_configured",
      discordChannelUrl: null,
      viewerCan: { cancel: true, start: false, complete: false },
    });
    expect((await amira.as.query(api.coaching.myBookings, { now: Date.now(), scope: "upcoming" })).map((s) => s._id)).toEqual([sessionId]);
    const johnsDay = await john.as.query(api.coaching.coachSessions, { now: Date.now(), from: Date.UTC(2026, 2, 2, 5), days: 1 });
    expect(johnsDay.map((s) => s._id)).toEqual([sessionId]);
    expect(johnsDay[0].viewerCan).toEqual({ cancel: true, start: false, complete: false, reschedule: true, markNoShow: false });

    const slots = await world.ben.as.query(api.coaching.listSlots, { now: Date.now(), coachingProductId, fromDate: "2026-03-02", days: 1, timeZone: "America/New_York" });
    const johnStarts = slots.slots.filter((slot) => slot.coachId === john.userId).map((slot) => slot.startTime);
    expect(johnStarts).not.toContain(JOHN_MONDAY_9AM);
    expect(johnStarts).toContain(JOHN_MONDAY_9AM + 30 * MINUTE_MS);
    expect(await coachingFootprint(world.t)).toMatchObject({ sessions: 1, jobs: 2 });
    // Without Discord configuration nothing is provisioned: the jobs are the start-time status move
    // and the booking confirmation.
    const jobs = await world.t.run((ctx) => ctx.db.system.query("_scheduled_functions").collect());
    expect(jobs.map((job) => [job.name, job.args[0], job.scheduledTime])).toEqual([
      ["coaching:startAtStartTime", { sessionId }, JOHN_MONDAY_9AM],
      ["notifications:deliverSessionNotice", expect.objectContaining({ kind: "coaching", entityId: sessionId, event: "booked" }), expect.any(Number)],
    ]);
  });

  test("free slots are listed per coach in the coach's hours, for the days of the viewer's time zone", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    const { amira, john, sarah, coachingProductId } = world;
    // Amira lives in Dubai (UTC+4): her 2 March runs from 1 March 20:00 UTC to 2 March 20:00 UTC.
    const { timeZone, slots } = await amira.as.query(api.coaching.listSlots, { now: Date.now(), coachingProductId, fromDate: "2026-03-02", days: 1 });
    expect(timeZone).toBe("Asia/Dubai");
    const johns = slots.filter((slot) => slot.coachId === john.userId);
    const sarahs = slots.filter((slot) => slot.coachId === sarah.userId);
    // John: 09:00 New York (14:00 UTC) every 30 minutes up to Amira's midnight (20:00 UTC).
    expect(johns.map((slot) => slot.startTime)).toEqual(Array.from({ length: 12 }, (_, i) => JOHN_MONDAY_9AM + i * 30 * MINUTE_MS));
    // Sarah: 09:00–17:00 London; the last start leaves room for 30 minutes.
    expect(sarahs[0].startTime).toBe(SARAH_MONDAY_9AM);
    expect(sarahs.at(-1)?.startTime).toBe(Date.UTC(2026, 2, 2, 16, 30));
    expect(slots.every((slot) => slot.localDate === "2026-03-02" && slot.endTime - slot.startTime === 30 * MINUTE_MS)).toBe(true);

    // Amira's own booking with John also takes Sarah's slot at that time off her list.
    await amira.as.mutation(api.coaching.book, { coachingProductId, coachId: john.userId, startTime: JOHN_MONDAY_9AM });
    const after = await amira.as.query(api.coaching.listSlots, { now: Date.now(), coachingProductId, fromDate: "2026-03-02", days: 1 });
    expect(after.slots.some((slot) => slot.startTime === JOHN_MONDAY_9AM)).toBe(false);
    expect(after.slots.some((slot) => slot.coachId === sarah.userId && slot.startTime === JOHN_MONDAY_9AM - 30 * MINUTE_MS)).toBe(true);

    expect(await errorCodeOf(amira.as.query(api.coaching.listSlots, { now: Date.now(), coachingProductId, fromDate: "2026-03-02", days: 40 }))).toBe("INVALID_ARGUMENT");
    expect(await errorCodeOf(amira.as.query(api.coaching.listSlots, { now: Date.now(), coachingProductId, fromDate: "2026-02-30", days: 1 }))).toBe("INVALID_ARGUMENT");
    expect(
      await errorCodeOf(amira.as.query(api.coaching.listSlots, { now: Date.now(), coachingProductId, fromDate: "2026-03-02", days: 1, timeZone: "Mars/Base" })),
    ).toBe("INVALID_ARGUMENT");
  });

  test("availability follows the coach's daylight-saving time", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    // New York moves to UTC−4 on Sunday 8 March 2026: 09:00 there is 13:00 UTC on Monday 9 March.
    const { slots } = await world.ben.as.query(api.coaching.listSlots, { now: Date.now(),
      coachingProductId: world.coachingProductId,
      fromDate: "2026-03-09",
      days: 1,
      timeZone: "America/New_York",
      coachId: world.john.userId,
    });
    expect(slots[0].startTime).toBe(Date.UTC(2026, 2, 9, 13, 0));
    await world.ben.as.mutation(api.coaching.book, {
      coachingProductId: world.coachingProductId,
      coachId: world.john.userId,
      startTime: Date.UTC(2026, 2, 9, 13, 0),
    });
    expect(
      await errorCodeOf(
        world.ben.as.mutation(api.coaching.book, {
          coachingProductId: world.coachingProductId,
          coachId: world.john.userId,
          startTime: Date.UTC(2026, 2, 9, 12, 30),
        }),
      ),
    ).toBe("INVALID_ARGUMENT");
  });

  test("double bookings are refused for the coach and for the student, and nothing is written", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    const { amira, ben, john, sarah, coachingProductId, t } = world;
    await amira.as.mutation(api.coaching.book, { coachingProductId, coachId: john.userId, startTime: JOHN_MONDAY_9AM });
    const before = await coachingFootprint(t);
    // Same slot, and a slot overlapping it by 15 minutes, with the same coach.
    for (const startTime of [JOHN_MONDAY_9AM, JOHN_MONDAY_9AM + 15 * MINUTE_MS, JOHN_MONDAY_9AM + 29 * MINUTE_MS]) {
      expect(await errorCodeOf(ben.as.mutation(api.coaching.book, { coachingProductId, coachId: john.userId, startTime }))).toBe("CONFLICT");
    }
    // Amira cannot be with Sarah while she is with John.
    expect(
      await errorCodeOf(amira.as.mutation(api.coaching.book, { coachingProductId, coachId: sarah.userId, startTime: JOHN_MONDAY_9AM + 15 * MINUTE_MS })),
    ).toBe("CONFLICT");
    expect(await coachingFootprint(t)).toEqual(before);
    // Back to back is fine.
    await ben.as.mutation(api.coaching.book, { coachingProductId, coachId: john.userId, startTime: JOHN_MONDAY_9AM + 30 * MINUTE_MS });
  });

  test("outside availability, in the past, too far ahead or not on a whole minute: refused, nothing written", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    const { amira, john, coachingProductId, t } = world;
    const before = await coachingFootprint(t);
    const attempts = [
      JOHN_MONDAY_9AM - HOUR_MS, // 08:00 in New York
      JOHN_MONDAY_9AM + 7 * HOUR_MS + 45 * MINUTE_MS, // 16:45: would end after 17:00
      JOHN_MONDAY_9AM + 5 * DAY_MS, // Saturday
      MONDAY - HOUR_MS, // in the past
      JOHN_MONDAY_9AM + 200 * DAY_MS, // beyond the booking horizon
      JOHN_MONDAY_9AM + 30 * 1000, // not a whole minute
    ];
    for (const startTime of attempts) {
      const error = amira.as.mutation(api.coaching.book, { coachingProductId, coachId: john.userId, startTime });
      expect(await errorCodeOf(error)).toBe("INVALID_ARGUMENT");
    }
    // A slot that was free a minute ago is in the past now.
    vi.setSystemTime(JOHN_MONDAY_9AM + MINUTE_MS);
    expect(await errorCodeOf(amira.as.mutation(api.coaching.book, { coachingProductId, coachId: john.userId, startTime: JOHN_MONDAY_9AM }))).toBe(
      "INVALID_ARGUMENT",
    );
    expect(await coachingFootprint(t)).toEqual(before);
  });

  test("without active access to the product (never, revoked, product inactive) a student cannot book", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    const { amira, dev, john, coachingProductId, productId, admin, t } = world;
    const before = await coachingFootprint(t);
    const book = (who: typeof dev) => who.as.mutation(api.coaching.book, { coachingProductId, coachId: john.userId, startTime: JOHN_MONDAY_9AM });
    const error = await book(dev).catch((caught: { data: { code: string; message: string } }) => caught.data);
    expect(error).toMatchObject({ code: "NOT_FOUND" });
    expect((error as { message: string }).message).toMatch(/not one of your products/);
    await t.run(async (ctx) => {
      const access = await ctx.db
        .query("productAccess")
        .withIndex("by_studentId_and_productId", (q) => q.eq("studentId", amira.userId).eq("productId", productId))
        .first();
      await ctx.db.patch("productAccess", access!._id, { status: "revoked", revokedAt: Date.now() });
    });
    expect(await errorCodeOf(book(amira))).toBe("NOT_FOUND");
    expect(await coachingFootprint(t)).toEqual(before);

    await admin.as.mutation(api.coaching.updateProduct, {
      coachingProductId,
      productId,
      title: "1:1 Career Coaching",
      durationMinutes: 30,
      priceCents: 9900,
      coachIds: [john.userId],
      active: false,
    });
    expect(await errorCodeOf(book(world.ben))).toBe("NOT_FOUND");
    expect(await coachingFootprint(t)).toEqual(before);
  });

  test("a coach who does not give the product cannot be booked", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    const outsider = await seedUser(world.t, { roles: ["coach"], name: "Olga Outsider" });
    await outsider.as.mutation(api.coachingAvailability.setMine, {
      timeZone: "UTC",
      windows: [{ weekday: 1, startMinute: 0, endMinute: 24 * 60 }],
    });
    expect(
      await errorCodeOf(
        world.amira.as.mutation(api.coaching.book, { coachingProductId: world.coachingProductId, coachId: outsider.userId, startTime: JOHN_MONDAY_9AM }),
      ),
    ).toBe("INVALID_ARGUMENT");
  });
});

describe("session lifecycle", () => {
  test("students cancel their own future booking; the slot is free again", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    const { amira, ben, john, coachingProductId } = world;
    const sessionId = await amira.as.mutation(api.coaching.book, { coachingProductId, coachId: john.userId, startTime: JOHN_MONDAY_9AM });
    // Ben cannot see Amira's session at all.
    expect(await errorCodeOf(ben.as.mutation(api.coaching.cancel, { sessionId }))).toBe("NOT_FOUND");
    expect(await errorCodeOf(ben.as.query(api.coaching.getSession, { now: Date.now(), sessionId }))).toBe("NOT_FOUND");
    expect(await errorCodeOf(amira.as.mutation(api.coaching.complete, { sessionId }))).toBe("FORBIDDEN");
    await amira.as.mutation(api.coaching.cancel, { sessionId });
    expect(await amira.as.query(api.coaching.getSession, { now: Date.now(), sessionId })).toMatchObject({ status: "CANCELLED", viewerCan: { cancel: false } });
    expect(await errorCodeOf(amira.as.mutation(api.coaching.cancel, { sessionId }))).toBe("FAILED_PRECONDITION");
    await ben.as.mutation(api.coaching.book, { coachingProductId, coachId: john.userId, startTime: JOHN_MONDAY_9AM });
  });

  test("once a session has started only its coach or staff may cancel; coaches start and complete their own", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    const { amira, john, sarah, coachingProductId, t } = world;
    const sessionId = await amira.as.mutation(api.coaching.book, { coachingProductId, coachId: john.userId, startTime: JOHN_MONDAY_9AM });
    expect(await errorCodeOf(john.as.mutation(api.coaching.complete, { sessionId }))).toBe("FAILED_PRECONDITION");
    expect(await errorCodeOf(john.as.mutation(api.coaching.start, { sessionId }))).toBe("FAILED_PRECONDITION");
    expect(await errorCodeOf(sarah.as.mutation(api.coaching.complete, { sessionId }))).toBe("NOT_FOUND");

    vi.setSystemTime(JOHN_MONDAY_9AM - 10 * MINUTE_MS);
    await john.as.mutation(api.coaching.start, { sessionId });
    vi.setSystemTime(JOHN_MONDAY_9AM + 5 * MINUTE_MS);
    expect(await errorCodeOf(amira.as.mutation(api.coaching.cancel, { sessionId }))).toBe("FAILED_PRECONDITION");
    await john.as.mutation(api.coaching.complete, { sessionId });
    expect(await amira.as.query(api.coaching.getSession, { now: Date.now(), sessionId })).toMatchObject({ status: "COMPLETED" });
    expect(await errorCodeOf(john.as.mutation(api.coaching.cancel, { sessionId }))).toBe("FAILED_PRECONDITION");
    const completed = await t.run((ctx) => ctx.db.get("coachingSessions", sessionId));
    expect(completed).toMatchObject({ completedBy: john.userId, completedAt: JOHN_MONDAY_9AM + 5 * MINUTE_MS });
  });

  test("a coach finds yesterday's session they forgot to complete among their past sessions and completes it", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    const { amira, ben, john, coachingProductId } = world;
    const forgotten = await amira.as.mutation(api.coaching.book, { coachingProductId, coachId: john.userId, startTime: JOHN_MONDAY_9AM });
    const later = await ben.as.mutation(api.coaching.book, { coachingProductId, coachId: john.userId, startTime: JOHN_MONDAY_9AM + 60 * MINUTE_MS });
    expect(await john.as.query(api.coaching.coachPastSessions, { now: Date.now() })).toEqual([]);

    // The next day both have ended: newest first, and the coach may still complete them.
    vi.setSystemTime(JOHN_MONDAY_9AM + DAY_MS);
    const past = await john.as.query(api.coaching.coachPastSessions, { now: Date.now() });
    expect(past.map((session) => session._id)).toEqual([later, forgotten]);
    expect(past[1]).toMatchObject({ status: "SCHEDULED", viewerCan: { complete: true } });
    expect((await john.as.query(api.coaching.coachPastSessions, { now: Date.now(), limit: 1 })).map((session) => session._id)).toEqual([later]);
    await john.as.mutation(api.coaching.complete, { sessionId: forgotten });
    expect((await john.as.query(api.coaching.coachPastSessions, { now: Date.now() }))[1]).toMatchObject({ status: "COMPLETED" });
    // Ended sessions are not in the upcoming window any more.
    expect(await john.as.query(api.coaching.coachSessions, { now: Date.now(), from: JOHN_MONDAY_9AM + DAY_MS - HOUR_MS, days: 7 })).toEqual([]);
  });

  test("at its start time a booked session moves to IN_PROGRESS by itself; an early start or a cancellation is left alone", async () => {
    pinClock(MONDAY, true);
    const world = await coachingWorld(newTest());
    const { amira, ben, chloe, john, sarah, coachingProductId, t } = world;
    const waiting = await amira.as.mutation(api.coaching.book, { coachingProductId, coachId: john.userId, startTime: JOHN_MONDAY_9AM });
    const startedEarly = await ben.as.mutation(api.coaching.book, { coachingProductId, coachId: sarah.userId, startTime: SARAH_MONDAY_9AM });
    const cancelled = await chloe.as.mutation(api.coaching.book, {
      coachingProductId,
      coachId: john.userId,
      startTime: JOHN_MONDAY_9AM + 30 * MINUTE_MS,
    });
    await chloe.as.mutation(api.coaching.cancel, { sessionId: cancelled });

    // Only the fake timers move the clock here (setSystemTime would not move the jobs' timers with it).
    vi.advanceTimersByTime(SARAH_MONDAY_9AM - 10 * MINUTE_MS - Date.now());
    await sarah.as.mutation(api.coaching.start, { sessionId: startedEarly });
    vi.advanceTimersByTime(JOHN_MONDAY_9AM - 1 - Date.now());
    await t.finishInProgressScheduledFunctions();
    expect((await amira.as.query(api.coaching.getSession, { now: Date.now(), sessionId: waiting })).status).toBe("SCHEDULED");

    vi.advanceTimersByTime(1);
    await t.finishInProgressScheduledFunctions();
    expect((await amira.as.query(api.coaching.getSession, { now: Date.now(), sessionId: waiting })).status).toBe("IN_PROGRESS");
    expect((await ben.as.query(api.coaching.getSession, { now: Date.now(), sessionId: startedEarly })).status).toBe("IN_PROGRESS");
    vi.advanceTimersByTime(31 * MINUTE_MS);
    await t.finishInProgressScheduledFunctions();
    expect((await chloe.as.query(api.coaching.getSession, { now: Date.now(), sessionId: cancelled })).status).toBe("CANCELLED");
  });

  test("staff cancel and complete any coaching session", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    const { amira, ben, john, sarah, coachingProductId, t } = world;
    const manager = await seedUser(t, { roles: ["enrollment_manager"] });
    const first = await amira.as.mutation(api.coaching.book, { coachingProductId, coachId: john.userId, startTime: JOHN_MONDAY_9AM });
    const second = await ben.as.mutation(api.coaching.book, { coachingProductId, coachId: sarah.userId, startTime: SARAH_MONDAY_9AM });
    await manager.as.mutation(api.coaching.cancel, { sessionId: first });
    vi.setSystemTime(SARAH_MONDAY_9AM + 40 * MINUTE_MS);
    await world.admin.as.mutation(api.coaching.complete, { sessionId: second });
    expect((await t.run((ctx) => ctx.db.get("coachingSessions", first)))?.cancelledBy).toBe(manager.userId);
    expect((await t.run((ctx) => ctx.db.get("coachingSessions", second)))?.status).toBe("COMPLETED");
  });
});

describe("availability", () => {
  test("coaches replace their weekly windows; bad windows are refused and nothing changes", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    const { john } = world;
    const saved = await john.as.mutation(api.coachingAvailability.setMine, {
      timeZone: "America/New_York",
      windows: [
        { weekday: 2, startMinute: 13 * 60, endMinute: 15 * 60 },
        { weekday: 2, startMinute: 9 * 60, endMinute: 12 * 60 },
      ],
    });
    expect(saved.windows).toEqual([
      { weekday: 2, startMinute: 9 * 60, endMinute: 12 * 60 },
      { weekday: 2, startMinute: 13 * 60, endMinute: 15 * 60 },
    ]);
    const bad = [
      [{ weekday: 2, startMinute: 9 * 60, endMinute: 12 * 60 }, { weekday: 2, startMinute: 11 * 60, endMinute: 13 * 60 }],
      [{ weekday: 7, startMinute: 60, endMinute: 120 }],
      [{ weekday: 1, startMinute: 600, endMinute: 540 }],
      [{ weekday: 1, startMinute: 601, endMinute: 700 }],
      [{ weekday: 1, startMinute: 0, endMinute: 1445 }],
    ];
    for (const windows of bad) {
      expect(await errorCodeOf(john.as.mutation(api.coachingAvailability.setMine, { timeZone: "America/New_York", windows }))).toBe("INVALID_ARGUMENT");
    }
    expect(await errorCodeOf(john.as.mutation(api.coachingAvailability.setMine, { timeZone: "Nowhere/Land", windows: [] }))).toBe("INVALID_ARGUMENT");
    expect((await john.as.query(api.coachingAvailability.mine, {})).windows).toEqual(saved.windows);
    // Monday is no longer available, so Monday bookings are refused.
    expect(
      await errorCodeOf(world.amira.as.mutation(api.coaching.book, { coachingProductId: world.coachingProductId, coachId: john.userId, startTime: JOHN_MONDAY_9AM })),
    ).toBe("INVALID_ARGUMENT");
  });
});

describe("access rules per role", () => {
  async function setUp() {
    pinClock();
    const world = await coachingWorld(newTest());
    const { t } = world;
    const people = {
      mentor: await seedUser(t, { roles: ["mentor"] }),
      lecturer: await seedUser(t, { roles: ["lecturer"] }),
      enrollmentManager: await seedUser(t, { roles: ["enrollment_manager"] }),
      superadmin: await seedUser(t, { roles: ["superadmin"] }),
      otherCoach: await seedUser(t, { roles: ["coach"], name: "Olga Coach" }),
    };
    const sessionId = await world.amira.as.mutation(api.coaching.book, {
      coachingProductId: world.coachingProductId,
      coachId: world.john.userId,
      startTime: JOHN_MONDAY_9AM,
    });
    return { world, people, sessionId, anonymous: t };
  }

  test("coaching products, slots and sessions: who sees what", async () => {
    const { world, people, sessionId, anonymous } = await setUp();
    const { coachingProductId } = world;
    const productCount = async (who: Awaited<ReturnType<typeof seedUser>>) => (await who.as.query(api.coaching.listProducts, {})).length;
    expect(await productCount(world.amira)).toBe(1);
    expect(await productCount(world.dev)).toBe(0);
    expect(await productCount(world.john)).toBe(1);
    expect(await productCount(people.otherCoach)).toBe(0);
    expect(await productCount(people.mentor)).toBe(0);
    expect(await productCount(people.lecturer)).toBe(0);
    expect(await productCount(people.enrollmentManager)).toBe(1);
    expect(await productCount(world.admin)).toBe(1);
    expect(await productCount(people.superadmin)).toBe(1);
    expect(await errorCodeOf(anonymous.query(api.coaching.listProducts, {}))).toBe("UNAUTHENTICATED");

    for (const who of [world.dev, people.mentor, people.lecturer, people.otherCoach]) {
      expect(await errorCodeOf(who.as.query(api.coaching.getProduct, { coachingProductId }))).toBe("NOT_FOUND");
      expect(await errorCodeOf(who.as.query(api.coaching.listSlots, { now: Date.now(), coachingProductId, fromDate: "2026-03-02", days: 1 }))).toBe("NOT_FOUND");
    }
    for (const who of [world.amira, world.john, world.admin, people.enrollmentManager]) {
      expect((await who.as.query(api.coaching.getProduct, { coachingProductId })).coaches.map((coach) => coach.name)).toEqual([
        "John Coach",
        "Sarah Coach",
      ]);
    }

    // Sessions: the student, the coach and staff see it; nobody else learns it exists.
    for (const who of [world.amira, world.john, world.admin, people.enrollmentManager, people.superadmin]) {
      expect((await who.as.query(api.coaching.getSession, { now: Date.now(), sessionId }))._id).toBe(sessionId);
    }
    for (const who of [world.ben, world.sarah, people.mentor, people.lecturer, people.otherCoach]) {
      expect(await errorCodeOf(who.as.query(api.coaching.getSession, { now: Date.now(), sessionId }))).toBe("NOT_FOUND");
    }
    expect(await errorCodeOf(anonymous.query(api.coaching.getSession, { now: Date.now(), sessionId }))).toBe("UNAUTHENTICATED");
    expect(await world.ben.as.query(api.coaching.myBookings, { now: Date.now(), scope: "upcoming" })).toEqual([]);

    // Coach schedules: own for coaches, anyone's for staff who read all sessions.
    const from = Date.UTC(2026, 2, 2);
    expect(await world.john.as.query(api.coaching.coachSessions, { now: Date.now(), from, days: 7 })).toHaveLength(1);
    expect(await world.sarah.as.query(api.coaching.coachSessions, { now: Date.now(), from, days: 7 })).toHaveLength(0);
    expect(await errorCodeOf(world.sarah.as.query(api.coaching.coachSessions, { now: Date.now(), from, days: 7, coachId: world.john.userId }))).toBe("FORBIDDEN");
    for (const who of [world.amira, people.mentor, people.lecturer]) {
      expect(await errorCodeOf(who.as.query(api.coaching.coachSessions, { now: Date.now(), from, days: 7 }))).toBe("FORBIDDEN");
    }
    for (const who of [world.admin, people.enrollmentManager, people.superadmin]) {
      expect(await who.as.query(api.coaching.coachSessions, { now: Date.now(), from, days: 7, coachId: world.john.userId })).toHaveLength(1);
    }
    // Past sessions follow the same rule.
    vi.setSystemTime(JOHN_MONDAY_9AM + DAY_MS);
    expect(await world.john.as.query(api.coaching.coachPastSessions, { now: Date.now() })).toHaveLength(1);
    expect(await world.sarah.as.query(api.coaching.coachPastSessions, { now: Date.now() })).toHaveLength(0);
    expect(await errorCodeOf(world.sarah.as.query(api.coaching.coachPastSessions, { now: Date.now(), coachId: world.john.userId }))).toBe("FORBIDDEN");
    for (const who of [world.amira, people.mentor, people.lecturer]) {
      expect(await errorCodeOf(who.as.query(api.coaching.coachPastSessions, { now: Date.now() }))).toBe("FORBIDDEN");
    }
    for (const who of [world.admin, people.enrollmentManager, people.superadmin]) {
      expect(await who.as.query(api.coaching.coachPastSessions, { now: Date.now(), coachId: world.john.userId })).toHaveLength(1);
    }
    expect(await errorCodeOf(anonymous.query(api.coaching.coachPastSessions, { now: Date.now() }))).toBe("UNAUTHENTICATED");
  });

  test("only admins manage coaching products; only students book; cancellation rights", async () => {
    const { world, people, sessionId, anonymous } = await setUp();
    const { productId, coachingProductId, john } = world;
    const input = { productId, title: "Mock interviews", durationMinutes: 60, priceCents: 15000, coachIds: [john.userId], active: true };
    for (const who of [world.amira, world.john, people.mentor, people.lecturer, people.enrollmentManager]) {
      expect(await errorCodeOf(who.as.mutation(api.coaching.createProduct, input))).toBe("FORBIDDEN");
      expect(await errorCodeOf(who.as.mutation(api.coaching.updateProduct, { coachingProductId, ...input }))).toBe("FORBIDDEN");
    }
    expect(await errorCodeOf(anonymous.mutation(api.coaching.createProduct, input))).toBe("UNAUTHENTICATED");
    await people.superadmin.as.mutation(api.coaching.createProduct, input);
    await world.admin.as.mutation(api.coaching.createProduct, { ...input, title: "Portfolio review" });
    expect(await errorCodeOf(world.admin.as.mutation(api.coaching.createProduct, { ...input, coachIds: [world.amira.userId] }))).toBe(
      "INVALID_ARGUMENT",
    );
    expect(await errorCodeOf(world.admin.as.mutation(api.coaching.createProduct, { ...input, durationMinutes: 7 }))).toBe("INVALID_ARGUMENT");

    const book = { coachingProductId, coachId: world.sarah.userId, startTime: SARAH_MONDAY_9AM };
    for (const who of [world.john, people.mentor, people.lecturer, people.enrollmentManager, world.admin]) {
      expect(await errorCodeOf(who.as.mutation(api.coaching.book, book))).toBe("FORBIDDEN");
    }
    expect(await errorCodeOf(anonymous.mutation(api.coaching.book, book))).toBe("UNAUTHENTICATED");

    for (const who of [people.mentor, people.lecturer, people.otherCoach, world.sarah, world.ben]) {
      expect(await errorCodeOf(who.as.mutation(api.coaching.cancel, { sessionId }))).toBe("NOT_FOUND");
    }
    expect(await errorCodeOf(anonymous.mutation(api.coaching.cancel, { sessionId }))).toBe("UNAUTHENTICATED");
    await people.superadmin.as.mutation(api.coaching.cancel, { sessionId });
  });

  test("availability: coaches edit their own, admins anyone's, staff read", async () => {
    const { world, people, anonymous } = await setUp();
    const windows = [{ weekday: 3, startMinute: 600, endMinute: 660 }];
    for (const who of [world.amira, people.mentor, people.lecturer, people.enrollmentManager, world.admin]) {
      expect(await errorCodeOf(who.as.mutation(api.coachingAvailability.setMine, { timeZone: "UTC", windows }))).toBe("FORBIDDEN");
      expect(await errorCodeOf(who.as.query(api.coachingAvailability.mine, {}))).toBe("FORBIDDEN");
    }
    expect(await errorCodeOf(anonymous.query(api.coachingAvailability.mine, {}))).toBe("UNAUTHENTICATED");
    for (const who of [world.amira, world.sarah, people.mentor, people.lecturer]) {
      expect(await errorCodeOf(who.as.query(api.coachingAvailability.ofCoach, { coachId: world.john.userId }))).toBe("FORBIDDEN");
    }
    for (const who of [world.john, world.admin, people.enrollmentManager]) {
      expect((await who.as.query(api.coachingAvailability.ofCoach, { coachId: world.john.userId })).timeZone).toBe("America/New_York");
    }
    for (const who of [world.john, people.enrollmentManager, world.amira]) {
      expect(
        await errorCodeOf(who.as.mutation(api.coachingAvailability.setForCoach, { coachId: world.sarah.userId, timeZone: "UTC", windows })),
      ).toBe("FORBIDDEN");
    }
    await world.admin.as.mutation(api.coachingAvailability.setForCoach, { coachId: world.sarah.userId, timeZone: "UTC", windows });
    expect((await world.sarah.as.query(api.coachingAvailability.mine, {})).windows).toEqual(windows);

    // The coaches overview: staff who read all sessions or manage coaching; nobody else.
    for (const who of [world.amira, world.john, people.mentor, people.lecturer]) {
      expect(await errorCodeOf(who.as.query(api.coachingAvailability.coaches, {}))).toBe("FORBIDDEN");
    }
    expect(await errorCodeOf(anonymous.query(api.coachingAvailability.coaches, {}))).toBe("UNAUTHENTICATED");
    for (const who of [world.admin, people.enrollmentManager, people.superadmin]) {
      const coaches = await who.as.query(api.coachingAvailability.coaches, {});
      expect(coaches.map((coach) => coach.name)).toEqual(["John Coach", "Olga Coach", "Sarah Coach"]);
    }
    const overview = await world.admin.as.query(api.coachingAvailability.coaches, {});
    expect(overview.find((coach) => coach.coachId === world.sarah.userId)).toMatchObject({ timeZone: "UTC", weeklyMinutes: 60, weekdays: [3] });
    expect(overview.find((coach) => coach.coachId === world.john.userId)).toMatchObject({
      timeZone: "America/New_York",
      weeklyMinutes: 5 * 8 * 60,
      weekdays: [1, 2, 3, 4, 5],
    });
    expect(overview.find((coach) => coach.coachId === people.otherCoach.userId)).toMatchObject({ timeZone: null, weeklyMinutes: 0, weekdays: [] });
    expect(
      await errorCodeOf(world.admin.as.mutation(api.coachingAvailability.setForCoach, { coachId: world.amira.userId, timeZone: "UTC", windows })),
    ).toBe("INVALID_ARGUMENT");
  });
});
