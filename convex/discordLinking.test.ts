import { afterEach, describe, expect, test, vi } from "vitest";
import { api } from "./_generated/api";
import { errorCodeOf, newTest, seedUser } from "../testing/convex";
import { JOHN_MONDAY_9AM, MINUTE } from "./model/coaching/fixtures.testing";
import { book, discordWorld, fake, runScheduled, sessionRow } from "./model/discord/fixtures.testing";

const OAUTH_ENV = {
  DISCORD_CLIENT_ID: "123456789012345678",
  DISCORD_CLIENT_SECRET: "client-secret",
  CONVEX_SITE_URL: "https://happy-otter-123.convex.site",
  SITE_URL: "https://app.example.com",
};

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

function stateOf(url: string): string {
  return new URL(url).searchParams.get("state")!;
}

describe("Discord account linking", () => {
  test("a student who links after booking joins the server and gets the session role", async () => {
    const world = await discordWorld({ linked: ["john"], env: OAUTH_ENV });
    const { t, guild, amira } = world;
    const sessionId = await book(world, "amira", "john", JOHN_MONDAY_9AM);
    await runScheduled(t);
    const before = await sessionRow(t, sessionId);
    expect(before).toMatchObject({ provisioningState: "ready", discordSetupComplete: false });
    expect((await amira.as.query(api.coaching.getSession, { now: Date.now(), sessionId })).student.discordLinked).toBe(false);

    // Amira's Discord account is in no guild yet.
    const discordUser = await fake.createUser({ username: "amira_d" });
    const { url } = await amira.as.mutation(api.discordLinking.start, {});
    const authorize = new URL(url);
    expect(authorize.origin + authorize.pathname).toBe("https://discord.com/oauth2/authorize");
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: "code",
      client_id: OAUTH_ENV.DISCORD_CLIENT_ID,
      scope: "identify guilds.join",
      redirect_uri: "https://happy-otter-123.convex.site/discord/oauth/callback",
    });

    const response = await t.fetch(`/discord/oauth/callback?code=${discordUser.authorizationCode}&state=${stateOf(url)}`);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("https://app.example.com/profile?discord=linked");
    expect(await amira.as.query(api.discordLinking.status, {})).toEqual({
      configured: true,
      discordUserId: discordUser.userId,
      discordUsername: "amira_d",
    });
    // The bot added her to the guild with her OAuth2 token.
    const join = (await guild.requests()).find((request) => request.operationId === "add_guild_member");
    expect(join).toMatchObject({ status: 201, validationErrors: null });

    await runScheduled(t);
    const after = await sessionRow(t, sessionId);
    expect(after).toMatchObject({ provisioningState: "ready", discordSetupComplete: true, discordRoleId: before.discordRoleId });
    expect(await guild.memberRoleIds(discordUser.userId)).toContain(after.discordRoleId);
    expect(await guild.canView(after.discordChannelId!, discordUser.userId)).toBe(true);

    // The state was single-use.
    const again = await t.fetch(`/discord/oauth/callback?code=${discordUser.authorizationCode}&state=${stateOf(url)}`);
    expect(again.headers.get("Location")).toMatch(/discord=error/);
  });

  test("expired, unknown or foreign states and bad codes link nothing", async () => {
    const world = await discordWorld({ linked: [], env: OAUTH_ENV });
    const { t, amira, ben } = world;
    const discordUser = await fake.createUser();
    const userRow = () => t.run((ctx) => ctx.db.get("users", amira.userId));

    const expired = stateOf((await amira.as.mutation(api.discordLinking.start, {})).url);
    vi.advanceTimersByTime(11 * MINUTE);
    const late = await t.fetch(`/discord/oauth/callback?code=${discordUser.authorizationCode}&state=${expired}`);
    expect(late.headers.get("Location")).toMatch(/discord=error&message=.*expired/);
    expect((await t.fetch(`/discord/oauth/callback?code=${discordUser.authorizationCode}&state=made-up`)).headers.get("Location")).toMatch(
      /discord=error/,
    );
    const badCode = stateOf((await amira.as.mutation(api.discordLinking.start, {})).url);
    expect((await t.fetch(`/discord/oauth/callback?code=wrong&state=${badCode}`)).headers.get("Location")).toMatch(/discord=error/);
    expect((await userRow())?.discordUserId).toBeUndefined();

    // A Discord account already linked to Ben cannot be linked to Amira.
    await t.run((ctx) => ctx.db.patch("users", ben.userId, { discordUserId: discordUser.userId }));
    const state = stateOf((await amira.as.mutation(api.discordLinking.start, {})).url);
    const conflict = await t.fetch(`/discord/oauth/callback?code=${discordUser.authorizationCode}&state=${state}`);
    expect(conflict.headers.get("Location")).toMatch(/already\+linked|already%20linked/);
    expect((await userRow())?.discordUserId).toBeUndefined();
  });

  test("the HTTP start endpoint answers signed-in callers only", async () => {
    vi.useFakeTimers();
    for (const [name, value] of Object.entries(OAUTH_ENV)) vi.stubEnv(name, value);
    const t = newTest();
    const { as } = await seedUser(t, { roles: ["coach"] });
    const response = await as.fetch("/discord/oauth/start", { method: "POST" });
    expect(response.status).toBe(200);
    const { url } = (await response.json()) as { url: string };
    expect(new URL(url).searchParams.get("state")).toHaveLength(43);
    expect((await t.fetch("/discord/oauth/start", { method: "POST" })).status).toBe(401);
    const rows = await t.run((ctx) => ctx.db.query("discordOAuthStates").collect());
    expect(rows).toHaveLength(1);
  });

  test("without OAuth2 configuration linking explains what is missing", async () => {
    vi.useFakeTimers();
    const t = newTest();
    const { as } = await seedUser(t, { roles: ["student"] });
    expect((await as.query(api.discordLinking.status, {})).configured).toBe(false);
    expect(await errorCodeOf(as.mutation(api.discordLinking.start, {}))).toBe("FAILED_PRECONDITION");
    expect((await t.fetch("/discord/oauth/callback?code=x&state=y")).status).toBe(503);
  });

  test("any signed-in user may link and unlink their own account; anonymous callers may not", async () => {
    vi.useFakeTimers();
    for (const [name, value] of Object.entries(OAUTH_ENV)) vi.stubEnv(name, value);
    const t = newTest();
    for (const role of ["student", "coach", "mentor", "lecturer", "enrollment_manager", "admin", "superadmin"] as const) {
      const { as, userId } = await seedUser(t, { roles: [role], discordUserId: `99999999999999${String(role.length).padStart(4, "0")}` });
      expect((await as.mutation(api.discordLinking.start, {})).url).toContain("state=");
      await as.mutation(api.discordLinking.unlink, {});
      expect((await t.run((ctx) => ctx.db.get("users", userId)))?.discordUserId).toBeUndefined();
    }
    expect(await errorCodeOf(t.mutation(api.discordLinking.start, {}))).toBe("UNAUTHENTICATED");
    expect(await errorCodeOf(t.mutation(api.discordLinking.unlink, {}))).toBe("UNAUTHENTICATED");
    expect(await errorCodeOf(t.query(api.discordLinking.status, {}))).toBe("UNAUTHENTICATED");
  });
});
