import { afterEach, describe, expect, test, vi } from "vitest";
import { api, components, internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { newTest, seedUser, type TestBackend } from "../testing/convex";
import { insertCoachingSession } from "./model/notifications/notifications.testkit";
import { DAY_MS } from "./model/time/units";

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

/** A session as it was stored before `discordSpaces`: its Discord fields on itself, no space row. */
async function legacySession(t: TestBackend, coachId: Id<"users">, studentId: Id<"users">, fields: Record<string, unknown>) {
  const sessionId = await insertCoachingSession(t, { coachId, studentId });
  await t.run(async (ctx) => {
    const space = await ctx.db
      .query("discordSpaces")
      .withIndex("by_sessionId", (q) => q.eq("sessionId", sessionId))
      .unique();
    await ctx.db.delete("discordSpaces", space!._id);
    await ctx.db.patch("coachingSessions", sessionId, fields);
  });
  return sessionId;
}

/** Runs the migration one session per batch (each batch its own scheduled mutation) to its end. */
async function runMigration(t: TestBackend, options: { batchSize?: number; cursor?: null } = {}) {
  await t.mutation(internal.migrations.moveDiscordSpaces, options);
  await t.finishAllScheduledFunctions(() => vi.runAllTimers());
}

describe("migration moveDiscordSpaces", () => {
  test("moves each session's Discord fields into its space and removes them from the session; a second run changes nothing", async () => {
    vi.useFakeTimers();
    vi.stubEnv("DISCORD_GUILD_ID", "111111111111111111");
    const t = newTest();
    const coach = await seedUser(t, { roles: ["coach"] });
    const student = await seedUser(t, { roles: ["student"] });
    const ready = await legacySession(t, coach.userId, student.userId, {
      discordKey: "abcd1234",
      discordRoleId: "333333333333333333",
      discordChannelId: "222222222222222222",
      discordSetupComplete: true,
      discordRoleGrantedTo: ["444444444444444444"],
      discordRoleCreateAttempted: true,
      discordChannelCreateAttempted: true,
      provisioningState: "ready",
      provisioningAttempts: 0,
      provisionedAt: 1_700_000_000_000,
    });
    const failed = await legacySession(t, coach.userId, student.userId, {
      discordKey: "efgh5678",
      discordSetupComplete: false,
      discordRoleGrantedTo: [],
      discordRoleCreateAttempted: false,
      discordChannelCreateAttempted: false,
      provisioningState: "failed",
      provisioningAttempts: 2,
      provisioningLastError: "Discord refused to create the role (403 Missing Permissions).",
      status: "CANCELLED",
    });

    // Before the migration, the student's view already shows what the legacy fields say.
    const before = await student.as.query(api.coaching.getSession, { sessionId: ready, now: Date.now() });
    expect(before.discordChannelUrl).toBe("https://discord.com/channels/111111111111111111/222222222222222222");

    await runMigration(t, { batchSize: 1 });
    const rows = await t.run(async (ctx) => ({
      sessions: await ctx.db.query("coachingSessions").collect(),
      spaces: await ctx.db.query("discordSpaces").collect(),
    }));
    expect(rows.spaces).toHaveLength(2);
    expect(rows.spaces.find((space) => space.sessionId === ready)).toMatchObject({
      key: "abcd1234",
      state: "ready",
      roleId: "333333333333333333",
      channelId: "222222222222222222",
      setupComplete: true,
      roleGrantedTo: ["444444444444444444"],
      provisionedAt: 1_700_000_000_000,
    });
    expect(rows.spaces.find((space) => space.sessionId === failed)).toMatchObject({
      key: "efgh5678",
      state: "failed",
      attempts: 2,
      finishedAs: "CANCELLED",
      lastError: "Discord refused to create the role (403 Missing Permissions).",
    });
    for (const session of rows.sessions) {
      expect(Object.keys(session).filter((field) => field.startsWith("discord") || field.startsWith("provision"))).toEqual([]);
    }
    expect(await student.as.query(api.coaching.getSession, { sessionId: ready, now: Date.now() })).toEqual(before);

    // Resumable and idempotent: running it again from the start leaves everything as it is.
    await t.mutation(internal.migrations.run, {});
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());
    await runMigration(t, { cursor: null });
    expect(await t.run((ctx) => ctx.db.query("discordSpaces").collect())).toEqual(rows.spaces);
  });
});

describe("migration clearDiscordHeldSlots", () => {
  test("removes the legacy held slots of every Discord space and leaves the rest of the space as it was", async () => {
    vi.useFakeTimers();
    const t = newTest();
    const coach = await seedUser(t, { roles: ["coach"] });
    const student = await seedUser(t, { roles: ["student"] });
    const held = await insertCoachingSession(t, { coachId: coach.userId, studentId: student.userId });
    const plain = await insertCoachingSession(t, { coachId: coach.userId, studentId: student.userId });
    const spaceOf = (sessionId: Id<"coachingSessions">) =>
      t.run((ctx) => ctx.db.query("discordSpaces").withIndex("by_sessionId", (q) => q.eq("sessionId", sessionId)).unique());
    await t.run(async (ctx) => {
      const space = await ctx.db.query("discordSpaces").withIndex("by_sessionId", (q) => q.eq("sessionId", held)).unique();
      await ctx.db.patch("discordSpaces", space!._id, { heldSlots: [{ bucket: "POST /guilds/{guild.id}/roles", at: 1_700_000_000_000 }] });
    });
    const plainBefore = await spaceOf(plain);
    const { heldSlots: _legacy, ...heldRest } = (await spaceOf(held)) as Record<string, unknown>;

    await t.mutation(internal.migrations.clearDiscordHeldSlots, { batchSize: 1 });
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());

    expect(await spaceOf(held)).toEqual(heldRest);
    expect(await spaceOf(plain)).toEqual(plainBefore);
  });
});

describe("migrations copySessionTimeNames and copyDiscordSpaceTimeNames", () => {
  test("copy startTime/endTime into startsAt/endsAt where they are missing or differ, change nothing else, and run from migrations:run", async () => {
    vi.useFakeTimers();
    const t = newTest();
    const coach = await seedUser(t, { roles: ["coach"] });
    const student = await seedUser(t, { roles: ["student"] });
    const missing = await insertCoachingSession(t, { coachId: coach.userId, studentId: student.userId, startsAt: Date.UTC(2026, 2, 2, 9, 0) });
    const stale = await insertCoachingSession(t, { coachId: coach.userId, studentId: student.userId, startsAt: Date.UTC(2026, 2, 3, 9, 0) });
    const current = await insertCoachingSession(t, { coachId: coach.userId, studentId: student.userId, startsAt: Date.UTC(2026, 2, 4, 9, 0) });
    const documentsOf = (sessionId: Id<"coachingSessions">) =>
      t.run(async (ctx) => ({
        session: (await ctx.db.get("coachingSessions", sessionId))!,
        space: (await ctx.db.query("discordSpaces").withIndex("by_sessionId", (q) => q.eq("sessionId", sessionId)).unique())!,
      }));
    // As written before release 1 (no new names), and with new names that no longer match.
    const missingSpace = (await documentsOf(missing)).space;
    await t.run(async (ctx) => {
      await ctx.db.patch("coachingSessions", missing, { startsAt: undefined, endsAt: undefined });
      await ctx.db.patch("discordSpaces", missingSpace._id, { startsAt: undefined, endsAt: undefined });
    });
    const staleBefore = await documentsOf(stale);
    await t.run(async (ctx) => {
      await ctx.db.patch("coachingSessions", stale, { startsAt: staleBefore.session.startTime - DAY_MS, endsAt: staleBefore.session.endTime - DAY_MS });
      await ctx.db.patch("discordSpaces", staleBefore.space._id, { endsAt: staleBefore.space.endTime + DAY_MS });
    });
    const missingBefore = await documentsOf(missing);
    expect(missingBefore.session).not.toHaveProperty("startsAt");
    expect(missingBefore.space).not.toHaveProperty("endsAt");
    const currentBefore = await documentsOf(current);

    await t.mutation(internal.migrations.run, {});
    await t.finishAllScheduledFunctions(() => vi.runAllTimers());

    const withNames = <T extends { startTime: number; endTime: number }>(document: T) => ({ ...document, startsAt: document.startTime, endsAt: document.endTime });
    expect(await documentsOf(missing)).toEqual({ session: withNames(missingBefore.session), space: withNames(missingBefore.space) });
    expect(await documentsOf(stale)).toEqual({ session: withNames(staleBefore.session), space: withNames(staleBefore.space) });
    expect(await documentsOf(current)).toEqual(currentBefore);
    for (const name of ["copySessionTimeNames", "copyDiscordSpaceTimeNames"]) {
      expect(await t.query(components.migrations.lib.getStatus, { names: [`migrations:${name}`] })).toMatchObject([{ name: `migrations:${name}`, state: "success" }]);
    }
  });
});
