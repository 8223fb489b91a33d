import { vi } from "vitest";
import { api } from "../../_generated/api";
import type { Id } from "../../_generated/dataModel";
import { seedProduct, seedUser, type TestBackend } from "../../../testing/convex";

/**
 * Test fixtures of the coaching feature: a coaching product with two coaches (John in New York,
 * Sarah in London, both available Monday–Friday 09:00–17:00 local) and students with access.
 * Tests pin the clock to {@link MONDAY} (Monday 2 March 2026, 08:00 UTC; New York is UTC−5 and
 * London UTC+0 that week).
 */

// The short names some tests of other owners import (the Discord tests, the coaching page test);
// the values are the one definition in `model/time/units.ts`.
export { DAY_MS as DAY, HOUR_MS as HOUR, MINUTE_MS as MINUTE } from "../time/units";
/** Monday 2 March 2026, 08:00 UTC. */
export const MONDAY = Date.UTC(2026, 2, 2, 8, 0);
/** 09:00 in New York on {@link MONDAY}'s day (14:00 UTC). */
export const JOHN_MONDAY_9AM = Date.UTC(2026, 2, 2, 14, 0);
/** 09:00 in London on {@link MONDAY}'s day (09:00 UTC). */
export const SARAH_MONDAY_9AM = Date.UTC(2026, 2, 2, 9, 0);

export const WEEKDAYS_9_TO_5 = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 9 * 60, endMinute: 17 * 60 }));

/** Pins Date (and, with `allTimers`, every timer) to `now`. */
export function pinClock(now = MONDAY, allTimers = false): void {
  if (allTimers) vi.useFakeTimers();
  else vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(now);
}

/**
 * Creates admin, coaches John and Sarah (with availability), students Amira, Ben and Chloe with
 * access to the coaching product, Dev without access, and the coaching product itself.
 * @param options.durationMinutes length of the product's sessions (default 30).
 * @param options.discordIds Discord user ids to link (by person name), for provisioning tests.
 */
export async function coachingWorld(
  t: TestBackend,
  options: { durationMinutes?: number; discordIds?: Partial<Record<"john" | "sarah" | "amira" | "ben" | "chloe", string>> } = {},
) {
  const ids = options.discordIds ?? {};
  const admin = await seedUser(t, { roles: ["admin"], name: "Adam Admin" });
  const john = await seedUser(t, { roles: ["coach"], name: "John Coach", timeZone: "America/New_York", discordUserId: ids.john });
  const sarah = await seedUser(t, { roles: ["coach"], name: "Sarah Coach", timeZone: "Europe/London", discordUserId: ids.sarah });
  const amira = await seedUser(t, { roles: ["student"], name: "Amira Student", timeZone: "Asia/Dubai", discordUserId: ids.amira });
  const ben = await seedUser(t, { roles: ["student"], name: "Ben Student", timeZone: "America/Chicago", discordUserId: ids.ben });
  const chloe = await seedUser(t, { roles: ["student"], name: "Chloe Student", timeZone: "Europe/Paris", discordUserId: ids.chloe });
  const dev = await seedUser(t, { roles: ["student"], name: "Dev Student" });
  const productId = await seedProduct(t, "1:1 Career Coaching", "coaching", [amira.userId, ben.userId, chloe.userId]);
  const coachingProductId: Id<"coachingProducts"> = await admin.as.mutation(api.coaching.createProduct, {
    productId,
    title: "1:1 Career Coaching",
    description: "Private sessions",
    durationMinutes: options.durationMinutes ?? 30,
    priceCents: 9900,
    coachIds: [john.userId, sarah.userId],
    active: true,
  });
  await john.as.mutation(api.coachingAvailability.setMine, { timeZone: "America/New_York", windows: WEEKDAYS_9_TO_5 });
  await sarah.as.mutation(api.coachingAvailability.setMine, { timeZone: "Europe/London", windows: WEEKDAYS_9_TO_5 });
  return { t, admin, john, sarah, amira, ben, chloe, dev, productId, coachingProductId };
}

export type CoachingWorld = Awaited<ReturnType<typeof coachingWorld>>;

/** Row counts that must not change when a call is refused. */
export async function coachingFootprint(t: TestBackend) {
  return await t.run(async (ctx) => ({
    sessions: (await ctx.db.query("coachingSessions").collect()).length,
    jobs: (await ctx.db.system.query("_scheduled_functions").collect()).length,
    resources: (await ctx.db.query("discordResources").collect()).length,
  }));
}
