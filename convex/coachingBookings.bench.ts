import { expect, test } from "vitest";
import { api } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { newTest, seedCoachingProduct, seedProduct, seedUser } from "../testing/convex";
import { coachingSessionRow, insertInChunks, measureReads, type ReadMetrics, type SignedInCtx } from "../testing/bench";
import { DAY_MS, HOUR_MS } from "./model/time/units";

/**
 * Benchmark (`npm run bench`): documents read per call of the free-slot and booking queries at 10×
 * and 100× bookings. Each scale unit is one other coach with 100 bookings (spread over ±50
 * days, interleaved with the measured coach's), their weekly hours and a time-off date each; 100× is
 * 100 coaches and 10,000 bookings. The measured coach, product and student have the same hours,
 * 20 bookings, date overrides and settings at both scales, so the target is a figure that stays flat.
 */
const COACHES_PER_UNIT = 1;
const BOOKINGS_PER_COACH = 100;

function sessionFields(coachId: Id<"users">, studentId: Id<"users">, coachingProductId: Id<"coachingProducts">, productId: Id<"products">, startTime: number) {
  return coachingSessionRow({
    coachId,
    studentId,
    coachingProductId,
    productId,
    startTime,
    durationMinutes: 30,
    discordKey: String(startTime).slice(-8),
    provisioningState: "not_configured",
  });
}

function dayString(instant: number): string {
  return new Date(instant).toISOString().slice(0, 10);
}

async function seedScale(scale: number) {
  const t = newTest();
  const now = Date.now();
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  const student = await seedUser(t, { roles: ["student"], timeZone: "UTC" });
  const coach = await seedUser(t, { roles: ["coach"], timeZone: "UTC" });
  const productId = await seedProduct(t, "Coaching", "coaching", [student.userId]);
  const coachingProductId = await seedCoachingProduct(t, productId, [coach.userId], {
    bufferAfterMinutes: 15,
    minimumNoticeHours: 2,
    bookingHorizonDays: 60,
  });
  const otherStudent = await t.run((ctx) => ctx.db.insert("users", { name: "Other student", email: "other@example.com", roles: ["student"], active: true }));

  // The measured coach: 08:00–18:00 UTC every day, 20 bookings over the coming 10 days, 3 overrides.
  await t.run(async (ctx) => {
    for (let weekday = 0; weekday < 7; weekday += 1) {
      await ctx.db.insert("coachAvailability", { coachId: coach.userId, weekday, startMinute: 8 * 60, endMinute: 18 * 60, timeZone: "UTC" });
    }
    await ctx.db.insert("coachSchedulingSettings", { coachId: coach.userId, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, dailyLimit: 6 });
    for (let index = 0; index < 20; index += 1) {
      const startTime = today + (1 + Math.floor(index / 2)) * DAY_MS + (9 + (index % 2) * 3) * HOUR_MS;
      await ctx.db.insert("coachingSessions", sessionFields(coach.userId, index % 2 === 0 ? student.userId : otherStudent, coachingProductId, productId, startTime));
    }
    await ctx.db.insert("coachDateOverrides", { coachId: coach.userId, date: dayString(today + 2 * DAY_MS), kind: "time_off", startMinute: 0, endMinute: 1440, timeZone: "UTC", note: "" });
    await ctx.db.insert("coachDateOverrides", { coachId: coach.userId, date: dayString(today + 3 * DAY_MS), kind: "time_off", startMinute: 600, endMinute: 720, timeZone: "UTC", note: "" });
    await ctx.db.insert("coachDateOverrides", { coachId: coach.userId, date: dayString(today + 4 * DAY_MS), kind: "extra_hours", startMinute: 1080, endMinute: 1260, timeZone: "UTC", note: "" });
  });

  // Everyone else: `scale` × 10 coaches with 100 bookings each around now, hours and a day off.
  const coachCount = scale * COACHES_PER_UNIT;
  const otherCoaches = await t.run(async (ctx) => {
    const ids: Id<"users">[] = [];
    for (let index = 0; index < coachCount; index += 1) {
      const coachId = await ctx.db.insert("users", { name: `Coach ${index}`, email: `coach${index}@example.com`, roles: ["coach"], active: true });
      ids.push(coachId);
    }
    return ids;
  });
  const rows = otherCoaches.flatMap((coachId, coachIndex) =>
    Array.from({ length: BOOKINGS_PER_COACH }, (_, index) => ({ coachId, startTime: today - 50 * DAY_MS + index * DAY_MS + ((coachIndex % 10) + 8) * HOUR_MS })),
  );
  await insertInChunks(t, rows.length, (ctx, index) =>
    ctx.db.insert("coachingSessions", sessionFields(rows[index].coachId, otherStudent, coachingProductId, productId, rows[index].startTime)),
  );
  await insertInChunks(t, otherCoaches.length, async (ctx, index) => {
    const coachId = otherCoaches[index];
    await ctx.db.insert("coachAvailability", { coachId, weekday: 1, startMinute: 480, endMinute: 1080, timeZone: "UTC" });
    await ctx.db.insert("coachDateOverrides", { coachId, date: dayString(today + 2 * DAY_MS), kind: "time_off", startMinute: 0, endMinute: 1440, timeZone: "UTC", note: "" });
  });
  return { t, now, today, student, coach, coachingProductId, bookings: rows.length + 20 };
}

type Measured = ReadMetrics & { items: number };

/** The number of items `call` returns, with {@link measureReads}' metrics. */
async function measure(as: Awaited<ReturnType<typeof seedUser>>["as"], call: (ctx: SignedInCtx) => Promise<number>): Promise<Measured> {
  return await measureReads(as, async (ctx) => ({ items: await call(ctx) }));
}

test("free-slot and booking queries read the same number of documents at 10× and 100× bookings", async () => {
  const rows: Array<{ scale: string; query: string } & Measured> = [];
  for (const scale of [10, 100]) {
    const { now, today, student, coach, coachingProductId, bookings } = await seedScale(scale);
    const label = `${scale}× (${bookings} bookings)`;
    const fromDate = dayString(today + DAY_MS);
    rows.push({
      scale: label,
      query: "listSlots (7 days)",
      ...(await measure(student.as, async (ctx) =>
        (await ctx.runQuery(api.coaching.listSlots, { now: Date.now(), coachingProductId, fromDate, days: 7, timeZone: "UTC" })).slots.length,
      )),
    });
    rows.push({
      scale: label,
      query: "myBookings upcoming",
      ...(await measure(student.as, async (ctx) => (await ctx.runQuery(api.coaching.myBookings, { now: Date.now(), scope: "upcoming" })).length)),
    });
    rows.push({
      scale: label,
      query: "coachSessions (7 days)",
      ...(await measure(coach.as, async (ctx) => (await ctx.runQuery(api.coaching.coachSessions, { now: Date.now(), from: today + DAY_MS, days: 7 })).length)),
    });
    rows.push({
      scale: label,
      query: "bookingsInTimeOff",
      ...(await measure(coach.as, async (ctx) => (await ctx.runQuery(api.coachingAvailability.bookingsInTimeOff, { now })).length)),
    });
  }
  console.table(rows);
  for (const query of new Set(rows.map((row) => row.query))) {
    const [small, large] = rows.filter((row) => row.query === query);
    expect(small.items, `${query} returns something to measure`).toBeGreaterThan(0);
    expect(large.items).toBe(small.items);
    expect(large.documentsRead, `${query}: documents read flat from 10× to 100×`).toBe(small.documentsRead);
  }
});
