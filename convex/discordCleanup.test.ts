import { afterEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import crons from "./crons";
import { errorCodeOf, newTest, seedUser } from "../testing/convex";
import { HOUR, JOHN_MONDAY_9AM, MINUTE, SARAH_MONDAY_9AM } from "./model/coaching/fixtures.testing";
import { book, discordWorld, drive, finishRunning, finishWithoutCleanup, resourcesOf, runScheduled, sessionRow, spaceRow, type DiscordWorld, worldWithBooking } from "./model/discord/fixtures.testing";
import { insertCoachingSession } from "./model/notifications/notifications.testkit";
import { moveDiscordSpace } from "./model/discord/move";
import { sessionTimes } from "./model/coaching/timeNames";

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

async function liveLedger(world: DiscordWorld, sessionId: Id<"coachingSessions">) {
  const rows = await world.t.run((ctx) =>
    ctx.db
      .query("discordResources")
      .withIndex("by_sessionId", (q) => q.eq("sessionId", sessionId))
      .collect(),
  );
  return rows.filter((row) => row.live);
}

async function expectCleaned(world: DiscordWorld, sessionId: Id<"coachingSessions">) {
  const session = await sessionRow(world.t, sessionId);
  expect(session).toMatchObject({ provisioningState: "cleaned", discordSetupComplete: false });
  expect(await resourcesOf(world.guild, world.t, sessionId)).toEqual({ roles: [], channels: [] });
  expect(await liveLedger(world, sessionId)).toEqual([]);
}

describe("cleanup", () => {
  test("completing a session cleans it up 5 minutes later: channel first, then role; a second cleanup does nothing", async () => {
    const { world, t, guild, sessionId } = await worldWithBooking();
    vi.setSystemTime(JOHN_MONDAY_9AM + 31 * MINUTE);
    await world.john.as.mutation(api.coaching.complete, { sessionId });
    const afterCompletion = await sessionRow(t, sessionId);
    expect(afterCompletion.provisioningState).toBe("ready");
    expect(afterCompletion.provisioningNextAttemptAt).toBe(Date.now() + 5 * MINUTE);
    expect((await resourcesOf(guild, t, sessionId)).channels).toHaveLength(1);

    await runScheduled(t);
    await expectCleaned(world, sessionId);
    const deletions = (await guild.requests()).filter((request) => request.method === "DELETE");
    expect(deletions.map((request) => request.operationId)).toEqual(["delete_channel", "delete_guild_role"]);
    expect(deletions.every((request) => request.auditLogReason?.includes(sessionId))).toBe(true);

    const before = (await guild.requests()).length;
    await world.admin.as.mutation(api.discordAdmin.cleanup, { sessionId });
    await runScheduled(t);
    await expectCleaned(world, sessionId);
    expect((await guild.requests()).length).toBe(before);
  });

  test("cleanup after someone deleted the channel by hand still ends cleaned", async () => {
    const { world, t, guild, sessionId } = await worldWithBooking();
    await guild.deleteChannel((await sessionRow(t, sessionId)).discordChannelId!);
    await world.amira.as.mutation(api.coaching.cancel, { sessionId });
    await runScheduled(t);
    await expectCleaned(world, sessionId);
    const deleteChannel = (await guild.requests()).find((request) => request.operationId === "delete_channel");
    expect(deleteChannel?.errorCode).toBe(10003);
  });

  test("a cancelled booking that never reached Discord is cleaned without any Discord call", async () => {
    const world = await discordWorld({ env: { DISCORD_PROVISION_LEAD_MINUTES: "60" } });
    const sessionId = await book(world, "amira", "john", JOHN_MONDAY_9AM + 2 * 24 * HOUR);
    expect(await sessionRow(world.t, sessionId)).toMatchObject({ provisioningState: "pending" });
    await world.amira.as.mutation(api.coaching.cancel, { sessionId });
    await runScheduled(world.t);
    expect(await sessionRow(world.t, sessionId)).toMatchObject({ provisioningState: "cleaned" });
    expect(await world.guild.requests()).toEqual([]);
  });

  test("cleanup failing with 5xx retries, then fails; the admin's cleanup finishes it", async () => {
    const { world, t, guild, sessionId } = await worldWithBooking();
    await guild.injectFault({ kind: "server_error", route: "delete_channel", count: 5 });
    await world.amira.as.mutation(api.coaching.cancel, { sessionId });
    await runScheduled(t);
    const failed = await sessionRow(t, sessionId);
    expect(failed.provisioningState).toBe("failed");
    expect(failed.provisioningLastError).toMatch(/Cleanup gave up after 5/);
    await world.admin.as.mutation(api.discordAdmin.cleanup, { sessionId });
    await runScheduled(t);
    await expectCleaned(world, sessionId);
  });

  test("admins clean up every finished session at once; sessions still ahead are left alone", async () => {
    const world = await discordWorld();
    const { t } = world;
    const first = await book(world, "amira", "john", JOHN_MONDAY_9AM);
    const second = await book(world, "ben", "sarah", SARAH_MONDAY_9AM);
    const ahead = await book(world, "chloe", "john", JOHN_MONDAY_9AM + 24 * HOUR);
    await runScheduled(t);
    // Finished without the usual triggers (e.g. statuses set by an import).
    await finishWithoutCleanup(t, first, "CANCELLED");
    await finishWithoutCleanup(t, second, "COMPLETED");
    expect(await errorCodeOf(world.admin.as.mutation(api.discordAdmin.cleanup, { sessionId: ahead }))).toBe("FAILED_PRECONDITION");
    expect(await world.admin.as.mutation(api.discordAdmin.cleanupFinished, {})).toBe(2);
    await runScheduled(t);
    await expectCleaned(world, first);
    await expectCleaned(world, second);
    expect((await sessionRow(t, ahead)).provisioningState).toBe("ready");
  });
});

describe("hourly maintenance", () => {
  test("crons.ts runs it every hour, away from the top of the hour", () => {
    const job = (crons as unknown as { crons: Record<string, { name: string; schedule: { type: string; minuteUTC: number } }> }).crons[
      "discord maintenance"
    ];
    expect(job.name).toBe("discordProvisioning:hourlyMaintenance");
    expect(job.schedule.type).toBe("hourly");
    expect(job.schedule.minuteUTC).toBeGreaterThan(0);
    expect(job.schedule.minuteUTC).toBeLessThan(60);
  });

  test("cleans sessions that ended more than an hour ago or were cancelled, and nothing else", async () => {
    const world = await discordWorld();
    const { t } = world;
    const endedLongAgo = await book(world, "amira", "john", JOHN_MONDAY_9AM);
    const endedRecently = await book(world, "ben", "john", JOHN_MONDAY_9AM + 2 * HOUR);
    const cancelled = await book(world, "chloe", "sarah", SARAH_MONDAY_9AM + 24 * HOUR);
    await runScheduled(t);
    // A cancellation whose own cleanup never ran (e.g. written before a deploy).
    await finishWithoutCleanup(t, cancelled, "CANCELLED");
    vi.setSystemTime(JOHN_MONDAY_9AM + 2 * HOUR + 45 * MINUTE); // first ended 2h15 ago, second 15 min ago
    // Booked only now: its provisioning window opens tomorrow, and the clock only moves forward.
    const ahead = await book(world, "amira", "sarah", SARAH_MONDAY_9AM + 48 * HOUR);
    const summary = await t.mutation(internal.discordProvisioning.hourlyMaintenance, {});
    expect(summary).toMatchObject({ cleanupsScheduled: 2, reconciliationScheduled: true });
    await runScheduled(t);
    await expectCleaned(world, endedLongAgo);
    await expectCleaned(world, cancelled);
    expect((await sessionRow(t, endedRecently)).provisioningState).toBe("ready");
    expect((await sessionRow(t, ahead)).provisioningState).toBe("ready");
    expect(await resourcesOf(world.guild, t, ahead)).toMatchObject({ roles: [{}], channels: [{}] });
  });
});

describe("reconciliation", () => {
  test("deletes session roles and channels no live session owns, keeps everything else, and reports it", async () => {
    const { world, t, guild, sessionId: live } = await worldWithBooking();
    const orphanRole = await guild.createRole({ name: "Session zz99orph" });
    const orphanChannel = await guild.createChannel({ name: "coaching-zz99orph", type: 2 });
    const staffRole = await guild.createRole({ name: "Session leaders" });
    const general = await guild.createChannel({ name: "general", type: 0 });

    await world.admin.as.mutation(api.discordAdmin.runReconciliation, {});
    await runScheduled(t);
    const { lastReconciliation } = await world.admin.as.query(api.discordAdmin.overview, {});
    expect(lastReconciliation).toMatchObject({
      trigger: "admin",
      outcome: "ok",
      deletedRoles: [{ id: orphanRole.id, name: "Session zz99orph" }],
      deletedChannels: [{ id: orphanChannel.id, name: "coaching-zz99orph" }],
      errors: [],
    });
    const state = await guild.state();
    expect(state.roles.map((role) => role.id)).toContain(staffRole.id);
    expect(state.channels.map((channel) => channel.id)).toContain(general.id);
    expect(state.roles.map((role) => role.id)).not.toContain(orphanRole.id);
    const session = await sessionRow(t, live);
    expect(state.roles.map((role) => role.id)).toContain(session.discordRoleId);
    expect(state.channels.map((channel) => channel.id)).toContain(session.discordChannelId);
    // Others' roles (@everyone, the bot's, "Session leaders") count against the limit.
    expect(lastReconciliation?.foreignRoleCount).toBe(3);

    // A second pass finds nothing; a cleaned session's leftovers are orphans.
    await drive(t.action(internal.discordProvisioning.reconcile, { trigger: "cron" }));
    await finishWithoutCleanup(t, live, "CANCELLED");
    const liveSpace = await spaceRow(t, live);
    await t.run((ctx) => ctx.db.patch("discordSpaces", liveSpace._id, { state: "cleaned" }));
    const report = await drive(t.action(internal.discordProvisioning.reconcile, { trigger: "cron" }));
    expect(report.deletedRoles.map((role) => role.id)).toEqual([session.discordRoleId]);
    expect(report.deletedChannels.map((channel) => channel.id)).toEqual([session.discordChannelId]);
  });

  test("without Discord configuration the report says so", async () => {
    vi.useFakeTimers();
    const t = newTest();
    const report = await drive(t.action(internal.discordProvisioning.reconcile, { trigger: "cron" }));
    expect(report.outcome).toBe("not_configured");
  });
});

describe("capacity", () => {
  test("at the guild's role limit a booking waits, and resumes when cleanup frees room", async () => {
    // @everyone and the bot's role exist; room for exactly one session role.
    const { world, t, sessionId: first } = await worldWithBooking({ guild: { limits: { maxRoles: 3 } } });
    const second = await book(world, "ben", "sarah", SARAH_MONDAY_9AM);
    await runScheduled(t);
    const waiting = await sessionRow(t, second);
    expect(waiting.provisioningState).toBe("waiting_for_window");
    expect(waiting.provisioningLastError).toMatch(/roles/);
    const view = await world.ben.as.query(api.coaching.getSession, { now: Date.now(), sessionId: second });
    expect(view.provisioningState).toBe("waiting_for_window");

    await world.amira.as.mutation(api.coaching.cancel, { sessionId: first });
    await runScheduled(t);
    expect((await sessionRow(t, first)).provisioningState).toBe("cleaned");
    expect(await sessionRow(t, second)).toMatchObject({ provisioningState: "ready", discordSetupComplete: true });
  });

  test("the ledger and the last reconciliation keep bookings from overshooting the limit without asking Discord", async () => {
    const world = await discordWorld();
    const { t, guild } = world;
    // 246 roles made by others + @everyone + the bot's role = 248 of 250.
    await guild.createRoles({ name: "Team", count: 246 });
    await drive(t.action(internal.discordProvisioning.reconcile, { trigger: "admin" }));
    const sessions = [
      await book(world, "amira", "john", JOHN_MONDAY_9AM),
      await book(world, "ben", "sarah", SARAH_MONDAY_9AM),
      await book(world, "chloe", "john", JOHN_MONDAY_9AM + HOUR),
    ];
    await runScheduled(t);
    const states = await Promise.all(sessions.map(async (id) => (await sessionRow(t, id)).provisioningState));
    expect(states.filter((state) => state === "ready")).toHaveLength(2);
    expect(states.filter((state) => state === "waiting_for_window")).toHaveLength(1);
    expect((await guild.requests()).filter((request) => request.operationId === "create_guild_role")).toHaveLength(2);
    const { capacity } = await world.admin.as.query(api.discordAdmin.overview, {});
    expect(capacity.roles).toEqual({ used: 250, limit: 250, ours: 2 });
  });

  test("a full category makes bookings wait for room", async () => {
    const world = await discordWorld({ category: true, guild: { limits: { maxChannelsPerCategory: 1 } } });
    const { t } = world;
    const first = await book(world, "amira", "john", JOHN_MONDAY_9AM);
    const second = await book(world, "ben", "sarah", SARAH_MONDAY_9AM);
    await runScheduled(t);
    const states = [(await sessionRow(t, first)).provisioningState, (await sessionRow(t, second)).provisioningState].sort();
    expect(states).toEqual(["ready", "waiting_for_window"]);
    const channel = (await world.guild.channels()).find((candidate) => candidate.name.startsWith("coaching-"));
    expect(channel?.parentId).toBe(world.guild.info.categoryIds[0]);
  });
});

describe("provisioning window and configuration", () => {
  test("a booking further ahead than DISCORD_PROVISION_LEAD_MINUTES is provisioned when its window opens", async () => {
    const world = await discordWorld({ env: { DISCORD_PROVISION_LEAD_MINUTES: "120" } });
    const { t, guild } = world;
    const startTime = JOHN_MONDAY_9AM + 24 * HOUR;
    const sessionId = await book(world, "amira", "john", startTime);
    const pending = await sessionRow(t, sessionId);
    expect(pending).toMatchObject({ provisioningState: "pending", provisioningNextAttemptAt: startTime - 2 * HOUR });
    vi.advanceTimersByTime(HOUR);
    await finishRunning(t);
    expect(await guild.requests()).toEqual([]);
    await runScheduled(t);
    expect(await sessionRow(t, sessionId)).toMatchObject({ provisioningState: "ready" });
    expect(Date.now()).toBeGreaterThanOrEqual(startTime - 2 * HOUR);
  });

  test("a session moved into its window (moveDiscordSpace, as reschedule calls it) is provisioned at once and keeps the new times", async () => {
    const world = await discordWorld({ env: { DISCORD_PROVISION_LEAD_MINUTES: "120" } });
    const { t, guild } = world;
    const sessionId = await book(world, "amira", "john", JOHN_MONDAY_9AM + 24 * HOUR);
    expect(await sessionRow(t, sessionId)).toMatchObject({ provisioningState: "pending" });
    // Moved to an hour from now (within the 2-hour window), as the reschedule feature would.
    const moved = sessionTimes(Date.now() + HOUR, Date.now() + HOUR + 30 * MINUTE);
    await t.run(async (ctx) => {
      await ctx.db.patch("coachingSessions", sessionId, moved);
      await moveDiscordSpace(ctx, sessionId, moved, Date.now());
    });
    vi.advanceTimersByTime(0);
    await finishRunning(t);
    for (let round = 0; round < 5; round += 1) {
      vi.advanceTimersByTime(0);
      await finishRunning(t);
    }
    expect(await sessionRow(t, sessionId)).toMatchObject({ provisioningState: "ready", discordSetupComplete: true });
    expect(await resourcesOf(guild, t, sessionId)).toMatchObject({ roles: [{}], channels: [{}] });
    // Cleanup and maintenance go by the new times.
    expect(await spaceRow(t, sessionId)).toMatchObject(moved);
  });

  test("without Discord configuration bookings work and show not_configured; retry explains what to set", async () => {
    vi.useFakeTimers();
    vi.setSystemTime(JOHN_MONDAY_9AM - 6 * HOUR);
    const { coachingWorld } = await import("./model/coaching/fixtures.testing");
    const world = await coachingWorld(newTest());
    const sessionId = await world.amira.as.mutation(api.coaching.book, {
      coachingProductId: world.coachingProductId,
      coachId: world.john.userId,
      startTime: JOHN_MONDAY_9AM,
    });
    expect((await world.amira.as.query(api.coaching.getSession, { now: Date.now(), sessionId })).provisioningState).toBe("not_configured");
    expect(await errorCodeOf(world.admin.as.mutation(api.discordAdmin.retry, { sessionId }))).toBe("FAILED_PRECONDITION");
    expect(await errorCodeOf(world.admin.as.mutation(api.discordAdmin.runReconciliation, {}))).toBe("FAILED_PRECONDITION");
    expect((await world.admin.as.query(api.discordAdmin.overview, {})).configured).toBe(false);
  });
});

describe("admin dashboard access", () => {
  test("only holders of discord.manage (admins, superadmins) use the dashboard", async () => {
    const { world, t, sessionId } = await worldWithBooking();
    const others = [
      world.amira,
      world.john,
      await seedUser(t, { roles: ["mentor"] }),
      await seedUser(t, { roles: ["lecturer"] }),
      await seedUser(t, { roles: ["enrollment_manager"] }),
    ];
    const page = { paginationOpts: { numItems: 10, cursor: null } };
    for (const who of others) {
      expect(await errorCodeOf(who.as.query(api.discordAdmin.overview, {}))).toBe("FORBIDDEN");
      expect(await errorCodeOf(who.as.query(api.discordAdmin.listSessions, { ...page, now: Date.now() }))).toBe("FORBIDDEN");
      expect(await errorCodeOf(who.as.mutation(api.discordAdmin.retry, { sessionId }))).toBe("FORBIDDEN");
      expect(await errorCodeOf(who.as.mutation(api.discordAdmin.cleanup, { sessionId }))).toBe("FORBIDDEN");
      expect(await errorCodeOf(who.as.mutation(api.discordAdmin.cleanupFinished, {}))).toBe("FORBIDDEN");
      expect(await errorCodeOf(who.as.mutation(api.discordAdmin.runReconciliation, {}))).toBe("FORBIDDEN");
    }
    expect(await errorCodeOf(t.query(api.discordAdmin.overview, {}))).toBe("UNAUTHENTICATED");
    const superadmin = await seedUser(t, { roles: ["superadmin"] });
    for (const who of [world.admin, superadmin]) {
      const overview = await who.as.query(api.discordAdmin.overview, {});
      expect(overview).toMatchObject({ configured: true, guildId: world.guild.guildId, stateCounts: { ready: 1 } });
      expect(overview.capacity.roles).toMatchObject({ ours: 1, limit: 250 });
      const list = await who.as.query(api.discordAdmin.listSessions, { now: Date.now(), ...page, state: "ready" });
      expect(list.page.map((session) => session._id)).toEqual([sessionId]);
      expect(list.page[0].discordChannelUrl).toMatch(/^https:\/\/discord\.com\/channels\//);
    }
  });
});

describe("admin dashboard counts", () => {
  test("each state count stops at the cap, so the live dashboard reads a bounded number of sessions", async () => {
    const t = newTest({ transactionLimits: { documentsRead: 7 * 100 + 50 } });
    const admin = await seedUser(t, { roles: ["admin"] });
    const coach = await seedUser(t, { roles: ["coach"] });
    const student = await seedUser(t, { roles: ["student"] });
    const sessionId = await insertCoachingSession(t, { coachId: coach.userId, studentId: student.userId });
    const template = await spaceRow(t, sessionId);
    await t.run(async (ctx) => {
      const { _id: _unusedId, _creationTime: _unusedCreationTime, ...fields } = template;
      for (let index = 0; index < 150; index += 1) await ctx.db.insert("discordSpaces", { ...fields, state: "failed" });
    });

    const overview = await admin.as.query(api.discordAdmin.overview, {});
    expect(overview.stateCountCap).toBe(100);
    expect(overview.stateCounts).toMatchObject({ failed: 100, ready: 0 });
  });
});

describe("guild capacity", () => {
  test("the dashboard's counts of our roles and channels follow every creation and deletion", async () => {
    const world = await discordWorld({ category: true });
    const { t } = world;
    const first = await book(world, "amira", "john", JOHN_MONDAY_9AM);
    await book(world, "ben", "sarah", SARAH_MONDAY_9AM);
    await runScheduled(t);
    const ours = async () => {
      const { capacity } = await world.admin.as.query(api.discordAdmin.overview, {});
      return { roles: capacity.roles.ours, channels: capacity.channels.ours, category: capacity.category?.ours };
    };
    expect(await ours()).toEqual({ roles: 2, channels: 2, category: 2 });
    await world.amira.as.mutation(api.coaching.cancel, { sessionId: first });
    await runScheduled(t);
    expect(await ours()).toEqual({ roles: 1, channels: 1, category: 1 });
  });
});
