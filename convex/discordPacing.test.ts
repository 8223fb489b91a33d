import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { internal } from "./_generated/api";
import { newTest, type TestBackend } from "../testing/convex";
import { BUCKETS } from "./model/discord/rateLimits";

/**
 * The shared pacing of Discord requests (`model/discord/rateLimits.ts`, issue #10 point 3): fixed
 * windows whose send times a batch takes together, and batches that wait for the end of the Discord
 * window the previous batch opened. The bench (`npm run bench`) measures the whole against the fake.
 */

const ROUTE = BUCKETS.addMemberRole;
const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

/** A backend that knows the route's limit (10 per second), as if Discord's headers had told it. */
async function backendWithLearnedRoute(): Promise<TestBackend> {
  const t = newTest();
  await t.mutation(internal.discordProvisioning.learnRateLimits, { observations: [{ route: ROUTE, limit: 10, windowMs: 1_000 }] });
  return t;
}

async function reserve(t: TestBackend, count: number) {
  const { reservations } = await t.mutation(internal.discordProvisioning.reserveRequests, { buckets: Array(count).fill(ROUTE) });
  return reservations.map((answer) => answer.route);
}

async function lastBatch(t: TestBackend) {
  return await t.run(async (ctx) => {
    const row = await ctx.db
      .query("discordRouteRateLimits")
      .withIndex("by_route", (q) => q.eq("route", ROUTE))
      .unique();
    return row?.lastBatch;
  });
}

describe("fixed windows of a route bucket", () => {
  test("a window's ten send times are handed out at once; the eleventh request gets the next window's start", async () => {
    const t = await backendWithLearnedRoute();
    const answers = await reserve(t, 11);
    const times = answers.map((answer) => (answer.ok ? answer.at : null));
    expect(times.slice(0, 10)).toEqual(Array(10).fill(T0));
    expect(times[10]).toBeGreaterThanOrEqual(T0 + 1_000);
    expect(times[10]).toBeLessThan(T0 + 1_100);
    // Each may leave late, but not so late that it would miss the Discord window its batch opens.
    for (const answer of answers) {
      if (!answer.ok) throw new Error("refused");
      expect(answer.until! - answer.at).toBeGreaterThan(500);
      expect(answer.until! - answer.at).toBeLessThan(1_000);
    }
  });

  test("after an idle window the windows start afresh at the next request", async () => {
    const t = await backendWithLearnedRoute();
    await reserve(t, 3);
    vi.setSystemTime(T0 + 5_432);
    const [answer] = await reserve(t, 1);
    expect(answer).toMatchObject({ ok: true, at: T0 + 5_432, until: T0 + 5_432 + 940 });
  });
});

describe("batches wait for the Discord window of the batch before them", () => {
  test("the first request of a batch waits for the end Discord told for the previous batch's window, and its batch leaves with it", async () => {
    const t = await backendWithLearnedRoute();
    const [first] = await reserve(t, 1);
    if (!first.ok) throw new Error("refused");
    // The first batch left 400 ms late: Discord's answer says its window ends 1.4 s from now.
    await t.mutation(internal.discordProvisioning.reserveSendRequest, { bucket: ROUTE, routeAt: first.at, routeUntil: first.until });
    await t.mutation(internal.discordProvisioning.learnRateLimits, {
      observations: [{ route: ROUTE, limit: 10, windowMs: 1_000, opened: { window: first.until!, endsAt: T0 + 1_400 } }],
    });
    const next = await reserve(t, 10);
    const second = next.at(-1)!;
    if (!second.ok) throw new Error("refused");
    expect(second.at).toBeLessThan(T0 + 1_400);

    vi.setSystemTime(second.at - 150);
    const leader = await t.mutation(internal.discordProvisioning.reserveSendRequest, { bucket: ROUTE, routeAt: second.at, routeUntil: second.until });
    expect(leader).toMatchObject({ stillWanted: true, send: { notBefore: T0 + 1_400 } });
    expect(await lastBatch(t)).toMatchObject({ window: second.until, leavesAt: T0 + 1_400 });

    const follower = await t.mutation(internal.discordProvisioning.reserveSendRequest, { bucket: ROUTE, routeAt: second.at, routeUntil: second.until });
    expect(follower).toMatchObject({ stillWanted: true, send: { notBefore: T0 + 1_400 } });
  });

  test("while the previous batch is unanswered, a request asks again when that batch's window could end, then allows for lateness", async () => {
    const t = await backendWithLearnedRoute();
    const [first] = await reserve(t, 1);
    if (!first.ok) throw new Error("refused");
    await t.mutation(internal.discordProvisioning.reserveSendRequest, { bucket: ROUTE, routeAt: first.at, routeUntil: first.until });
    const second = (await reserve(t, 10)).at(-1)!;
    if (!second.ok) throw new Error("refused");
    const ask = () =>
      t.mutation(internal.discordProvisioning.reserveSendRequest, { bucket: ROUTE, routeAt: second.at, routeUntil: second.until });

    vi.setSystemTime(T0 + 500);
    // Nothing recorded and no global send time taken: the request asks again then.
    expect(await ask()).toEqual({ stillWanted: true, send: { notBefore: T0 + 1_000 } });
    expect(await lastBatch(t)).toMatchObject({ window: first.until });

    vi.setSystemTime(T0 + 870);
    // Still no answer: the previous batch may have left late, so a quarter second more.
    expect(await ask()).toMatchObject({ stillWanted: true, send: { notBefore: T0 + 1_250 } });
    expect(await lastBatch(t)).toMatchObject({ window: second.until, leavesAt: T0 + 1_250 });
  });

  test("a request of an older window than the route's latest batch must take a new send time", async () => {
    const t = await backendWithLearnedRoute();
    const [first] = await reserve(t, 1);
    if (!first.ok) throw new Error("refused");
    const answer = await t.mutation(internal.discordProvisioning.reserveSendRequest, {
      bucket: ROUTE,
      routeAt: first.at - 2_000,
      routeUntil: first.until! - 2_000,
    });
    await t.mutation(internal.discordProvisioning.reserveSendRequest, { bucket: ROUTE, routeAt: first.at, routeUntil: first.until });
    const straggler = await t.mutation(internal.discordProvisioning.reserveSendRequest, {
      bucket: ROUTE,
      routeAt: first.at - 2_000,
      routeUntil: first.until! - 2_000,
    });
    expect(answer.stillWanted).toBe(true);
    expect(straggler).toEqual({ stillWanted: true, send: { superseded: true } });
  });
});
