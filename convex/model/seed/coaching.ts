import type { Id } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import { availabilityOf, normalizeWindows, replaceAvailability } from "../coaching/availability";
import { type WeeklyWindow } from "../coaching/time";
import { moveDiscordSpace } from "../discord/move";
import { createDiscordSpace } from "../discord/spaces";
import type { SeededCatalog } from "./catalog";
import { addDays, localDateOf, localMinuteToInstant } from "../time/localDates";
import { MINUTE_MS } from "../time/units";
import { sessionTimes } from "../coaching/timeNames";

/**
 * Demo coaching: the coaching offer on the seeded "1:1 Career Coaching" product (45 minutes, John
 * and Sarah), both coaches' weekly availability, and bookings for Amira and Chloe (two upcoming, one
 * completed). Rows are found again by natural keys (product, coach, the booking's demo note) and
 * brought back to the demo state, so running the seed twice changes nothing.
 */

const PRODUCT_TITLE = "1:1 Career Coaching";
const DURATION_MINUTES = 45;

const weekdays = (days: number[], startMinute: number, endMinute: number): WeeklyWindow[] =>
  days.map((weekday) => ({ weekday, startMinute, endMinute }));

const AVAILABILITY = [
  {
    coach: "persona-coach-john",
    timeZone: "America/New_York",
    windows: [...weekdays([1, 2, 3, 4, 5], 9 * 60, 12 * 60), ...weekdays([1, 3], 14 * 60, 17 * 60)],
  },
  { coach: "persona-coach-sarah", timeZone: "Europe/London", windows: weekdays([1, 2, 3, 4], 10 * 60, 16 * 60) },
];

/** Demo bookings: `daysAhead` (negative = past) to the next weekday, at `localMinute` in the coach's zone. */
const BOOKINGS = [
  { student: "persona-student-amira", coach: "persona-coach-john", daysAhead: 2, localMinute: 10 * 60, note: "Demo: CV review before applying to backend roles." },
  { student: "persona-student-chloe", coach: "persona-coach-sarah", daysAhead: 3, localMinute: 11 * 60, note: "Demo: preparing for a data analyst interview." },
  { student: "persona-student-amira", coach: "persona-coach-sarah", daysAhead: -7, localMinute: 13 * 60, note: "Demo: first career conversation." },
] as const;

/** The first Monday–Friday on or after `now + daysAhead` days in `timeZone`, at `localMinute`. */
function weekdayInstant(now: number, daysAhead: number, localMinute: number, timeZone: string): number {
  let date = localDateOf(now + daysAhead * 24 * 60 * MINUTE_MS, timeZone);
  while (date.weekday === 0 || date.weekday === 6) date = addDays(date, daysAhead < 0 ? -1 : 1);
  return localMinuteToInstant(date, localMinute, timeZone);
}

/**
 * Seeds coaching on top of the catalog.
 * @param now epoch ms the demo dates are relative to (start of the current day, UTC).
 * @param realNow epoch ms of the call (which demo sessions are already over).
 */
export async function seedCoaching(ctx: MutationCtx, catalog: SeededCatalog, now: number, realNow: number): Promise<void> {
  const people = catalog.usersBySubject;
  const productId = catalog.products[PRODUCT_TITLE];
  const coachIds = [people["persona-coach-john"], people["persona-coach-sarah"]];
  const fields = {
    productId,
    title: PRODUCT_TITLE,
    description: "A private 45-minute video call with a career coach: CV, portfolio, interviews, job search.",
    durationMinutes: DURATION_MINUTES,
    priceCents: 12_000,
    coachIds,
    active: true,
  };
  const existing = (
    await ctx.db
      .query("coachingProducts")
      .withIndex("by_productId", (q) => q.eq("productId", productId))
      .take(20)
  ).find((row) => row.title === PRODUCT_TITLE);
  const coachingProductId = existing?._id ?? (await ctx.db.insert("coachingProducts", fields));
  if (existing) await ctx.db.replace("coachingProducts", existing._id, fields);

  for (const entry of AVAILABILITY) {
    const current = await availabilityOf(ctx, people[entry.coach]);
    const same = current.timeZone === entry.timeZone && JSON.stringify(current.windows) === JSON.stringify(normalizeWindows(entry.windows));
    if (!same) await replaceAvailability(ctx, people[entry.coach], entry.timeZone, entry.windows);
  }

  for (const booking of BOOKINGS) {
    const studentId: Id<"users"> = people[booking.student];
    const coachId: Id<"users"> = people[booking.coach];
    const timeZone = AVAILABILITY.find((entry) => entry.coach === booking.coach)!.timeZone;
    const startTime = weekdayInstant(now, booking.daysAhead, booking.localMinute, timeZone);
    const endTime = startTime + DURATION_MINUTES * MINUTE_MS;
    const past = booking.daysAhead < 0;
    const mine = await ctx.db
      .query("coachingSessions")
      .withIndex("by_studentId_and_startTime", (q) => q.eq("studentId", studentId))
      .take(200);
    const found = mine.find((session) => session.notes === booking.note && session.coachId === coachId);
    if (found) {
      // Keep the demo in place: move an upcoming booking forward only once its day has passed.
      if (!past && found.status === "SCHEDULED" && found.endTime <= realNow) {
        await ctx.db.patch("coachingSessions", found._id, sessionTimes(startTime, endTime));
        await moveDiscordSpace(ctx, found._id, { startTime, endTime }, realNow);
      }
      continue;
    }
    const sessionId = await ctx.db.insert("coachingSessions", {
      coachId,
      studentId,
      coachingProductId,
      productId,
      ...sessionTimes(startTime, endTime),
      durationMinutes: DURATION_MINUTES,
      status: past ? "COMPLETED" : "SCHEDULED",
      notes: booking.note,
      reminderSent: past,
      bookedBy: studentId,
      ...(past ? { completedAt: endTime, completedBy: coachId } : {}),
    });
    await createDiscordSpace(ctx, { _id: sessionId, startTime, endTime }, realNow, past ? { finishedAs: "COMPLETED" } : {});
  }
}
