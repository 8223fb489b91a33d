import ICAL from "ical.js";
import { afterEach, describe, expect, test, vi } from "vitest";
import { api } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { errorCodeOf, newTest, seedUser } from "../testing/convex";
import { coachingFootprint, coachingWorld, JOHN_MONDAY_9AM, MONDAY, pinClock, type CoachingWorld } from "./model/coaching/fixtures.testing";
import { book, discordWorld, runScheduled, sessionRow } from "./model/discord/fixtures.testing";
import { settle } from "./model/notifications/notifications.testkit";
import { DEFAULT_PRODUCT_POLICY, type ProductPolicy } from "./model/coaching/policy";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./model/time/units";

/**
 * Issue #15: date overrides and time off, buffers, minimum notice, horizon, daily limit,
 * rescheduling, the cancellation policy, no-shows and session allowances. The clock is pinned to
 * Monday 2 March 2026 08:00 UTC; John coaches from New York, Sarah from London, 09:00–17:00 local on
 * weekdays; sessions last 30 minutes.
 */

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

const JOHN_TUESDAY_9AM = JOHN_MONDAY_9AM + DAY_MS;
const JOHN_WEDNESDAY_9AM = JOHN_MONDAY_9AM + 2 * DAY_MS;

async function setPolicy(world: CoachingWorld, policy: Partial<ProductPolicy>) {
  await world.admin.as.mutation(api.coaching.setPolicy, {
    coachingProductId: world.coachingProductId,
    policy: { ...DEFAULT_PRODUCT_POLICY, ...policy },
  });
}

async function johnsStarts(world: CoachingWorld, fromDate: string, days = 1) {
  const { slots } = await world.ben.as.query(api.coaching.listSlots, {
    now: Date.now(),
    coachingProductId: world.coachingProductId,
    fromDate,
    days,
    timeZone: "America/New_York",
    coachId: world.john.userId,
  });
  return slots.map((slot) => slot.startTime);
}

function bookJohn(world: CoachingWorld, student: "amira" | "ben" | "chloe", startTime: number) {
  return world[student].as.mutation(api.coaching.book, { coachingProductId: world.coachingProductId, coachId: world.john.userId, startTime });
}

async function accessOf(world: CoachingWorld, studentId: Id<"users">) {
  const access = await world.t.run((ctx) =>
    ctx.db
      .query("productAccess")
      .withIndex("by_studentId_and_productId", (q) => q.eq("studentId", studentId).eq("productId", world.productId))
      .first(),
  );
  if (access === null) throw new Error("no access");
  return access;
}

describe("product policy", () => {
  test("staff with coaching.manage set it within bounds; refused values write nothing", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    const manager = await seedUser(world.t, { roles: ["enrollment_manager"] });
    const policy = { bufferBeforeMinutes: 10, bufferAfterMinutes: 15, minimumNoticeHours: 12, bookingHorizonDays: 30, cancellationWindowHours: 24 };
    await setPolicy(world, policy);
    const product = await world.amira.as.query(api.coaching.getProduct, { coachingProductId: world.coachingProductId });
    // Students see the policy before they confirm.
    expect(product.policy).toEqual(policy);

    const refused: Array<Partial<ProductPolicy>> = [
      { bufferBeforeMinutes: -5 },
      { bufferAfterMinutes: 241 },
      { minimumNoticeHours: 1.5 },
      { bookingHorizonDays: 0 },
      { cancellationWindowHours: -1 },
      // A notice longer than the horizon leaves nothing to book.
      { minimumNoticeHours: 48, bookingHorizonDays: 2 },
    ];
    for (const change of refused) {
      expect(await errorCodeOf(world.admin.as.mutation(api.coaching.setPolicy, { coachingProductId: world.coachingProductId, policy: { ...policy, ...change } }))).toBe(
        "INVALID_ARGUMENT",
      );
    }
    for (const person of [world.john, world.amira, manager]) {
      expect(await errorCodeOf(person.as.mutation(api.coaching.setPolicy, { coachingProductId: world.coachingProductId, policy }))).toBe("FORBIDDEN");
    }
    expect((await world.admin.as.query(api.coaching.getProduct, { coachingProductId: world.coachingProductId })).policy).toEqual(policy);
    // Editing the product's other fields keeps its policy.
    await world.admin.as.mutation(api.coaching.updateProduct, {
      coachingProductId: world.coachingProductId,
      productId: world.productId,
      title: "Renamed",
      durationMinutes: 30,
      priceCents: 100,
      coachIds: [world.john.userId, world.sarah.userId],
      active: true,
    });
    expect((await world.admin.as.query(api.coaching.getProduct, { coachingProductId: world.coachingProductId })).policy).toEqual(policy);
  });

  test("minimum notice and booking horizon bound both the slots and the booking", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    await setPolicy(world, { minimumNoticeHours: 24, bookingHorizonDays: 3 });
    // Monday 08:00 UTC now: nothing on Monday; Tuesday's slots start from 09:00 New York (after 24 h).
    expect(await johnsStarts(world, "2026-03-02")).toEqual([]);
    expect((await johnsStarts(world, "2026-03-03"))[0]).toBe(JOHN_TUESDAY_9AM);
    // The horizon ends Thursday 08:00 UTC (03:00 New York): no Thursday slots.
    expect(await johnsStarts(world, "2026-03-05")).toEqual([]);
    expect(await errorCodeOf(bookJohn(world, "amira", JOHN_MONDAY_9AM))).toBe("INVALID_ARGUMENT");
    expect(await errorCodeOf(bookJohn(world, "amira", JOHN_MONDAY_9AM + 3 * DAY_MS))).toBe("INVALID_ARGUMENT");
    expect(await coachingFootprint(world.t)).toMatchObject({ sessions: 0, jobs: 0 });
    await bookJohn(world, "amira", JOHN_TUESDAY_9AM);
  });
});

describe("buffers and daily limit", () => {
  test("a product's buffer after and a coach's buffer before keep room around each session", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    await setPolicy(world, { bufferAfterMinutes: 15 });
    await bookJohn(world, "amira", JOHN_MONDAY_9AM + HOUR_MS); // 10:00–10:30 New York
    const starts = await johnsStarts(world, "2026-03-02");
    // 09:30 would end at 10:00 with no room after it; 10:30 would start right at the booked
    // session's end, inside its 15 minutes after. 09:00 and 11:00 leave room.
    expect(starts).not.toContain(JOHN_MONDAY_9AM + 30 * MINUTE_MS);
    expect(starts).not.toContain(JOHN_MONDAY_9AM + 90 * MINUTE_MS);
    expect(starts).toContain(JOHN_MONDAY_9AM);
    expect(starts).toContain(JOHN_MONDAY_9AM + 2 * HOUR_MS);
    expect(await errorCodeOf(bookJohn(world, "ben", JOHN_MONDAY_9AM + 30 * MINUTE_MS))).toBe("CONFLICT");
    expect(await errorCodeOf(bookJohn(world, "ben", JOHN_MONDAY_9AM + 90 * MINUTE_MS))).toBe("CONFLICT");

    // John asks for 45 minutes before each session: 09:00 (ends 09:30) and 11:00 now come too close.
    await world.john.as.mutation(api.coachingAvailability.setSettings, { bufferBeforeMinutes: 45, bufferAfterMinutes: 0, dailyLimit: null });
    const after = await johnsStarts(world, "2026-03-02");
    expect(after).not.toContain(JOHN_MONDAY_9AM);
    expect(after).not.toContain(JOHN_MONDAY_9AM + 2 * HOUR_MS);
    expect(after).toContain(JOHN_MONDAY_9AM + 2.5 * HOUR_MS);
    expect(await errorCodeOf(bookJohn(world, "ben", JOHN_MONDAY_9AM + 2 * HOUR_MS))).toBe("CONFLICT");
    await bookJohn(world, "ben", JOHN_MONDAY_9AM + 2.5 * HOUR_MS);
  });

  test("a coach's daily limit closes the day once it is reached; settings have bounds and owners", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    await world.john.as.mutation(api.coachingAvailability.setSettings, { bufferBeforeMinutes: 0, bufferAfterMinutes: 0, dailyLimit: 2 });
    await bookJohn(world, "amira", JOHN_MONDAY_9AM);
    await bookJohn(world, "ben", JOHN_MONDAY_9AM + 2 * HOUR_MS);
    expect(await johnsStarts(world, "2026-03-02")).toEqual([]);
    expect(await errorCodeOf(bookJohn(world, "chloe", JOHN_MONDAY_9AM + 4 * HOUR_MS))).toBe("CONFLICT");
    expect((await johnsStarts(world, "2026-03-03")).length).toBeGreaterThan(0);

    for (const bad of [{ bufferBeforeMinutes: -1 }, { bufferAfterMinutes: 500 }, { dailyLimit: 0 }]) {
      expect(
        await errorCodeOf(
          world.john.as.mutation(api.coachingAvailability.setSettings, { bufferBeforeMinutes: 0, bufferAfterMinutes: 0, dailyLimit: 2, ...bad }),
        ),
      ).toBe("INVALID_ARGUMENT");
    }
    expect(await world.john.as.query(api.coachingAvailability.settings, {})).toEqual({ bufferBeforeMinutes: 0, bufferAfterMinutes: 0, dailyLimit: 2 });
    // Another coach and students may not change John's settings; an admin may.
    const settings = { bufferBeforeMinutes: 5, bufferAfterMinutes: 5, dailyLimit: null, coachId: world.john.userId };
    expect(await errorCodeOf(world.sarah.as.mutation(api.coachingAvailability.setSettings, settings))).toBe("FORBIDDEN");
    expect(await errorCodeOf(world.amira.as.mutation(api.coachingAvailability.setSettings, settings))).toBe("FORBIDDEN");
    await world.admin.as.mutation(api.coachingAvailability.setSettings, settings);
    expect(await world.john.as.query(api.coachingAvailability.settings, {})).toEqual({ bufferBeforeMinutes: 5, bufferAfterMinutes: 5, dailyLimit: null });
  });
});

describe("date overrides", () => {
  test("time off removes slots, keeps the bookings inside it and lists them to the coach and staff", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    const manager = await seedUser(world.t, { roles: ["enrollment_manager"] });
    const sessionId = await bookJohn(world, "amira", JOHN_TUESDAY_9AM);
    const { bookingsInside } = await world.john.as.mutation(api.coachingAvailability.addOverrides, {
      dates: ["2026-03-03"],
      kind: "time_off",
      startMinute: 0,
      endMinute: 24 * 60,
      timeZone: "America/New_York",
      note: "Sick day",
    });
    expect(bookingsInside.map((booking) => [booking.sessionId, booking.studentName])).toEqual([[sessionId, "Amira Student"]]);
    expect(await johnsStarts(world, "2026-03-03")).toEqual([]);
    expect(await errorCodeOf(bookJohn(world, "ben", JOHN_TUESDAY_9AM + HOUR_MS))).toBe("INVALID_ARGUMENT");
    // Nothing is cancelled silently.
    expect((await world.amira.as.query(api.coaching.getSession, { now: Date.now(), sessionId })).status).toBe("SCHEDULED");
    for (const reader of [world.john, world.admin, manager]) {
      const listed = await reader.as.query(api.coachingAvailability.bookingsInTimeOff, { now: MONDAY, coachId: world.john.userId });
      expect(listed.map((booking) => booking.sessionId)).toEqual([sessionId]);
    }
    for (const outsider of [world.sarah, world.amira]) {
      expect(await errorCodeOf(outsider.as.query(api.coachingAvailability.bookingsInTimeOff, { now: MONDAY, coachId: world.john.userId }))).toBe(
        "FORBIDDEN",
      );
    }
    // Once the booking is moved out of the time off, the list is empty.
    await world.john.as.mutation(api.coaching.reschedule, { sessionId, startTime: JOHN_WEDNESDAY_9AM });
    expect(await world.john.as.query(api.coachingAvailability.bookingsInTimeOff, { now: MONDAY })).toEqual([]);
  });

  test("extra hours add slots on one date; hours off cut a window; bad overrides are refused and write nothing", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    // Saturday 7 March has no weekly hours; John adds 10:00–12:00.
    expect(await johnsStarts(world, "2026-03-07")).toEqual([]);
    await world.john.as.mutation(api.coachingAvailability.addOverrides, {
      dates: ["2026-03-07"],
      kind: "extra_hours",
      startMinute: 10 * 60,
      endMinute: 12 * 60,
      timeZone: "America/New_York",
    });
    const saturday = Date.UTC(2026, 2, 7, 15, 0); // 10:00 New York (UTC−5)
    expect(await johnsStarts(world, "2026-03-07")).toEqual([0, 1, 2, 3].map((i) => saturday + i * 30 * MINUTE_MS));
    await bookJohn(world, "ben", saturday);
    // Wednesday 12:00–14:00 off.
    await world.john.as.mutation(api.coachingAvailability.addOverrides, {
      dates: ["2026-03-04"],
      kind: "time_off",
      startMinute: 12 * 60,
      endMinute: 14 * 60,
      timeZone: "America/New_York",
    });
    const wednesday = await johnsStarts(world, "2026-03-04");
    expect(wednesday).toContain(JOHN_WEDNESDAY_9AM + 2.5 * HOUR_MS);
    expect(wednesday).not.toContain(JOHN_WEDNESDAY_9AM + 3 * HOUR_MS);
    expect(wednesday).not.toContain(JOHN_WEDNESDAY_9AM + 4.5 * HOUR_MS);
    expect(wednesday).toContain(JOHN_WEDNESDAY_9AM + 5 * HOUR_MS);

    const overrides = await world.john.as.query(api.coachingAvailability.overrides, { fromDate: "2026-03-01", days: 14 });
    expect(overrides.map((o) => [o.date, o.kind])).toEqual([
      ["2026-03-04", "time_off"],
      ["2026-03-07", "extra_hours"],
    ]);
    const base = { dates: ["2026-03-09"], kind: "time_off" as const, startMinute: 600, endMinute: 660, timeZone: "America/New_York" };
    const before = await world.t.run(async (ctx) => (await ctx.db.query("coachDateOverrides").collect()).length);
    for (const bad of [
      { startMinute: 660, endMinute: 600 },
      { startMinute: 600, endMinute: 600 },
      { startMinute: -5 },
      { endMinute: 1445 },
      { startMinute: 601 },
      { timeZone: "Mars/Olympus" },
      { dates: ["2026-02-30"] },
      { dates: [] },
      { dates: ["2026-03-09", "2026-03-09"] },
    ]) {
      expect(await errorCodeOf(world.john.as.mutation(api.coachingAvailability.addOverrides, { ...base, ...bad }))).toBe("INVALID_ARGUMENT");
    }
    expect(await errorCodeOf(world.sarah.as.mutation(api.coachingAvailability.addOverrides, { ...base, coachId: world.john.userId }))).toBe(
      "FORBIDDEN",
    );
    expect(await errorCodeOf(world.amira.as.mutation(api.coachingAvailability.addOverrides, base))).toBe("FORBIDDEN");
    expect(await world.t.run(async (ctx) => (await ctx.db.query("coachDateOverrides").collect()).length)).toBe(before);
    // Admins edit any coach's overrides; coaches remove their own.
    await world.admin.as.mutation(api.coachingAvailability.addOverrides, { ...base, coachId: world.john.userId });
    await world.john.as.mutation(api.coachingAvailability.removeOverride, { overrideId: overrides[0]._id });
    expect(await errorCodeOf(world.sarah.as.mutation(api.coachingAvailability.removeOverride, { overrideId: overrides[1]._id }))).toBe("NOT_FOUND");
  });
});

describe("daylight-saving nights", () => {
  // New York: clocks jump from 02:00 to 03:00 on Sunday 8 March 2026 and from 02:00 back to 01:00
  // on Sunday 1 November 2026. John adds extra hours 00:00–04:00 on both nights with a 60-minute
  // buffer after each session.
  test.each([
    {
      night: "spring forward, 8 March 2026",
      date: "2026-03-08",
      // 00:00 EST = 05:00 UTC … 04:00 EDT = 08:00 UTC: three real hours.
      from: Date.UTC(2026, 2, 8, 5, 0),
      to: Date.UTC(2026, 2, 8, 8, 0),
    },
    {
      night: "fall back, 1 November 2026",
      date: "2026-11-01",
      // 00:00 EDT = 04:00 UTC … 04:00 EST = 09:00 UTC: five real hours.
      from: Date.UTC(2026, 10, 1, 4, 0),
      to: Date.UTC(2026, 10, 1, 9, 0),
    },
  ])("a date override and a buffer keep wall-clock times on the $night", async ({ date, from, to }) => {
    pinClock();
    const world = await coachingWorld(newTest());
    await setPolicy(world, { bookingHorizonDays: 365, bufferAfterMinutes: 60 });
    await world.john.as.mutation(api.coachingAvailability.addOverrides, {
      dates: [date],
      kind: "extra_hours",
      startMinute: 0,
      endMinute: 4 * 60,
      timeZone: "America/New_York",
    });
    const slotCount = (to - from) / (30 * MINUTE_MS);
    const expected = Array.from({ length: slotCount }, (_, i) => from + i * 30 * MINUTE_MS);
    expect(await johnsStarts(world, date)).toEqual(expected);
    const overrides = await world.john.as.query(api.coachingAvailability.overrides, { fromDate: date, days: 1 });
    expect([overrides[0].startTime, overrides[0].endTime]).toEqual([from, to]);

    // A session one real hour into the night ends 30 minutes later; the next start must leave 60
    // real minutes after it, whatever the clocks show.
    const booked = from + HOUR_MS;
    await bookJohn(world, "amira", booked);
    const starts = await johnsStarts(world, date);
    expect(starts).not.toContain(booked + HOUR_MS); // 30 minutes after its end
    expect(starts).toContain(booked + 90 * MINUTE_MS); // 60 minutes after its end
    expect(await errorCodeOf(bookJohn(world, "ben", booked + HOUR_MS))).toBe("CONFLICT");
    // The buffer also applies before a new session: 30 minutes before `booked` would end right at it.
    expect(starts).not.toContain(booked - 30 * MINUTE_MS);
  });
});

/** METHOD, UID and SEQUENCE of an email's .ics invite. */
function invite(email: { attachments?: { filename: string; content: string }[] }) {
  const attachment = email.attachments?.find((file) => file.filename.endsWith(".ics"));
  if (!attachment) return null;
  const text = attachment.content.includes("BEGIN:VCALENDAR") ? attachment.content : atob(attachment.content);
  const event = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent("vevent")!;
  return {
    method: new ICAL.Component(ICAL.parse(text)).getFirstPropertyValue("method"),
    uid: event.getFirstPropertyValue("uid"),
    sequence: Number(event.getFirstPropertyValue("sequence")),
    start: (event.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate().getTime(),
  };
}

describe("reschedule", () => {
  test("the student moves a booking: same session, one email each with an updated invite, reminders moved", async () => {
    pinClock(undefined, true);
    const world = await coachingWorld(newTest());
    const { t, amira, john } = world;
    await setPolicy(world, { cancellationWindowHours: 24 });
    const sessionId = await bookJohn(world, "amira", JOHN_WEDNESDAY_9AM);
    await settle(t);
    const outbox = () => t.run((ctx) => ctx.db.query("emailOutbox").collect());
    const booked = await outbox();

    await amira.as.mutation(api.coaching.reschedule, { sessionId, startTime: JOHN_WEDNESDAY_9AM + 2 * HOUR_MS });
    await settle(t);
    const session = await amira.as.query(api.coaching.getSession, { now: Date.now(), sessionId });
    expect(session).toMatchObject({ _id: sessionId, status: "SCHEDULED", startTime: JOHN_WEDNESDAY_9AM + 2 * HOUR_MS, rescheduleCount: 1 });
    const moved = (await outbox()).filter((email) => !booked.some((earlier) => earlier._id === email._id));
    expect(moved.map((email) => email.recipientUserId).sort()).toEqual([amira.userId, john.userId].sort());
    for (const email of moved) {
      expect(email.subject).toContain("moved");
      const entry = invite(email)!;
      expect(entry.method).toBe("REQUEST");
      expect(entry.uid).toBe(invite(booked[0])!.uid);
      expect(entry.sequence).toBeGreaterThan(invite(booked[0])!.sequence);
      expect(entry.start).toBe(JOHN_WEDNESDAY_9AM + 2 * HOUR_MS);
    }
    const reminders = await t.run((ctx) => ctx.db.query("sessionReminders").collect());
    expect(reminders.length).toBeGreaterThan(0);
    expect(reminders.every((row) => row.startsAt === JOHN_WEDNESDAY_9AM + 2 * HOUR_MS)).toBe(true);
    // The old time is free again.
    expect(await johnsStarts(world, "2026-03-04")).toContain(JOHN_WEDNESDAY_9AM);
  });

  test("who may move a session, and every rule is re-checked for the new time", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    await setPolicy(world, { cancellationWindowHours: 24 });
    const early = await bookJohn(world, "amira", JOHN_MONDAY_9AM); // 6 hours away: inside the window
    const later = await bookJohn(world, "ben", JOHN_WEDNESDAY_9AM);
    // Amira is too late to move it herself; John (or staff) can.
    expect(await errorCodeOf(world.amira.as.mutation(api.coaching.reschedule, { sessionId: early, startTime: JOHN_TUESDAY_9AM }))).toBe(
      "FAILED_PRECONDITION",
    );
    expect((await world.amira.as.query(api.coaching.getSession, { now: Date.now(), sessionId: early })).viewerCan.reschedule).toBe(false);
    // Another student's session does not exist for her.
    expect(await errorCodeOf(world.amira.as.mutation(api.coaching.reschedule, { sessionId: later, startTime: JOHN_TUESDAY_9AM }))).toBe("NOT_FOUND");
    // Onto Ben's session: CONFLICT; outside John's hours: INVALID_ARGUMENT; nothing changes.
    expect(await errorCodeOf(world.john.as.mutation(api.coaching.reschedule, { sessionId: early, startTime: JOHN_WEDNESDAY_9AM }))).toBe("CONFLICT");
    expect(await errorCodeOf(world.john.as.mutation(api.coaching.reschedule, { sessionId: early, startTime: JOHN_TUESDAY_9AM - HOUR_MS }))).toBe(
      "INVALID_ARGUMENT",
    );
    expect((await world.john.as.query(api.coaching.getSession, { now: Date.now(), sessionId: early })).startTime).toBe(JOHN_MONDAY_9AM);
    // Moving within its own old time (30 minutes later overlaps itself only) is fine.
    await world.john.as.mutation(api.coaching.reschedule, { sessionId: early, startTime: JOHN_MONDAY_9AM + 30 * MINUTE_MS });
    await world.admin.as.mutation(api.coaching.reschedule, { sessionId: early, startTime: JOHN_TUESDAY_9AM });
    expect((await world.amira.as.query(api.coaching.getSession, { now: Date.now(), sessionId: early })).rescheduleCount).toBe(2);
  });

  test("a booking not provisioned yet gets its Discord provisioning planned for the new time", async () => {
    const world = await discordWorld();
    const sessionId = await book(world, "amira", "john", JOHN_WEDNESDAY_9AM);
    expect((await sessionRow(world.t, sessionId)).provisioningNextAttemptAt).toBe(JOHN_WEDNESDAY_9AM - DAY_MS);
    await world.amira.as.mutation(api.coaching.reschedule, { sessionId, startTime: JOHN_WEDNESDAY_9AM + DAY_MS });
    expect((await sessionRow(world.t, sessionId)).provisioningNextAttemptAt).toBe(JOHN_WEDNESDAY_9AM);
  });

  test("a session whose space exists keeps it when moved inside the lead window", async () => {
    const world = await discordWorld();
    const sessionId = await book(world, "amira", "john", JOHN_MONDAY_9AM);
    await runScheduled(world.t);
    const ready = await sessionRow(world.t, sessionId);
    expect(ready.provisioningState).toBe("ready");
    await world.amira.as.mutation(api.coaching.reschedule, { sessionId, startTime: JOHN_MONDAY_9AM + 2 * HOUR_MS });
    await runScheduled(world.t);
    const moved = await sessionRow(world.t, sessionId);
    expect(moved).toMatchObject({ provisioningState: "ready", discordChannelId: ready.discordChannelId, discordRoleId: ready.discordRoleId });
  });
});

describe("cancellation policy, no-show and allowances", () => {
  test("students cancel until the window; later only the coach, marked late; allowances follow", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    await setPolicy(world, { cancellationWindowHours: 24 });
    const access = await accessOf(world, world.amira.userId);
    await world.admin.as.mutation(api.coaching.setSessionAllowanceOfAccess, { accessId: access._id, allowance: 2 });
    const allowance = () => world.amira.as.query(api.coaching.myAllowance, { coachingProductId: world.coachingProductId });
    expect(await allowance()).toEqual({ total: 2, used: 0, remaining: 2 });

    const soon = await bookJohn(world, "amira", JOHN_MONDAY_9AM);
    const later = await bookJohn(world, "amira", JOHN_WEDNESDAY_9AM);
    expect(await allowance()).toEqual({ total: 2, used: 2, remaining: 0 });
    expect(await errorCodeOf(bookJohn(world, "amira", JOHN_TUESDAY_9AM))).toBe("FAILED_PRECONDITION");
    expect(await coachingFootprint(world.t)).toMatchObject({ sessions: 2 });

    // Two days ahead: inside the policy, the session comes back.
    await world.amira.as.mutation(api.coaching.cancel, { sessionId: later });
    expect(await allowance()).toEqual({ total: 2, used: 1, remaining: 1 });
    expect((await world.amira.as.query(api.coaching.getSession, { now: Date.now(), sessionId: later })).lateCancellation).toBe(false);

    // Six hours ahead: too late for Amira; John cancels, marked late, the session stays used.
    expect(await errorCodeOf(world.amira.as.mutation(api.coaching.cancel, { sessionId: soon }))).toBe("FAILED_PRECONDITION");
    await world.john.as.mutation(api.coaching.cancel, { sessionId: soon });
    expect(await world.amira.as.query(api.coaching.getSession, { now: Date.now(), sessionId: soon })).toMatchObject({ status: "CANCELLED", lateCancellation: true });
    expect(await allowance()).toEqual({ total: 2, used: 1, remaining: 1 });

    // Ben's access has no number: unlimited. Students may not change allowances.
    expect(await world.ben.as.query(api.coaching.myAllowance, { coachingProductId: world.coachingProductId })).toEqual({
      total: null,
      used: 0,
      remaining: null,
    });
    expect(await errorCodeOf(world.amira.as.mutation(api.coaching.setSessionAllowanceOfAccess, { accessId: access._id, allowance: 10 }))).toBe("FORBIDDEN");
    expect(await errorCodeOf(world.john.as.mutation(api.coaching.setSessionAllowanceOfAccess, { accessId: access._id, allowance: 10 }))).toBe("FORBIDDEN");
    expect(await errorCodeOf(world.admin.as.mutation(api.coaching.setSessionAllowanceOfAccess, { accessId: access._id, allowance: -1 }))).toBe(
      "INVALID_ARGUMENT",
    );
  });

  test("racing for the last slot or the last session: one booking, one clear refusal", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    const results = await Promise.allSettled([bookJohn(world, "amira", JOHN_MONDAY_9AM), bookJohn(world, "ben", JOHN_MONDAY_9AM)]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason.data.code).toBe("CONFLICT");

    const access = await accessOf(world, world.chloe.userId);
    await world.admin.as.mutation(api.coaching.setSessionAllowanceOfAccess, { accessId: access._id, allowance: 1 });
    const race = await Promise.allSettled([bookJohn(world, "chloe", JOHN_TUESDAY_9AM), bookJohn(world, "chloe", JOHN_WEDNESDAY_9AM)]);
    expect(race.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(((race.find((result) => result.status === "rejected") as PromiseRejectedResult).reason.data.code)).toBe("FAILED_PRECONDITION");
  });

  test("coaches mark a no-show once the session has started", async () => {
    pinClock();
    const world = await coachingWorld(newTest());
    const sessionId = await bookJohn(world, "amira", JOHN_MONDAY_9AM);
    expect(await errorCodeOf(world.john.as.mutation(api.coaching.markNoShow, { sessionId }))).toBe("FAILED_PRECONDITION");
    vi.setSystemTime(JOHN_MONDAY_9AM + 10 * MINUTE_MS);
    expect((await world.john.as.query(api.coaching.getSession, { now: Date.now(), sessionId })).viewerCan.markNoShow).toBe(true);
    expect(await errorCodeOf(world.amira.as.mutation(api.coaching.markNoShow, { sessionId }))).toBe("FORBIDDEN");
    expect(await errorCodeOf(world.sarah.as.mutation(api.coaching.markNoShow, { sessionId }))).toBe("NOT_FOUND");
    await world.john.as.mutation(api.coaching.markNoShow, { sessionId });
    expect(await world.amira.as.query(api.coaching.getSession, { now: Date.now(), sessionId })).toMatchObject({ status: "COMPLETED", noShow: true });
    expect(await errorCodeOf(world.john.as.mutation(api.coaching.markNoShow, { sessionId }))).toBe("FAILED_PRECONDITION");
  });
});
