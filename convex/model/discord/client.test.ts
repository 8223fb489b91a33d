/**
 * The Discord client against the fake Discord server (testing/fakeDiscord) over real HTTP, in the
 * edge runtime like Convex. Each test creates its own guild, so tests and files do not interfere.
 */
import { PermissionFlagsBits } from "discord-api-types/v10";
import { describe, expect, inject, test, vi } from "vitest";
import { FakeDiscordControl, type FakeGuildControl } from "../../../testing/fakeDiscord/controlClient";
import { env } from "../../_generated/server";
import {
  BOT_SESSION_CHANNEL_ALLOW,
  discordClientFromEnv,
  discordConfigFromEnv,
  DiscordClient,
  DiscordRequestError,
  type DiscordClientOptions,
  type DiscordErrorClassification,
  SESSION_ROLE_CHANNEL_ALLOW,
} from "./client";

const fake = new FakeDiscordControl(inject("fakeDiscordUrl"));
const REASON = "Coaching session k57abc12 (test)";

function clientFor(guild: FakeGuildControl, options: DiscordClientOptions & { categoryId?: string } = {}) {
  const config = discordConfigFromEnv(guild.env({ categoryId: options.categoryId }));
  if (!config) throw new Error("fake guild env should configure Discord");
  return new DiscordClient(config, options);
}

async function classificationOf(promise: Promise<unknown>): Promise<DiscordErrorClassification> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DiscordRequestError);
  return (error as DiscordRequestError).classification;
}

describe("configuration", () => {
  test("Discord is not configured until token, guild and bot user are all set", () => {
    expect(discordConfigFromEnv({})).toBeNull();
    expect(discordConfigFromEnv({ DISCORD_BOT_TOKEN: "t", DISCORD_GUILD_ID: "123456789012345678" })).toBeNull();
    expect(
      discordConfigFromEnv({
        DISCORD_BOT_TOKEN: " token ",
        DISCORD_GUILD_ID: "123456789012345678",
        DISCORD_BOT_USER_ID: "223456789012345678",
        DISCORD_API_BASE: "http://127.0.0.1:9999/api/",
      }),
    ).toEqual({
      botToken: "token",
      guildId: "123456789012345678",
      botUserId: "223456789012345678",
      categoryId: null,
      apiBase: "http://127.0.0.1:9999/api",
    });
  });

  test("a malformed id is reported by variable name", () => {
    expect(() =>
      discordConfigFromEnv({ DISCORD_BOT_TOKEN: "t", DISCORD_GUILD_ID: "my-guild", DISCORD_BOT_USER_ID: "223456789012345678" }),
    ).toThrow(/DISCORD_GUILD_ID/);
  });

  test("discordClientFromEnv reads the deployment's environment", async () => {
    const guild = await fake.createGuild();
    for (const [name, value] of Object.entries(guild.env())) vi.stubEnv(name, value);
    try {
      const client = discordClientFromEnv(env);
      expect(client?.config.guildId).toBe(guild.guildId);
      const roles = await client!.listRoles();
      expect(roles.map((role) => role.id)).toContain(guild.info.botRoleId);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("a session's private space", () => {
  test("role + voice channel: visible to exactly the two role holders and the bot", async () => {
    const guild = await fake.createGuild({
      categories: ["Coaching"],
      members: [{ username: "student" }, { username: "coach" }, { username: "bystander" }],
    });
    const [student, coach, bystander] = guild.info.members.map((m) => m.userId);
    const categoryId = guild.info.categoryIds[0];
    const client = clientFor(guild, { categoryId });

    const role = await client.createSessionRole("Session k57abc12", REASON);
    expect(role.name).toBe("Session k57abc12");
    expect(role.permissions).toBe("0");
    expect(role.hoist).toBe(false);
    expect(role.mentionable).toBe(false);

    const channel = await client.createPrivateVoiceChannel({ name: "coaching-k57abc12", roleId: role.id }, REASON);
    expect(channel).toMatchObject({ name: "coaching-k57abc12", type: 2, parent_id: categoryId });
    await Promise.all([
      client.addMemberRole(student, role.id, REASON),
      client.addMemberRole(coach, role.id, REASON),
    ]);

    expect(await guild.viewerIds(channel.id)).toEqual([student, coach, guild.info.botUserId].sort());
    expect(await guild.canView(channel.id, bystander)).toBe(false);
    const studentPermissions = BigInt((await guild.permissions(channel.id, student)).permissions);
    expect(studentPermissions & SESSION_ROLE_CHANNEL_ALLOW).toBe(SESSION_ROLE_CHANNEL_ALLOW);
    const botPermissions = BigInt((await guild.permissions(channel.id, guild.info.botUserId)).permissions);
    expect(botPermissions & BOT_SESSION_CHANNEL_ALLOW).toBe(BOT_SESSION_CHANNEL_ALLOW);
    // The student may speak but not manage the channel.
    expect(studentPermissions & PermissionFlagsBits.ManageChannels).toBe(0n);

    // Overwrites went over the wire as decimal strings and the fake stored exactly three.
    const stored = (await guild.channels()).find((c) => c.id === channel.id);
    expect(stored?.overwrites).toHaveLength(3);

    const listedRoles = await client.listRoles();
    expect(listedRoles.map((r) => r.id)).toContain(role.id);
    const listedChannels = await client.listChannels();
    expect(listedChannels.map((c) => c.id)).toContain(channel.id);

    // Every request passed spec validation and every mutating one carried the reason.
    const requests = await guild.requests();
    expect(requests.length).toBeGreaterThanOrEqual(6);
    for (const request of requests) {
      expect(request.validationErrors).toBeNull();
      expect(request.status).toBeLessThan(300);
      if (request.method !== "GET") expect(request.auditLogReason).toBe(REASON);
    }
    const createChannel = requests.find((r) => r.operationId === "create_guild_channel");
    const overwrites = (createChannel?.body as { permission_overwrites: Array<{ allow: unknown }> }).permission_overwrites;
    for (const overwrite of overwrites) expect(typeof overwrite.allow).toBe("string");
  });

  test("without a configured category the channel has no parent; parentId: null forces that", async () => {
    const guild = await fake.createGuild({ categories: ["Coaching"] });
    const client = clientFor(guild, { categoryId: guild.info.categoryIds[0] });
    const role = await client.createSessionRole("Session nocat001", REASON);
    const channel = await client.createPrivateVoiceChannel({ name: "coaching-nocat001", roleId: role.id, parentId: null }, REASON);
    expect(channel).toMatchObject({ parent_id: null });
  });

  test("an over-long audit-log reason is cut to 512 characters rather than rejected", async () => {
    const guild = await fake.createGuild();
    const role = await clientFor(guild).createSessionRole("Session long0001", "x".repeat(600));
    expect(role.id).toMatch(/^\d+$/);
    const [request] = await guild.requests();
    expect(request.auditLogReason).toHaveLength(512);
  });
});

describe("cleanup", () => {
  test("deleting a channel or role twice: the second time is already_gone", async () => {
    const guild = await fake.createGuild({ members: [{ username: "student" }] });
    const [student] = guild.info.members.map((m) => m.userId);
    const client = clientFor(guild);
    const role = await client.createSessionRole("Session clean001", REASON);
    const channel = await client.createPrivateVoiceChannel({ name: "coaching-clean001", roleId: role.id }, REASON);
    await client.addMemberRole(student, role.id, REASON);

    expect(await client.deleteChannel(channel.id, REASON)).toBe("deleted");
    expect(await client.deleteChannel(channel.id, REASON)).toBe("already_gone");
    expect(await client.deleteRole(role.id, REASON)).toBe("deleted");
    expect(await client.deleteRole(role.id, REASON)).toBe("already_gone");
    expect(await client.removeMemberRole(student, role.id, REASON)).toBe("already_gone");

    const state = await guild.state();
    expect(state.channels.find((c) => c.id === channel.id)).toBeUndefined();
    expect(state.roles.find((r) => r.id === role.id)).toBeUndefined();
  });

  test("a channel someone deleted by hand counts as already gone", async () => {
    const guild = await fake.createGuild();
    const client = clientFor(guild);
    const role = await client.createSessionRole("Session hand0001", REASON);
    const channel = await client.createPrivateVoiceChannel({ name: "coaching-hand0001", roleId: role.id }, REASON);
    await guild.deleteChannel(channel.id);
    expect(await client.deleteChannel(channel.id, REASON)).toBe("already_gone");
  });

  test("removing a role from a member who still has it", async () => {
    const guild = await fake.createGuild({ members: [{ username: "student" }] });
    const [student] = guild.info.members.map((m) => m.userId);
    const client = clientFor(guild);
    const role = await client.createSessionRole("Session remove01", REASON);
    await client.addMemberRole(student, role.id, REASON);
    expect(await guild.memberRoleIds(student)).toContain(role.id);
    expect(await client.removeMemberRole(student, role.id, REASON)).toBe("removed");
    expect(await guild.memberRoleIds(student)).not.toContain(role.id);
  });
});

describe("failures are classified", () => {
  test("a 429 with a long retry_after surfaces at once as rate_limited", async () => {
    const guild = await fake.createGuild();
    await guild.injectFault({ route: "create_guild_role", kind: "rate_limit", retryAfterSeconds: 30 });
    const started = Date.now();
    const classification = await classificationOf(clientFor(guild).createSessionRole("Session rate0001", REASON));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(classification).toMatchObject({ kind: "rate_limited", global: false });
    expect(classification.kind === "rate_limited" && classification.retryAfterMs).toBeGreaterThanOrEqual(30_000);
    expect(classification.kind === "rate_limited" && classification.retryAfterMs).toBeLessThan(31_000);
  });

  test("a global 429 is marked global", async () => {
    const guild = await fake.createGuild();
    await guild.injectFault({ kind: "rate_limit", retryAfterSeconds: 5, global: true });
    const classification = await classificationOf(clientFor(guild).listRoles());
    expect(classification).toMatchObject({ kind: "rate_limited", global: true });
  });

  test("a short 429 is waited out inside the client", async () => {
    const guild = await fake.createGuild();
    await guild.injectFault({ route: "create_guild_role", kind: "rate_limit", retryAfterSeconds: 0.2 });
    const role = await clientFor(guild).createSessionRole("Session short001", REASON);
    expect(role.id).toMatch(/^\d+$/);
    const statuses = (await guild.requests()).map((r) => r.status);
    expect(statuses).toEqual([429, 200]);
  });

  test("an exhausted bucket with a long reset is rate_limited; once known, without sending the request", async () => {
    const guild = await fake.createGuild({
      rateLimits: { perRoute: { create_guild_role: { limit: 1, windowMs: 60_000 } } },
    });
    const client = clientFor(guild);
    await client.createSessionRole("Session bucket01", REASON);
    // The first answer names the bucket; @discordjs/rest learns it, so Discord's 429 comes once…
    const first = await classificationOf(client.createSessionRole("Session bucket02", REASON));
    expect(first.kind === "rate_limited" && first.retryAfterMs).toBeGreaterThan(50_000);
    // …and afterwards the client refuses before sending anything.
    const second = await classificationOf(client.createSessionRole("Session bucket03", REASON));
    expect(second.kind === "rate_limited" && second.retryAfterMs).toBeGreaterThan(50_000);
    expect((await guild.requests()).map((r) => r.status)).toEqual([200, 429]);
  });

  test("the role-creation cap (429 with hours to wait) is rate_limited", async () => {
    const guild = await fake.createGuild({ limits: { maxRoleCreationsPerWindow: 1 } });
    const client = clientFor(guild);
    await client.createSessionRole("Session cap00001", REASON);
    const classification = await classificationOf(client.createSessionRole("Session cap00002", REASON));
    expect(classification.kind === "rate_limited" && classification.retryAfterMs).toBeGreaterThan(60 * 60 * 1000);
  });

  test("a 5xx is transient and not retried by the client", async () => {
    const guild = await fake.createGuild();
    await guild.injectFault({ route: "create_guild_role", kind: "server_error", status: 502 });
    const classification = await classificationOf(clientFor(guild).createSessionRole("Session fivexx01", REASON));
    expect(classification).toMatchObject({ kind: "transient", status: 502, reason: "server_error" });
    expect(await guild.requests()).toHaveLength(1);
    expect((await guild.state()).roles.map((r) => r.name)).not.toContain("Session fivexx01");
  });

  test("a dropped connection is transient (network)", async () => {
    const guild = await fake.createGuild();
    await guild.injectFault({ route: "create_guild_channel", kind: "drop" });
    const client = clientFor(guild);
    const role = await client.createSessionRole("Session drop0001", REASON);
    const classification = await classificationOf(
      client.createPrivateVoiceChannel({ name: "coaching-drop0001", roleId: role.id }, REASON),
    );
    expect(classification).toMatchObject({ kind: "transient", status: null, reason: "network" });
  });

  test("a response that never comes is a transient timeout", async () => {
    const guild = await fake.createGuild();
    await guild.injectFault({ route: "list_guild_roles", kind: "delay", delayMs: 1_500 });
    const classification = await classificationOf(clientFor(guild, { requestTimeoutMs: 200 }).listRoles());
    expect(classification).toMatchObject({ kind: "transient", status: null, reason: "timeout" });
  });

  test("calls queued behind a rate-limit wait end at maxCallDurationMs as transient timeouts", async () => {
    const guild = await fake.createGuild({
      rateLimits: { perRoute: { list_guild_roles: { limit: 1, windowMs: 600 } } },
    });
    const client = clientFor(guild, { maxCallDurationMs: 250 });
    await client.listRoles();
    // The next call meets the exhausted bucket and waits ~0.6 s inside the client; the one after it
    // waits in the bucket's queue. Neither may outlive the 250 ms budget by much.
    const started = Date.now();
    const results = await Promise.allSettled([client.listRoles(), client.listRoles()]);
    expect(Date.now() - started).toBeLessThan(1_500);
    for (const result of results) {
      expect(result.status).toBe("rejected");
      const error = (result as PromiseRejectedResult).reason as DiscordRequestError;
      expect(error.classification).toMatchObject({ kind: "transient", status: null, reason: "timeout" });
    }
  });

  test("a bot without Manage Roles gets a permission error that says what to fix", async () => {
    const guild = await fake.createGuild({
      botPermissions: String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ManageChannels),
    });
    const promise = clientFor(guild).createSessionRole("Session perm0001", REASON);
    const classification = await classificationOf(promise);
    expect(classification).toMatchObject({ kind: "permission", code: 50013, message: "Missing Permissions" });
    expect(classification.kind === "permission" && classification.hint).toMatch(/Manage Roles/);
    await expect(promise).rejects.toThrow(/Missing Permissions.*Manage Roles/);
  });

  test("granting a role above the bot's highest role is a permission (hierarchy) error", async () => {
    const guild = await fake.createGuild({ members: [{ username: "student" }] });
    const [student] = guild.info.members.map((m) => m.userId);
    const state = await guild.state();
    const high = await guild.createRole({ name: "Moderators", position: state.botHighestRolePosition + 1 });
    const classification = await classificationOf(clientFor(guild).addMemberRole(student, high.id, REASON));
    expect(classification).toMatchObject({ kind: "permission", code: 50013 });
    expect(classification.kind === "permission" && classification.hint).toMatch(/hierarchy/);
  });

  test("a wrong bot token is a permission error pointing at DISCORD_BOT_TOKEN", async () => {
    const guild = await fake.createGuild();
    const config = discordConfigFromEnv({ ...guild.env(), DISCORD_BOT_TOKEN: "not-the-token" });
    const client = new DiscordClient(config!);
    const classification = await classificationOf(client.listRoles());
    expect(classification.kind === "permission" && classification.hint).toMatch(/DISCORD_BOT_TOKEN/);
    // The same client keeps reporting the 401 (the library forgets the token after one).
    expect((await classificationOf(client.listRoles())).kind).toBe("permission");
  });

  test("a full guild and a full category are limit errors", async () => {
    const guild = await fake.createGuild({ categories: ["Coaching"], limits: { maxRoles: 4, maxChannelsPerCategory: 1 } });
    const client = clientFor(guild, { categoryId: guild.info.categoryIds[0] });
    const role = await client.createSessionRole("Session limit001", REASON);
    await client.createSessionRole("Session limit002", REASON);
    expect(await classificationOf(client.createSessionRole("Session limit003", REASON))).toMatchObject({
      kind: "limit",
      code: 30005,
      limit: "roles",
    });
    await client.createPrivateVoiceChannel({ name: "coaching-limit001", roleId: role.id }, REASON);
    expect(
      await classificationOf(client.createPrivateVoiceChannel({ name: "coaching-limit002", roleId: role.id }, REASON)),
    ).toMatchObject({ kind: "limit", code: 50035, limit: "channels_per_category" });
  });

  test("a member who is not in the guild is not_found 10007", async () => {
    const guild = await fake.createGuild();
    const client = clientFor(guild);
    const role = await client.createSessionRole("Session absent01", REASON);
    const stranger = await fake.createUser();
    expect(await classificationOf(client.addMemberRole(stranger.userId, role.id, REASON))).toMatchObject({
      kind: "not_found",
      code: 10007,
    });
  });
});

describe("addGuildMember", () => {
  test("adds a linked user with their OAuth2 token, then reports already_member", async () => {
    const guild = await fake.createGuild();
    const user = await fake.createUser({ username: "linked-student" });
    const client = clientFor(guild);
    expect(await client.addGuildMember(user.userId, user.accessToken, REASON)).toBe("added");
    expect(await client.addGuildMember(user.userId, user.accessToken, REASON)).toBe("already_member");
    expect((await guild.state()).members.map((m) => m.userId)).toContain(user.userId);
    const requests = await guild.requests();
    expect(requests.map((r) => r.status)).toEqual([201, 204]);
    expect(requests.every((r) => r.auditLogReason === REASON && r.validationErrors === null)).toBe(true);
  });

  test("an invalid access token is invalid 50025 (the user must link again)", async () => {
    const guild = await fake.createGuild();
    const user = await fake.createUser();
    const classification = await classificationOf(clientFor(guild).addGuildMember(user.userId, "expired", REASON));
    expect(classification).toMatchObject({ kind: "invalid", code: 50025 });
  });
});
