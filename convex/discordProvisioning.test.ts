import { afterEach, describe, expect, test, vi } from "vitest";
import { PermissionFlagsBits } from "discord-api-types/v10";
import { api, internal } from "./_generated/api";
import { errorCodeOf } from "../testing/convex";
import { DEFAULT_BOT_PERMISSIONS } from "../testing/fakeDiscord/permissions";
import { JOHN_MONDAY_9AM, MINUTE } from "./model/coaching/fixtures.testing";
import { book, discordWorld, resourcesOf, runScheduled, sessionRow, startRunUntilRoleInFlight, worldWithBooking } from "./model/discord/fixtures.testing";

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe("provisioning", () => {
  test("three sessions at the same hour: each channel is visible to exactly its student, its coach and the bot", async () => {
    const world = await discordWorld();
    const { t, guild, discordIds } = world;
    const a = await book(world, "amira", "john", JOHN_MONDAY_9AM);
    const b = await book(world, "ben", "sarah", JOHN_MONDAY_9AM);
    const c = await book(world, "chloe", "john", JOHN_MONDAY_9AM + 30 * MINUTE);
    await runScheduled(t);

    const bot = guild.info.botUserId;
    const expected = [
      [a, discordIds.amira, discordIds.john],
      [b, discordIds.ben, discordIds.sarah],
      [c, discordIds.chloe, discordIds.john],
    ] as const;
    for (const [sessionId, student, coach] of expected) {
      const session = await sessionRow(t, sessionId);
      expect(session).toMatchObject({ provisioningState: "ready", discordSetupComplete: true, provisioningAttempts: 0 });
      const { roles, channels } = await resourcesOf(guild, t, sessionId);
      expect(roles).toHaveLength(1);
      expect(channels).toHaveLength(1);
      expect(roles[0]).toMatchObject({ id: session.discordRoleId, permissions: "0", hoist: false, mentionable: false });
      expect(channels[0]).toMatchObject({ id: session.discordChannelId, type: 2 });
      expect(await guild.viewerIds(channels[0].id)).toEqual([student, coach, bot].sort());
      const view = await world.amira.as.query(api.coaching.myBookings, { now: Date.now(), scope: "upcoming" });
      if (sessionId === a) {
        expect(view[0].discordChannelUrl).toBe(`https://discord.com/channels/${guild.guildId}/${channels[0].id}`);
      }
    }
    // John sees two session channels, Sarah one, and nobody sees a channel of someone else's session.
    const channels = (await guild.channels()).filter((channel) => channel.name.startsWith("coaching-"));
    const visibleTo = async (userId: string) => {
      let count = 0;
      for (const channel of channels) if (await guild.canView(channel.id, userId)) count += 1;
      return count;
    };
    expect(await visibleTo(discordIds.john)).toBe(2);
    expect(await visibleTo(discordIds.sarah)).toBe(1);
    expect(await visibleTo(discordIds.amira)).toBe(1);

    // Overwrites computed from PermissionFlagsBits and sent as strings; every body valid for the spec;
    // every change carries an audit-log reason naming its session.
    const overwrites = channels[0].overwrites;
    expect(overwrites.find((overwrite) => overwrite.id === guild.guildId)?.deny).toBe(PermissionFlagsBits.ViewChannel.toString());
    expect(overwrites.find((overwrite) => overwrite.id === bot)?.allow).toBe(
      (PermissionFlagsBits.ViewChannel | PermissionFlagsBits.Connect | PermissionFlagsBits.ManageChannels).toString(),
    );
    const requests = await guild.requests();
    expect(requests.every((request) => request.validationErrors === null && request.status !== null && request.status < 400)).toBe(true);
    for (const request of requests.filter((r) => r.method !== "GET")) {
      expect(request.auditLogReason).toMatch(/coaching session \S+/);
    }
    // A fresh booking costs one role creation, one channel creation and two grants: no listing.
    expect(requests.filter((r) => r.operationId === "create_guild_role")).toHaveLength(3);
    expect(requests.filter((r) => r.operationId === "create_guild_channel")).toHaveLength(3);
    expect(requests.filter((r) => r.operationId === "add_guild_member_role")).toHaveLength(6);
    expect(requests.filter((r) => r.method === "GET")).toHaveLength(0);
  });
});

/** Exactly one role and one channel for the session, recorded on it and in the ledger, both participants holding the role. */
async function expectOneReadySpace(world: Awaited<ReturnType<typeof discordWorld>>, sessionId: Parameters<typeof sessionRow>[1], people: string[]) {
  const { t, guild } = world;
  const session = await sessionRow(t, sessionId);
  expect(session).toMatchObject({ provisioningState: "ready", discordSetupComplete: true });
  const { roles, channels } = await resourcesOf(guild, t, sessionId);
  expect(roles.map((role) => role.id)).toEqual([session.discordRoleId]);
  expect(channels.map((channel) => channel.id)).toEqual([session.discordChannelId]);
  for (const userId of people) expect(await guild.memberRoleIds(userId)).toContain(session.discordRoleId);
  const ledger = await t.run((ctx) =>
    ctx.db
      .query("discordResources")
      .withIndex("by_sessionId", (q) => q.eq("sessionId", sessionId))
      .collect(),
  );
  expect(ledger.filter((row) => row.live).map((row) => row.discordId).sort()).toEqual([session.discordRoleId, session.discordChannelId].sort());
  expect((await guild.requests()).every((request) => request.validationErrors === null)).toBe(true);
}

describe("idempotent, resumable provisioning", () => {
  test.each([
    { step: "after Discord created the role, before its id was saved", route: "create_guild_role", when: "after" as const },
    { step: "after the role id was saved, before the channel", route: "create_guild_channel", when: "before" as const },
    { step: "after Discord created the channel, before its id was saved", route: "create_guild_channel", when: "after" as const },
    { step: "after the channel was saved, before the role grants", route: "add_guild_member_role", when: "before" as const },
    { step: "after a grant, before it was saved", route: "add_guild_member_role", when: "after" as const },
  ])("a crash $step, then the re-run: exactly one role and one channel", async ({ route, when }) => {
    const world = await discordWorld();
    await world.guild.injectFault({ kind: "drop", when, route });
    const sessionId = await book(world, "amira", "john", JOHN_MONDAY_9AM);
    await runScheduled(world.t);
    await expectOneReadySpace(world, sessionId, [world.discordIds.amira, world.discordIds.john]);
    expect((await world.guild.requests()).filter((request) => request.fault === "drop")).toHaveLength(1);
  });

  test("a run that died holding the session is taken over once its claim expires", async () => {
    const world = await discordWorld();
    const { t, guild } = world;
    const sessionId = await book(world, "amira", "john", JOHN_MONDAY_9AM);
    // The scheduled run claims the session, Discord creates the role… and the process dies.
    await t.mutation(internal.discordProvisioning.claim, { sessionId });
    const { discordKey } = await sessionRow(t, sessionId);
    await guild.createRole({ name: `Session ${discordKey}`, permissions: "0" });
    await t.run(async (ctx) => {
      for (const job of await ctx.db.system.query("_scheduled_functions").collect()) {
        if (job.state.kind === "pending") await ctx.scheduler.cancel(job._id);
      }
    });
    expect(await errorCodeOf(world.admin.as.mutation(api.discordAdmin.retry, { sessionId }))).toBe("FAILED_PRECONDITION");

    vi.advanceTimersByTime(10 * MINUTE);
    const summary = await t.mutation(internal.discordProvisioning.hourlyMaintenance, {});
    expect(summary.provisioningRestarted).toBe(1);
    await runScheduled(t);
    await expectOneReadySpace(world, sessionId, [world.discordIds.amira, world.discordIds.john]);
    // The role the dead run made was adopted, not made again.
    expect((await guild.requests()).filter((request) => request.operationId === "create_guild_role")).toEqual([]);
  });

  test("running provisioning again on a ready session changes nothing in Discord", async () => {
    const world = await discordWorld();
    const sessionId = await book(world, "amira", "john", JOHN_MONDAY_9AM);
    await runScheduled(world.t);
    const before = (await world.guild.requests()).length;
    await world.t.action(internal.discordProvisioning.provision, { sessionId });
    await world.t.action(internal.discordProvisioning.provision, { sessionId });
    expect((await world.guild.requests()).length).toBe(before);
    await expectOneReadySpace(world, sessionId, [world.discordIds.amira, world.discordIds.john]);
  });
});

describe("failures", () => {
  test("429: the step is rescheduled after retry_after, then succeeds", async () => {
    const world = await discordWorld();
    const { t, guild } = world;
    await guild.injectFault({ kind: "rate_limit", retryAfterSeconds: 30, route: "create_guild_role" });
    const sessionId = await book(world, "amira", "john", JOHN_MONDAY_9AM);
    vi.runOnlyPendingTimers();
    await t.finishInProgressScheduledFunctions();
    const waiting = await sessionRow(t, sessionId);
    expect(waiting).toMatchObject({ provisioningState: "provisioning", provisioningAttempts: 0 });
    expect(waiting.provisioningNextAttemptAt! - Date.now()).toBeGreaterThanOrEqual(30_000);
    expect(waiting.provisioningNextAttemptAt! - Date.now()).toBeLessThan(32_000);
    await runScheduled(t);
    await expectOneReadySpace(world, sessionId, [world.discordIds.amira, world.discordIds.john]);
    expect((await guild.requests()).filter((r) => r.operationId === "create_guild_role").map((r) => r.status)).toEqual([429, 200]);
  });

  test("a global 429 on every route is waited out the same way", async () => {
    const world = await discordWorld();
    await world.guild.injectFault({ kind: "rate_limit", retryAfterSeconds: 5, global: true, route: "*", count: 2 });
    const sessionId = await book(world, "amira", "john", JOHN_MONDAY_9AM);
    await runScheduled(world.t);
    await expectOneReadySpace(world, sessionId, [world.discordIds.amira, world.discordIds.john]);
  });

  test("repeated 5xx: retries with growing backoff, then failed; an admin retry ends ready", async () => {
    const world = await discordWorld();
    const { t, guild } = world;
    await guild.injectFault({ kind: "server_error", status: 502, route: "create_guild_role", count: 5 });
    const sessionId = await book(world, "amira", "john", JOHN_MONDAY_9AM);
    vi.runOnlyPendingTimers();
    await t.finishInProgressScheduledFunctions();
    const delays: number[] = [];
    for (let attempt = 1; attempt < 5; attempt += 1) {
      const session = await sessionRow(t, sessionId);
      expect(session).toMatchObject({ provisioningState: "provisioning", provisioningAttempts: attempt });
      const delay = session.provisioningNextAttemptAt! - Date.now();
      delays.push(delay);
      vi.advanceTimersByTime(delay);
      await t.finishInProgressScheduledFunctions();
    }
    expect(delays).toEqual([2_000, 4_000, 8_000, 16_000]);
    const failed = await sessionRow(t, sessionId);
    expect(failed).toMatchObject({ provisioningState: "failed", provisioningAttempts: 5 });
    expect(failed.provisioningLastError).toMatch(/Gave up after 5 failed attempts.*502.*Retry/);
    const admin = await world.admin.as.query(api.coaching.getSession, { now: Date.now(), sessionId });
    expect(admin.provisioningLastError).toBe(failed.provisioningLastError);
    // Students see the state, not the admin's error text.
    expect((await world.amira.as.query(api.coaching.getSession, { now: Date.now(), sessionId })).provisioningLastError).toBeNull();
    // No Discord retry is left pending (the session's email reminders are).
    const pendingDiscordJobs = await t.run(async (ctx) =>
      (await ctx.db.system.query("_scheduled_functions").collect()).filter(
        (job) => job.state.kind === "pending" && job.name.startsWith("discord"),
      ),
    );
    expect(pendingDiscordJobs).toEqual([]);

    expect(await world.admin.as.mutation(api.discordAdmin.retry, { sessionId })).toBe("provisioning");
    await runScheduled(t);
    await expectOneReadySpace(world, sessionId, [world.discordIds.amira, world.discordIds.john]);
    expect((await sessionRow(t, sessionId)).provisioningAttempts).toBe(0);
  });

  test("missing permissions fail at once with what to fix; after the fix an admin retry reuses the role", async () => {
    const world = await discordWorld({
      guild: { botPermissions: (DEFAULT_BOT_PERMISSIONS & ~PermissionFlagsBits.ManageChannels).toString() },
    });
    const { t, guild } = world;
    const sessionId = await book(world, "amira", "john", JOHN_MONDAY_9AM);
    await runScheduled(t);
    const failed = await sessionRow(t, sessionId);
    expect(failed).toMatchObject({ provisioningState: "failed", provisioningAttempts: 1 });
    expect(failed.provisioningLastError).toMatch(/Missing Permissions/);
    expect(failed.provisioningLastError).toMatch(/Manage Channels/);
    expect((await guild.requests()).filter((r) => r.operationId === "create_guild_channel")).toHaveLength(1);
    const roleId = failed.discordRoleId;
    expect(roleId).toBeDefined();

    await guild.update({ botPermissions: DEFAULT_BOT_PERMISSIONS.toString() });
    await world.admin.as.mutation(api.discordAdmin.retry, { sessionId });
    await runScheduled(t);
    await expectOneReadySpace(world, sessionId, [world.discordIds.amira, world.discordIds.john]);
    expect((await sessionRow(t, sessionId)).discordRoleId).toBe(roleId);
  });

  test("without Manage Roles nothing is created and the admin is told so", async () => {
    const world = await discordWorld({ guild: { botPermissions: (DEFAULT_BOT_PERMISSIONS & ~PermissionFlagsBits.ManageRoles).toString() } });
    const sessionId = await book(world, "amira", "john", JOHN_MONDAY_9AM);
    await runScheduled(world.t);
    const failed = await sessionRow(world.t, sessionId);
    expect(failed.provisioningState).toBe("failed");
    expect(failed.provisioningLastError).toMatch(/Manage Roles/);
    expect(await resourcesOf(world.guild, world.t, sessionId)).toEqual({ roles: [], channels: [] });
  });

  test("a linked participant who is not in the server: the space is ready, the admin sees why the grant is missing", async () => {
    const world = await discordWorld();
    await world.guild.removeMember(world.discordIds.amira);
    const sessionId = await book(world, "amira", "john", JOHN_MONDAY_9AM);
    await runScheduled(world.t);
    const session = await sessionRow(world.t, sessionId);
    expect(session).toMatchObject({ provisioningState: "ready", discordSetupComplete: false });
    expect(session.provisioningLastError).toMatch(/Amira Student.*not a member/);
    expect(await world.guild.memberRoleIds(world.discordIds.john)).toContain(session.discordRoleId);
  });

  test("a session role deleted by hand is recreated together with its channel", async () => {
    const { world, t, guild, sessionId } = await worldWithBooking({ linked: ["john"] });
    const first = await sessionRow(t, sessionId);
    await guild.deleteRole(first.discordRoleId!);
    // Amira links now: the grant finds the role gone, so role and channel are made afresh.
    await t.run((ctx) => ctx.db.patch("users", world.amira.userId, { discordUserId: world.discordIds.amira }));
    await t.mutation(internal.discordLinking.recordLinkedAccount, {
      userId: world.amira.userId,
      discordUserId: world.discordIds.amira,
      discordUsername: "amira",
    });
    await runScheduled(t);
    await expectOneReadySpace(world, sessionId, [world.discordIds.amira, world.discordIds.john]);
    expect((await sessionRow(t, sessionId)).discordRoleId).not.toBe(first.discordRoleId);
  });
});

describe("a cancel during provisioning", () => {
  test("stops the run at its next step: no channel, no role granted, and the role it made is deleted at once, not at lease expiry", async () => {
    const world = await discordWorld({ guild: { latencyMs: 150 } });
    const { t, guild, discordIds } = world;
    const sessionId = await book(world, "amira", "john", JOHN_MONDAY_9AM);
    // Start the provisioning run the booking scheduled and cancel while Discord is creating the role.
    const { running } = await startRunUntilRoleInFlight(world);
    const cancelledAt = Date.now();
    await world.amira.as.mutation(api.coaching.cancel, { sessionId });
    await running;

    // The run stopped after the role and handed it to cleanup: what is due now runs without the clock moving.
    for (let round = 0; round < 20; round += 1) {
      vi.advanceTimersByTime(0);
      await t.finishInProgressScheduledFunctions();
    }
    expect(Date.now()).toBe(cancelledAt);
    expect(await sessionRow(t, sessionId)).toMatchObject({ provisioningState: "cleaned", discordSetupComplete: false });
    expect(await resourcesOf(guild, t, sessionId)).toEqual({ roles: [], channels: [] });
    const operations = (await guild.requests()).map((request) => request.operationId);
    expect(operations).toEqual(["create_guild_role", "delete_guild_role"]);
    expect(await guild.memberRoleIds(discordIds.amira)).toEqual([]);
    expect(await guild.memberRoleIds(discordIds.john)).toEqual([]);

    // The safety-net cleanup at lease expiry finds nothing more to do.
    await runScheduled(t);
    expect((await guild.requests()).map((request) => request.operationId)).toEqual(operations);
  });
});

describe("the booking record", () => {
  test("from booking to ready only the Discord space is written: the session stays as the booking inserted it", async () => {
    const world = await discordWorld();
    const { t } = world;
    const sessionId = await book(world, "amira", "john", JOHN_MONDAY_9AM);
    const booked = await t.run((ctx) => ctx.db.get("coachingSessions", sessionId));
    await runScheduled(t);
    expect(await sessionRow(t, sessionId)).toMatchObject({ provisioningState: "ready", discordSetupComplete: true });
    expect(await t.run((ctx) => ctx.db.get("coachingSessions", sessionId))).toEqual(booked);
  });
});
