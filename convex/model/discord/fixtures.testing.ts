import { expect, inject, vi } from "vitest";
import { api } from "../../_generated/api";
import type { Id } from "../../_generated/dataModel";
import { newTest, type TestBackend } from "../../../testing/convex";
import { FakeDiscordControl, type CreateFakeGuildRequest, type FakeGuildControl } from "../../../testing/fakeDiscord/controlClient";
import { coachingWorld, JOHN_MONDAY_9AM, MONDAY } from "../coaching/fixtures.testing";

/**
 * Fixtures for Discord provisioning tests: a fake guild on the fake Discord server (127.0.0.1), the
 * deployment's DISCORD_* variables pointing at it, the coaching world with linked Discord accounts,
 * and a way to run scheduled functions under fake timers while real HTTP requests are in flight.
 */

export const fake = new FakeDiscordControl(inject("fakeDiscordUrl"));

/**
 * Fetches that are waiting for an answer. Timers must not jump while one is: the Discord client
 * bounds each request with a timer, and jumping the fake clock past it would abort a request the
 * fake server is about to answer.
 */
let inFlight = 0;
let installed = false;

/** Counts in-flight fetches (idempotent). Real requests still go to the fake server. */
function trackFetches(): void {
  if (installed) return;
  installed = true;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (...args: Parameters<typeof fetch>) => {
    inFlight += 1;
    try {
      return await realFetch(...args);
    } finally {
      inFlight -= 1;
    }
  }) as typeof fetch;
}

/** The real `setTimeout` and clock, taken before any test installs fake timers. */
const realSetTimeout = globalThis.setTimeout;
const realNow = performance.now.bind(performance);

/**
 * Awaits `work` (a function call or the scheduled functions in progress). A Discord run that waits
 * for its send time in the shared pacing sleeps on the fake clock, so meanwhile the fake clock moves
 * as fast as the real one, except while a request is in flight (see {@link inFlight}).
 */
export async function drive<T>(work: Promise<T>): Promise<T> {
  let done = false;
  const finishing = work.finally(() => {
    done = true;
  });
  let last = realNow();
  let owed = 0;
  while (!done) {
    await new Promise((resolve) => realSetTimeout(resolve, 1));
    const now = realNow();
    if (inFlight === 0) owed += now - last;
    last = now;
    if (!done && owed >= 1) {
      vi.advanceTimersByTime(Math.floor(owed));
      owed -= Math.floor(owed);
    }
  }
  return await finishing;
}

/** Waits for the scheduled functions in progress (see {@link drive}). */
export async function finishRunning(t: TestBackend): Promise<void> {
  await drive(t.finishInProgressScheduledFunctions());
}

/** Runs what is due now (and what that schedules for now), without moving the clock to later jobs. */
export async function runDue(t: TestBackend): Promise<void> {
  for (let round = 0; round < 5; round += 1) {
    vi.advanceTimersByTime(0);
    await finishRunning(t);
  }
}

/**
 * Runs every scheduled Discord function (provisioning, retries, backoff, delayed cleanups), jumping
 * the fake clock from one to the next. Email jobs and the sessions' own start-time jobs that fall due
 * on the way run too, but the clock never jumps ahead just to reach one (reminders and start times
 * lie hours ahead and would move "now" past the slots the test books next).
 */
export async function runScheduled(t: TestBackend): Promise<void> {
  for (let iteration = 0; iteration < 400; iteration++) {
    vi.advanceTimersByTime(0);
    await finishRunning(t);
    if (inFlight > 0) continue;
    const pending = await t.run(async (ctx) =>
      (await ctx.db.system.query("_scheduled_functions").collect()).filter(
        (job) => job.state.kind === "pending" && !job.name.startsWith("notifications:") && job.name !== "coaching:startAtStartTime",
      ),
    );
    if (pending.length === 0) return;
    const next = Math.min(...pending.map((job) => job.scheduledTime));
    vi.advanceTimersByTime(Math.max(0, next - Date.now()));
  }
  throw new Error("runScheduled: scheduled Discord functions keep scheduling more after 400 rounds");
}

export type Person = "john" | "sarah" | "amira" | "ben" | "chloe";
const PEOPLE: Person[] = ["john", "sarah", "amira", "ben", "chloe"];

/**
 * A fake guild whose members are the coaching world's people (those in `linked` get their Discord id
 * stored; the others are guild members but not linked), DISCORD_* variables stubbed, the clock pinned
 * to Monday 2 March 2026 08:00 UTC with fake timers. Rate limits of the fake are off unless `guild`
 * sets them.
 */
export async function discordWorld(
  options: {
    guild?: CreateFakeGuildRequest;
    linked?: Person[];
    category?: boolean;
    env?: Record<string, string>;
    durationMinutes?: number;
  } = {},
) {
  trackFetches();
  vi.useFakeTimers();
  vi.setSystemTime(MONDAY);
  const guild: FakeGuildControl = await fake.createGuild({
    members: PEOPLE.map((username) => ({ username })),
    rateLimits: { globalPerSecond: 0, routeLimit: 0 },
    ...(options.category ? { categories: ["Coaching sessions"] } : {}),
    ...options.guild,
  });
  const discordIds = Object.fromEntries(PEOPLE.map((person, index) => [person, guild.info.members[index].userId])) as Record<Person, string>;
  const linked = options.linked ?? PEOPLE;
  for (const [name, value] of Object.entries(guild.env(options.category ? { categoryId: guild.info.categoryIds[0] } : {}))) {
    vi.stubEnv(name, value);
  }
  for (const [name, value] of Object.entries(options.env ?? {})) vi.stubEnv(name, value);
  const t = newTest();
  const world = await coachingWorld(t, {
    durationMinutes: options.durationMinutes,
    discordIds: Object.fromEntries(linked.map((person) => [person, discordIds[person]])),
  });
  return { ...world, guild, discordIds };
}

export type DiscordWorld = Awaited<ReturnType<typeof discordWorld>>;

/** The session's Discord space row. */
export async function spaceRow(t: TestBackend, sessionId: Id<"coachingSessions">) {
  const space = await t.run((ctx) =>
    ctx.db
      .query("discordSpaces")
      .withIndex("by_sessionId", (q) => q.eq("sessionId", sessionId))
      .unique(),
  );
  if (space === null) throw new Error(`no Discord space for session ${sessionId}`);
  return space;
}

/**
 * The session row joined with its Discord space, the space's fields under the names they had on the
 * session before `discordSpaces` (`provisioningState`, `discordRoleId`, …), so assertions read as before.
 */
export async function sessionRow(t: TestBackend, sessionId: Id<"coachingSessions">) {
  const session = await t.run((ctx) => ctx.db.get("coachingSessions", sessionId));
  if (session === null) throw new Error(`no session ${sessionId}`);
  const space = await spaceRow(t, sessionId);
  return {
    ...session,
    discordKey: space.key,
    discordRoleId: space.roleId,
    discordChannelId: space.channelId,
    discordSetupComplete: space.setupComplete,
    discordRoleGrantedTo: space.roleGrantedTo,
    provisioningState: space.state,
    provisioningAttempts: space.attempts,
    provisioningLastError: space.lastError,
    provisioningNextAttemptAt: space.nextAttemptAt,
    provisioningLeaseId: space.leaseId,
  };
}

/**
 * Marks a session finished the way an import would: its status and its space say so, but no cleanup
 * was asked for.
 */
export async function finishWithoutCleanup(t: TestBackend, sessionId: Id<"coachingSessions">, status: "CANCELLED" | "COMPLETED") {
  const space = await spaceRow(t, sessionId);
  await t.run(async (ctx) => {
    await ctx.db.patch("coachingSessions", sessionId, { status });
    await ctx.db.patch("discordSpaces", space._id, { finishedAs: status });
  });
}

/** Roles and channels in the fake guild that carry the session's deterministic names. */
export async function resourcesOf(guild: FakeGuildControl, t: TestBackend, sessionId: Id<"coachingSessions">) {
  const { discordKey } = await sessionRow(t, sessionId);
  const state = await guild.state();
  return {
    roles: state.roles.filter((role) => role.name === `Session ${discordKey}`),
    channels: state.channels.filter((channel) => channel.name === `coaching-${discordKey}`),
  };
}

/** Books as `student` with `coach` at `startTime`. */
export async function book(world: DiscordWorld, student: "amira" | "ben" | "chloe", coach: "john" | "sarah", startTime: number) {
  return await world[student].as.mutation(api.coaching.book, {
    coachingProductId: world.coachingProductId,
    coachId: world[coach].userId,
    startTime,
  });
}

/**
 * A {@link discordWorld} (with `options`) in which Amira booked John for Monday 9:00 and then
 * `runJobs` ran the scheduled jobs ({@link runScheduled}: all of them; {@link runDue}: the due ones),
 * so the session's role and channel exist unless `options` make that fail.
 * @returns the world's fields, the world itself and the booked `sessionId`.
 */
export async function worldWithBooking(options: Parameters<typeof discordWorld>[0] = {}, runJobs: (t: TestBackend) => Promise<void> = runScheduled) {
  const world = await discordWorld(options);
  const sessionId = await book(world, "amira", "john", JOHN_MONDAY_9AM);
  await runJobs(world.t);
  return { ...world, world, sessionId };
}

/**
 * Starts the provisioning run a booking scheduled and returns once Discord is creating its role
 * (the fake has answered nothing yet). Returns `{ running }`, the run's promise, so that the test can
 * act mid-run (cancel, reschedule) and then await it. Needs the fake's `latencyMs` so that the request
 * stays open.
 */
export async function startRunUntilRoleInFlight(world: DiscordWorld): Promise<{ running: Promise<void> }> {
  vi.advanceTimersByTime(0);
  const running = world.t.finishInProgressScheduledFunctions();
  let roleInFlight = false;
  for (let poll = 0; poll < 1000 && !roleInFlight; poll += 1) {
    roleInFlight = (await world.guild.requests()).some((request) => request.operationId === "create_guild_role" && request.status === null);
  }
  expect(roleInFlight).toBe(true);
  return { running };
}
