/**
 * The fake Discord server's own behaviour, checked with raw HTTP requests (no Discord client in
 * between) so that the fake's answers are what Discord documents: validation against the OpenAPI
 * spec, auth, limits, rate-limit headers and 429s, role hierarchy, missing permissions, overwrite
 * arithmetic, faults, audit-log reasons and the control API.
 */
import { PermissionFlagsBits } from "discord-api-types/v10";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FakeDiscordControl, type FakeGuildControl } from "./controlClient";
import { startFakeDiscord, type FakeDiscordServer } from "./server";

let server: FakeDiscordServer;
let control: FakeDiscordControl;

beforeAll(async () => {
  server = await startFakeDiscord();
  control = new FakeDiscordControl(server.url);
});

afterAll(async () => {
  await server.close();
});

const bits = (...flags: bigint[]) => flags.reduce((all, flag) => all | flag, 0n).toString();

interface ApiAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { code?: number; message?: string; errors?: Record<string, unknown> };
}

/** One raw request to the fake's Discord API as the guild's bot. */
async function api(
  guild: FakeGuildControl,
  method: string,
  path: string,
  body?: unknown,
  options: { reason?: string; token?: string | null; rawBody?: string } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? guild.info.botToken : options.token;
  if (token !== null) headers.Authorization = `Bot ${token}`;
  if (options.reason !== undefined) headers["X-Audit-Log-Reason"] = encodeURIComponent(options.reason);
  const text = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  if (text !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${guild.info.apiBase}/v10${path}`, { method, headers, body: text });
  const raw = await response.text();
  return { status: response.status, headers: response.headers, body: raw ? JSON.parse(raw) : {} };
}

describe("request validation against the OpenAPI spec", () => {
  test("a body the spec rejects gets 400 / 50035 with Discord's nested errors", async () => {
    const guild = await control.createGuild();
    const emptyName = await api(guild, "POST", `/guilds/${guild.guildId}/channels`, { name: "", type: 2 });
    expect(emptyName.status).toBe(400);
    expect(emptyName.body.code).toBe(50035);
    expect(emptyName.body.message).toBe("Invalid Form Body");
    expect(emptyName.body.errors).toMatchObject({ name: { _errors: [{ code: "BASE_TYPE_BAD_LENGTH" }] } });

    const missingName = await api(guild, "POST", `/guilds/${guild.guildId}/channels`, { type: 2 });
    expect(missingName.body.errors).toMatchObject({ name: { _errors: [{ code: "BASE_TYPE_REQUIRED" }] } });

    const dmType = await api(guild, "POST", `/guilds/${guild.guildId}/channels`, { name: "x", type: 1 });
    expect(dmType.status).toBe(400);
    expect(dmType.body.errors).toHaveProperty("type");

    const badOverwrite = await api(guild, "POST", `/guilds/${guild.guildId}/channels`, {
      name: "x",
      permission_overwrites: [{ id: guild.guildId, type: 0, deny: "VIEW_CHANNEL" }],
    });
    expect(badOverwrite.status).toBe(400);
    expect(badOverwrite.body.errors).toHaveProperty(["permission_overwrites", "0", "deny"]);

    const longRoleName = await api(guild, "POST", `/guilds/${guild.guildId}/roles`, { name: "r".repeat(101) });
    expect(longRoleName.body.code).toBe(50035);

    const log = await guild.requests();
    expect(log).toHaveLength(5);
    expect(log.every((entry) => entry.validationErrors !== null && entry.validationErrors.length > 0)).toBe(true);
    expect(log[0].validationErrors?.[0]).toMatch(/^name: /);
    // Nothing was created.
    expect((await guild.state()).channels).toHaveLength(0);
  });

  test("permissions, allow and deny accept an integer or a string of digits", async () => {
    const guild = await control.createGuild();
    const view = PermissionFlagsBits.ViewChannel;
    const asString = await api(guild, "POST", `/guilds/${guild.guildId}/roles`, { name: "a", permissions: "0" });
    expect(asString.status).toBe(200);
    expect(asString.body.permissions).toBe("0");
    const asInteger = await api(guild, "POST", `/guilds/${guild.guildId}/roles`, { name: "b", permissions: 1024 });
    expect(asInteger.status).toBe(200);
    expect(asInteger.body.permissions).toBe("1024");
    const channel = await api(guild, "POST", `/guilds/${guild.guildId}/channels`, {
      name: "mixed",
      type: 2,
      permission_overwrites: [
        { id: guild.guildId, type: 0, deny: view.toString() },
        { id: asString.body.id, type: 0, allow: Number(view), deny: null },
      ],
    });
    expect(channel.status).toBe(201);
    expect(channel.body.permission_overwrites).toEqual([
      { id: guild.guildId, type: 0, allow: "0", deny: view.toString() },
      { id: asString.body.id, type: 0, allow: view.toString(), deny: "0" },
    ]);
  });

  test("invalid JSON is 50109 and a non-snowflake path id is a form error", async () => {
    const guild = await control.createGuild();
    const invalid = await api(guild, "POST", `/guilds/${guild.guildId}/roles`, undefined, { rawBody: "{name:" });
    expect(invalid).toMatchObject({ status: 400, body: { code: 50109 } });
    const notSnowflake = await api(guild, "DELETE", "/channels/general");
    expect(notSnowflake).toMatchObject({ status: 400, body: { code: 50035 } });
  });
});

describe("authentication and isolation", () => {
  test("no or wrong token is 401; another guild's token gets 403 Missing Access", async () => {
    const guild = await control.createGuild();
    const other = await control.createGuild();
    expect((await api(guild, "GET", `/guilds/${guild.guildId}/roles`, undefined, { token: null })).status).toBe(401);
    expect((await api(guild, "GET", `/guilds/${guild.guildId}/roles`, undefined, { token: "nope" })).body).toEqual({
      message: "401: Unauthorized",
      code: 0,
    });
    const crossGuild = await api(other, "GET", `/guilds/${guild.guildId}/roles`);
    expect(crossGuild).toMatchObject({ status: 403, body: { code: 50001, message: "Missing Access" } });
  });

  test("unknown routes are 404 and wrong methods 405", async () => {
    const guild = await control.createGuild();
    expect((await api(guild, "GET", "/gateway/nothing")).status).toBe(404);
    expect((await api(guild, "PATCH", `/guilds/${guild.guildId}/members/${guild.info.ownerId}/roles/${guild.guildId}`)).status).toBe(405);
  });
});

describe("audit-log reasons", () => {
  test("are recorded decoded per request and rejected past 512 characters", async () => {
    const guild = await control.createGuild();
    const ok = await api(guild, "POST", `/guilds/${guild.guildId}/roles`, { name: "x" }, { reason: "Session ä/1 — cleanup" });
    expect(ok.status).toBe(200);
    const tooLong = await api(guild, "POST", `/guilds/${guild.guildId}/roles`, { name: "y" }, { reason: "r".repeat(513) });
    expect(tooLong).toMatchObject({ status: 400, body: { code: 50035 } });
    const log = await guild.requests();
    expect(log.map((entry) => entry.auditLogReason)).toEqual(["Session ä/1 — cleanup", "r".repeat(513)]);
    expect((await guild.roles()).map((role) => role.name)).not.toContain("y");
  });
});

describe("guild limits", () => {
  test("250 roles: the next create is 30005", async () => {
    const guild = await control.createGuild();
    // @everyone + the bot's role + 248 = 250.
    await guild.createRoles({ name: "filler", count: 248 });
    const answer = await api(guild, "POST", `/guilds/${guild.guildId}/roles`, { name: "one too many" });
    expect(answer).toMatchObject({ status: 400, body: { code: 30005 } });
  });

  test("500 channels: the next create is 30013", async () => {
    const guild = await control.createGuild();
    await guild.createChannels({ name: "filler", type: 0, count: 500 });
    const answer = await api(guild, "POST", `/guilds/${guild.guildId}/channels`, { name: "more", type: 2 });
    expect(answer).toMatchObject({ status: 400, body: { code: 30013 } });
  });

  test("50 channels in a category: the next is a 50035 error on parent_id", async () => {
    const guild = await control.createGuild({ categories: ["Coaching"] });
    const [categoryId] = guild.info.categoryIds;
    await guild.createChannels({ name: "filler", type: 2, parentId: categoryId, count: 50 });
    const answer = await api(guild, "POST", `/guilds/${guild.guildId}/channels`, {
      name: "more",
      type: 2,
      parent_id: categoryId,
    });
    expect(answer).toMatchObject({
      status: 400,
      body: { code: 50035, errors: { parent_id: { _errors: [{ code: "CHANNEL_PARENT_MAX_CHANNELS" }] } } },
    });
  });

  test("the role-creation cap answers 429 with hours to wait", async () => {
    const guild = await control.createGuild({ limits: { maxRoleCreationsPerWindow: 2 } });
    for (const name of ["a", "b"]) {
      expect((await api(guild, "POST", `/guilds/${guild.guildId}/roles`, { name })).status).toBe(200);
    }
    const capped = await api(guild, "POST", `/guilds/${guild.guildId}/roles`, { name: "c" });
    expect(capped.status).toBe(429);
    expect(capped.body.retry_after).toBeGreaterThan(47 * 3600);
    expect(Number(capped.headers.get("Retry-After"))).toBeGreaterThan(47 * 3600);
  });
});

describe("rate limits", () => {
  test("per-route buckets send Discord's headers and a 429 once exhausted", async () => {
    const guild = await control.createGuild({ rateLimits: { perRoute: { list_guild_roles: { limit: 2, windowMs: 4_000 } } } });
    const first = await api(guild, "GET", `/guilds/${guild.guildId}/roles`);
    const second = await api(guild, "GET", `/guilds/${guild.guildId}/roles`);
    const third = await api(guild, "GET", `/guilds/${guild.guildId}/roles`);
    expect(first.headers.get("X-RateLimit-Limit")).toBe("2");
    expect(first.headers.get("X-RateLimit-Remaining")).toBe("1");
    expect(second.headers.get("X-RateLimit-Remaining")).toBe("0");
    expect(Number(first.headers.get("X-RateLimit-Reset-After"))).toBeGreaterThan(3);
    expect(Number(first.headers.get("X-RateLimit-Reset")) * 1000).toBeGreaterThan(Date.now());
    expect(first.headers.get("X-RateLimit-Bucket")).toMatch(/^[0-9a-f]{32}$/);
    expect(second.headers.get("X-RateLimit-Bucket")).toBe(first.headers.get("X-RateLimit-Bucket"));
    expect(third.status).toBe(429);
    expect(third.body).toMatchObject({ message: "You are being rate limited.", global: false, code: 0 });
    expect(third.body.retry_after).toBeGreaterThan(3);
    expect(third.headers.get("Retry-After")).toBe("4");
    expect(third.headers.get("X-RateLimit-Scope")).toBe("user");
    // Another route has its own bucket.
    expect((await api(guild, "GET", `/guilds/${guild.guildId}/channels`)).status).toBe(200);
  });

  test("the global limit per bot answers a global 429", async () => {
    const guild = await control.createGuild({ rateLimits: { globalPerSecond: 3 } });
    const statuses: number[] = [];
    let last: ApiAnswer | null = null;
    for (let index = 0; index < 4; index += 1) {
      last = await api(guild, "GET", `/guilds/${guild.guildId}/channels`);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(last?.body).toMatchObject({ global: true });
    expect(last?.headers.get("X-RateLimit-Global")).toBe("true");
    expect(last?.headers.get("X-RateLimit-Scope")).toBe("global");
    // Other bots are unaffected.
    const other = await control.createGuild();
    expect((await api(other, "GET", `/guilds/${other.guildId}/channels`)).status).toBe(200);
  });
});

describe("role hierarchy and missing permissions", () => {
  test("the bot can grant and delete roles below its highest role only", async () => {
    const guild = await control.createGuild({ members: [{ username: "student" }] });
    const [student] = guild.info.members.map((m) => m.userId);
    const below = await api(guild, "POST", `/guilds/${guild.guildId}/roles`, { name: "Session low" });
    expect(below.body.position).toBe(1);
    const state = await guild.state();
    expect(state.botHighestRolePosition).toBe(2);
    const above = await guild.createRole({ name: "Admins", position: state.botHighestRolePosition + 1 });

    const grantBelow = await api(guild, "PUT", `/guilds/${guild.guildId}/members/${student}/roles/${below.body.id}`, undefined, {
      reason: "grant",
    });
    expect(grantBelow.status).toBe(204);
    const grantAbove = await api(guild, "PUT", `/guilds/${guild.guildId}/members/${student}/roles/${above.id}`);
    expect(grantAbove).toMatchObject({ status: 403, body: { code: 50013, message: "Missing Permissions" } });
    const deleteAbove = await api(guild, "DELETE", `/guilds/${guild.guildId}/roles/${above.id}`);
    expect(deleteAbove).toMatchObject({ status: 403, body: { code: 50013 } });
    const botRole = await api(guild, "PUT", `/guilds/${guild.guildId}/members/${student}/roles/${guild.info.botRoleId}`);
    expect(botRole.status).toBe(403);
    expect(await guild.memberRoleIds(student)).toEqual([below.body.id]);
  });

  test("without Manage Roles / Manage Channels the bot gets 403 50013", async () => {
    const guild = await control.createGuild({ botPermissions: bits(PermissionFlagsBits.ViewChannel) });
    const role = await api(guild, "POST", `/guilds/${guild.guildId}/roles`, { name: "x" });
    expect(role).toMatchObject({ status: 403, body: { code: 50013 } });
    const channel = await api(guild, "POST", `/guilds/${guild.guildId}/channels`, { name: "x", type: 2 });
    expect(channel).toMatchObject({ status: 403, body: { code: 50013 } });
    await guild.update({ botPermissions: bits(PermissionFlagsBits.ManageRoles) });
    expect((await api(guild, "POST", `/guilds/${guild.guildId}/roles`, { name: "x" })).status).toBe(200);
  });

  test("overwrites may only grant what the bot holds", async () => {
    const guild = await control.createGuild({
      botPermissions: bits(PermissionFlagsBits.ManageChannels, PermissionFlagsBits.ViewChannel),
      everyonePermissions: "0",
    });
    const answer = await api(guild, "POST", `/guilds/${guild.guildId}/channels`, {
      name: "voice",
      type: 2,
      permission_overwrites: [{ id: guild.guildId, type: 0, allow: bits(PermissionFlagsBits.Speak) }],
    });
    expect(answer).toMatchObject({ status: 403, body: { code: 50013 } });
  });
});

describe("computed permissions (overwrite order)", () => {
  test("@everyone deny, role allow, member overwrites, owner and administrator", async () => {
    const guild = await control.createGuild({
      members: [{ username: "holder" }, { username: "outsider" }, { username: "blocked" }, { username: "admin" }],
    });
    const [holder, outsider, blocked, admin] = guild.info.members.map((m) => m.userId);
    const view = PermissionFlagsBits.ViewChannel;
    const session = await guild.createRole({ name: "Session" });
    const admins = await guild.createRole({ name: "Admins", permissions: bits(PermissionFlagsBits.Administrator) });
    for (const [user, role] of [
      [holder, session.id],
      [blocked, session.id],
      [admin, admins.id],
    ] as const) {
      const answer = await api(guild, "PUT", `/guilds/${guild.guildId}/members/${user}/roles/${role}`);
      expect(answer.status).toBe(204);
    }
    const channel = await api(guild, "POST", `/guilds/${guild.guildId}/channels`, {
      name: "private",
      type: 2,
      permission_overwrites: [
        { id: guild.guildId, type: 0, deny: view.toString() },
        { id: session.id, type: 0, allow: bits(view, PermissionFlagsBits.Connect) },
        { id: blocked, type: 1, deny: view.toString() },
        { id: guild.info.botUserId, type: 1, allow: bits(view, PermissionFlagsBits.ManageChannels) },
      ],
    });
    expect(channel.status).toBe(201);
    const channelId = channel.body.id as string;

    expect(server.canView(channelId, holder)).toBe(true);
    expect(server.canView(channelId, outsider)).toBe(false);
    expect(server.canView(channelId, blocked)).toBe(false);
    expect(server.canView(channelId, admin)).toBe(true);
    expect(server.canView(channelId, guild.info.ownerId)).toBe(true);
    expect(server.canView(channelId, guild.info.botUserId)).toBe(true);
    const holderPermissions = server.effectivePermissions(guild.guildId, channelId, holder);
    expect(holderPermissions & PermissionFlagsBits.Connect).toBe(PermissionFlagsBits.Connect);
    expect(holderPermissions & PermissionFlagsBits.ManageChannels).toBe(0n);
    expect(server.effectivePermissions(guild.guildId, channelId, outsider)).toBe(0n);

    expect(await guild.viewers(channelId)).toEqual(
      expect.arrayContaining([
        { userId: guild.info.ownerId, via: "owner" },
        { userId: admin, via: "administrator" },
        { userId: holder, via: "permissions" },
        { userId: guild.info.botUserId, via: "permissions" },
      ]),
    );
    expect(await guild.viewerIds(channelId)).toEqual([holder, guild.info.botUserId].sort());
    expect(await guild.permissions(channelId, outsider)).toEqual({ permissions: "0", canView: false });
  });

  test("a bot that hid a channel from itself cannot delete it (50001 Missing Access)", async () => {
    const guild = await control.createGuild();
    const channel = await api(guild, "POST", `/guilds/${guild.guildId}/channels`, {
      name: "locked",
      type: 2,
      permission_overwrites: [{ id: guild.guildId, type: 0, deny: PermissionFlagsBits.ViewChannel.toString() }],
    });
    expect(channel.status).toBe(201);
    const remove = await api(guild, "DELETE", `/channels/${channel.body.id}`, undefined, { reason: "cleanup" });
    expect(remove).toMatchObject({ status: 403, body: { code: 50001 } });
  });

  test("deleting a role removes it from members and from channel overwrites", async () => {
    const guild = await control.createGuild({ members: [{ username: "holder" }] });
    const [holder] = guild.info.members.map((m) => m.userId);
    const role = await api(guild, "POST", `/guilds/${guild.guildId}/roles`, { name: "Session" });
    await api(guild, "PUT", `/guilds/${guild.guildId}/members/${holder}/roles/${role.body.id}`);
    const channel = await api(guild, "POST", `/guilds/${guild.guildId}/channels`, {
      name: "c",
      type: 2,
      permission_overwrites: [{ id: role.body.id, type: 0, allow: "1024" }],
    });
    expect((await api(guild, "DELETE", `/guilds/${guild.guildId}/roles/${role.body.id}`)).status).toBe(204);
    expect(await guild.memberRoleIds(holder)).toEqual([]);
    const stored = (await guild.channels()).find((c) => c.id === channel.body.id);
    expect(stored?.overwrites).toEqual([]);
    expect((await api(guild, "DELETE", `/guilds/${guild.guildId}/roles/${role.body.id}`)).body).toMatchObject({ code: 10011 });
  });
});

describe("fault injection", () => {
  test("the next N requests to a route answer 5xx, then it works", async () => {
    const guild = await control.createGuild();
    await guild.injectFault({ route: "POST /guilds/{guild_id}/roles", kind: "server_error", count: 2, status: 503 });
    const statuses = [];
    for (let index = 0; index < 3; index += 1) {
      statuses.push((await api(guild, "POST", `/guilds/${guild.guildId}/roles`, { name: `r${index}` })).status);
    }
    expect(statuses).toEqual([503, 503, 200]);
    expect((await guild.roles()).map((r) => r.name)).toEqual(["@everyone", "r2", "Sessions Hub Bot"]);
    expect((await guild.requests()).map((r) => r.fault)).toEqual(["server_error", "server_error", null]);
  });

  test("an injected 429 carries retry_after and Retry-After", async () => {
    const guild = await control.createGuild();
    await guild.injectFault({ route: "list_guild_channels", kind: "rate_limit", retryAfterSeconds: 2.5 });
    const answer = await api(guild, "GET", `/guilds/${guild.guildId}/channels`);
    expect(answer).toMatchObject({ status: 429, body: { retry_after: 2.5, global: false } });
    expect(answer.headers.get("Retry-After")).toBe("3");
  });

  test("a drop before processing loses the request; a drop after keeps its effect", async () => {
    const guild = await control.createGuild();
    await guild.injectFault({ route: "create_guild_role", kind: "drop" });
    await expect(api(guild, "POST", `/guilds/${guild.guildId}/roles`, { name: "lost" })).rejects.toThrow();
    await guild.injectFault({ route: "create_guild_role", kind: "drop", when: "after" });
    await expect(api(guild, "POST", `/guilds/${guild.guildId}/roles`, { name: "kept" })).rejects.toThrow();
    const names = (await guild.roles()).map((r) => r.name);
    expect(names).toContain("kept");
    expect(names).not.toContain("lost");
  });

  test("latency and delays hold the answer back", async () => {
    const guild = await control.createGuild({ latencyMs: 60 });
    await guild.injectFault({ kind: "delay", delayMs: 100 });
    const started = Date.now();
    await api(guild, "GET", `/guilds/${guild.guildId}/roles`);
    const delayed = Date.now() - started;
    const second = Date.now();
    await api(guild, "GET", `/guilds/${guild.guildId}/roles`);
    const plain = Date.now() - second;
    expect(delayed).toBeGreaterThanOrEqual(155);
    expect(plain).toBeGreaterThanOrEqual(55);
  });
});

describe("adding members with OAuth2 tokens", () => {
  test("201 with the right token, 204 when already a member, 50025 with a wrong one", async () => {
    const guild = await control.createGuild();
    const user = await control.createUser({ username: "linked" });
    const path = `/guilds/${guild.guildId}/members/${user.userId}`;
    expect((await api(guild, "PUT", path, { access_token: "wrong" })).body).toMatchObject({ code: 50025 });
    const added = await api(guild, "PUT", path, { access_token: user.accessToken });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ user: { id: user.userId }, roles: [] });
    expect((await api(guild, "PUT", path, { access_token: user.accessToken })).status).toBe(204);
    expect((await api(guild, "PUT", path, {})).body).toMatchObject({ code: 50035 });
  });
});

describe("OAuth2 account linking", () => {
  test("an authorization code exchanges once for the token that identifies the user", async () => {
    const user = await control.createUser({ username: "linker" });
    const exchange = (code: string) =>
      fetch(`${server.apiBase}/oauth2/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          client_id: "app",
          client_secret: "secret",
          grant_type: "authorization_code",
          code,
          redirect_uri: "http://127.0.0.1/callback",
        }),
      });
    const first = await exchange(user.authorizationCode);
    expect(first.status).toBe(200);
    const token = (await first.json()) as { access_token: string; token_type: string; scope: string };
    expect(token).toMatchObject({ access_token: user.accessToken, token_type: "Bearer" });
    expect(token.scope.split(" ")).toContain("guilds.join");
    const again = await exchange(user.authorizationCode);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: "invalid_grant" });
    expect((await exchange(await control.issueAuthorizationCode(user.userId))).status).toBe(200);

    const me = await fetch(`${server.apiBase}/v10/users/@me`, { headers: { Authorization: `Bearer ${token.access_token}` } });
    expect(await me.json()).toMatchObject({ id: user.userId, username: "linker" });
    const stranger = await fetch(`${server.apiBase}/v10/users/@me`, { headers: { Authorization: "Bearer nope" } });
    expect(stranger.status).toBe(401);
  });
});
