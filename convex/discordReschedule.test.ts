import { afterEach, describe, expect, test, vi } from "vitest";
import { api } from "./_generated/api";
import { DAY, HOUR, JOHN_MONDAY_9AM } from "./model/coaching/fixtures.testing";
import { book, discordWorld, drive, resourcesOf, runDue, runScheduled, spaceRow, startRunUntilRoleInFlight, worldWithBooking } from "./model/discord/fixtures.testing";

/**
 * A rescheduled coaching session's Discord space (issue #15, point 3), against the fake Discord
 * server: kept when the new start is inside the provisioning lead window (DISCORD_PROVISION_LEAD_MINUTES,
 * one day by default), otherwise released at once and provisioned again when the new window opens.
 */

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

const JOHN_WEDNESDAY_9AM = JOHN_MONDAY_9AM + 2 * DAY;

describe("a rescheduled session's Discord space", () => {
  test("moved outside the lead window: role and channel are deleted at once and made again when the new window opens", async () => {
    const { world, t, guild, discordIds, sessionId } = await worldWithBooking({}, runDue);
    const before = await spaceRow(t, sessionId);
    expect(before).toMatchObject({ state: "ready", setupComplete: true });
    const requestsBefore = (await guild.requests()).length;

    await world.john.as.mutation(api.coaching.reschedule, { sessionId, startTime: JOHN_WEDNESDAY_9AM });
    await runDue(t);
    const released = await spaceRow(t, sessionId);
    expect(released).toMatchObject({
      state: "pending",
      setupComplete: false,
      roleGrantedTo: [],
      startTime: JOHN_WEDNESDAY_9AM,
      nextAttemptAt: JOHN_WEDNESDAY_9AM - DAY,
    });
    expect(released.roleId).toBeUndefined();
    expect(released.channelId).toBeUndefined();
    expect(released.releaseRequested).toBeUndefined();
    expect(await resourcesOf(guild, t, sessionId)).toEqual({ roles: [], channels: [] });
    expect((await guild.requests()).slice(requestsBefore).map((request) => request.operationId)).toEqual(["delete_channel", "delete_guild_role"]);
    expect(await guild.memberRoleIds(discordIds.amira)).toEqual([]);
    // Nothing is made again before the new window opens.
    vi.advanceTimersByTime(JOHN_WEDNESDAY_9AM - DAY - Date.now() - HOUR);
    await runDue(t);
    expect((await spaceRow(t, sessionId)).state).toBe("pending");

    await runScheduled(t);
    const again = await spaceRow(t, sessionId);
    expect(again).toMatchObject({ state: "ready", setupComplete: true, key: before.key });
    expect(again.provisionedAt).toBeGreaterThanOrEqual(JOHN_WEDNESDAY_9AM - DAY);
    expect(again.roleId).not.toBe(before.roleId);
    const { roles, channels } = await resourcesOf(guild, t, sessionId);
    expect(roles.map((role) => role.id)).toEqual([again.roleId]);
    expect(channels.map((channel) => channel.id)).toEqual([again.channelId]);
    expect(await guild.viewerIds(again.channelId!)).toEqual([discordIds.amira, discordIds.john, guild.info.botUserId].sort());
  });

  test("moved within the lead window: the same role and channel stay, nothing is deleted", async () => {
    const { world, t, guild, discordIds, sessionId } = await worldWithBooking({}, runDue);
    const before = await spaceRow(t, sessionId);
    const requestsBefore = (await guild.requests()).length;

    await world.john.as.mutation(api.coaching.reschedule, { sessionId, startTime: JOHN_MONDAY_9AM + 2 * HOUR });
    await runScheduled(t);
    const after = await spaceRow(t, sessionId);
    expect(after).toMatchObject({ state: "ready", setupComplete: true, roleId: before.roleId, channelId: before.channelId, startTime: JOHN_MONDAY_9AM + 2 * HOUR });
    expect((await guild.requests()).slice(requestsBefore)).toEqual([]);
    expect(await guild.viewerIds(before.channelId!)).toEqual([discordIds.amira, discordIds.john, guild.info.botUserId].sort());
  });

  test("moved outside the window while its provisioning run is working: the run stops and nothing stays in Discord", async () => {
    const world = await discordWorld({ guild: { latencyMs: 150 } });
    const { t, guild, discordIds } = world;
    const sessionId = await book(world, "amira", "john", JOHN_MONDAY_9AM);
    const { running } = await startRunUntilRoleInFlight(world);
    await world.john.as.mutation(api.coaching.reschedule, { sessionId, startTime: JOHN_WEDNESDAY_9AM });
    await drive(running);
    await runDue(t);

    expect(await spaceRow(t, sessionId)).toMatchObject({ state: "pending", nextAttemptAt: JOHN_WEDNESDAY_9AM - DAY });
    expect(await resourcesOf(guild, t, sessionId)).toEqual({ roles: [], channels: [] });
    expect((await guild.requests()).map((request) => request.operationId)).toEqual(["create_guild_role", "delete_guild_role"]);
    expect(await guild.memberRoleIds(discordIds.amira)).toEqual([]);
  });
});
