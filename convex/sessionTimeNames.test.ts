import { afterEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { newTest, seedUser, type TestBackend } from "../testing/convex";
import { DAY, HOUR, JOHN_MONDAY_9AM, SARAH_MONDAY_9AM } from "./model/coaching/fixtures.testing";
import { book, discordWorld, runDue, runScheduled, spaceRow } from "./model/discord/fixtures.testing";
import { insertCoachingSession } from "./model/notifications/notifications.testkit";

/**
 * Release 1 of the time-field rename (DEVELOPERS.md, "Names of indexes and time fields"): every
 * writer of `coachingSessions` and `discordSpaces` writes `startsAt`/`endsAt` next to
 * `startTime`/`endTime`. The fields are optional, so the typecheck cannot find a writer that forgets
 * them; these tests walk the flows that write session times and look at every stored document.
 */

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

/**
 * Asserts that every document of both tables holds the same instants under both names, and returns
 * the documents (so that a test can also check it looked at the ones it meant to).
 */
async function expectBothTimeNamesEverywhere(t: TestBackend) {
  const { sessions, spaces } = await t.run(async (ctx) => ({
    sessions: await ctx.db.query("coachingSessions").collect(),
    spaces: await ctx.db.query("discordSpaces").collect(),
  }));
  for (const document of [...sessions, ...spaces]) {
    expect({ _id: document._id, startsAt: document.startsAt, endsAt: document.endsAt }).toEqual({
      _id: document._id,
      startsAt: document.startTime,
      endsAt: document.endTime,
    });
  }
  return { sessions, spaces };
}

describe("every writer of a session's times writes startsAt/endsAt too", () => {
  test("book, provision (Discord space created), reschedule inside and outside the lead window, cancel", async () => {
    const world = await discordWorld();
    const { t } = world;
    const kept = await book(world, "amira", "john", JOHN_MONDAY_9AM);
    const released = await book(world, "ben", "sarah", SARAH_MONDAY_9AM + 2 * HOUR);
    const later = await book(world, "chloe", "john", JOHN_MONDAY_9AM + 7 * DAY);
    await runDue(t);
    expect((await spaceRow(t, kept)).state).toBe("ready");
    expect((await spaceRow(t, released)).state).toBe("ready");
    expect((await spaceRow(t, later)).state).toBe("pending");
    await expectBothTimeNamesEverywhere(t);

    // Inside the lead window (the space is kept), then outside it (released, provisioned again later).
    await world.john.as.mutation(api.coaching.reschedule, { sessionId: kept, startTime: JOHN_MONDAY_9AM + 2 * HOUR });
    await world.sarah.as.mutation(api.coaching.reschedule, { sessionId: released, startTime: SARAH_MONDAY_9AM + 2 * DAY });
    await world.chloe.as.mutation(api.coaching.cancel, { sessionId: later });
    await runScheduled(t);

    const { sessions, spaces } = await expectBothTimeNamesEverywhere(t);
    expect(sessions.find((session) => session._id === kept)).toMatchObject({ startsAt: JOHN_MONDAY_9AM + 2 * HOUR, endsAt: JOHN_MONDAY_9AM + 2 * HOUR + 30 * 60_000 });
    expect(spaces.find((space) => space.sessionId === released)).toMatchObject({ startsAt: SARAH_MONDAY_9AM + 2 * DAY, state: "ready" });
    expect(spaces).toHaveLength(3);
  });

  test("the seed, and its move of past upcoming demo bookings on a later run", async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-11-21T09:00:00Z"));
    const t = newTest();
    await t.mutation(internal.seed.init, {});
    const first = await expectBothTimeNamesEverywhere(t);
    expect(first.sessions.length).toBeGreaterThan(0);

    vi.setSystemTime(new Date("2026-12-12T09:00:00Z"));
    await t.mutation(internal.seed.init, {});
    const second = await expectBothTimeNamesEverywhere(t);
    // The second run moved upcoming bookings whose day had passed (so the patch path was walked).
    const moved = second.sessions.filter((session) => first.sessions.find((before) => before._id === session._id)!.startTime !== session.startTime);
    expect(moved.length).toBeGreaterThan(0);
  });

  test("the moveDiscordSpaces migration writes both names on the spaces it creates", async () => {
    vi.useFakeTimers();
    const t = newTest();
    const coach = await seedUser(t, { roles: ["coach"] });
    const student = await seedUser(t, { roles: ["student"] });
    const sessionId: Id<"coachingSessions"> = await insertCoachingSession(t, { coachId: coach.userId, studentId: student.userId });
    // As stored before `discordSpaces`: no space row, the Discord state on the session.
    await t.run(async (ctx) => {
      const space = await ctx.db.query("discordSpaces").withIndex("by_sessionId", (q) => q.eq("sessionId", sessionId)).unique();
      await ctx.db.delete("discordSpaces", space!._id);
      await ctx.db.patch("coachingSessions", sessionId, { discordKey: "abcd1234", provisioningState: "pending" });
    });

    await t.mutation(internal.migrations.moveDiscordSpaces, {});
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());

    const { spaces } = await expectBothTimeNamesEverywhere(t);
    expect(spaces).toMatchObject([{ sessionId, key: "abcd1234" }]);
  });
});
