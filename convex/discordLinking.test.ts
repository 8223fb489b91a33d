import { afterEach, describe, expect, test, vi } from "vitest";
import { api } from "./_generated/api";
import { errorCodeOf, newTest, seedUser, type TestBackend } from "../testing/convex";
import { MINUTE } from "./model/coaching/fixtures.testing";
import { discordWorld, fake, runScheduled, sessionRow, worldWithBooking } from "./model/discord/fixtures.testing";

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

/** A browser as the app sets it up before linking: a random nonce in session storage, and its SHA-256. */
async function newBrowser() {
  const nonce = crypto.randomUUID() + crypto.randomUUID();
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(nonce)));
  return { nonce, binding: Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("") };
}

type Caller = { mutation: TestBackend["mutation"]; action: TestBackend["action"] };

/** Starts linking as `caller` in `browser`; returns the state of Discord's authorization URL. */
async function startIn(caller: Caller, browser: { binding: string }): Promise<string> {
  return stateOf((await caller.mutation(api.discordLinking.start, { browserBinding: browser.binding })).url);
}

/** Discord's redirect to our callback, which hands code and state to the app's profile page. */
async function returnFromDiscord(t: TestBackend, code: string, state: string) {
  const response = await t.fetch(`/discord/oauth/callback?code=${code}&state=${state}`);
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("Location")!);
  expect(location.origin + location.pathname).toBe("https://app.example.com/profile");
  return { code: location.searchParams.get("discordCode")!, state: location.searchParams.get("discordState")! };
}

describe("Discord account linking", () => {
  test("a student who links after booking joins the server and gets the session role", { timeout: 30_000 }, async () => {
    const { t, guild, amira, sessionId } = await worldWithBooking({ linked: ["john"], env: OAUTH_ENV });
    const before = await sessionRow(t, sessionId);
    expect(before).toMatchObject({ provisioningState: "ready", discordSetupComplete: false });
    expect((await amira.as.query(api.coaching.getSession, { now: Date.now(), sessionId })).student.discordLinked).toBe(false);

    // Amira's Discord account is in no guild yet.
    const discordUser = await fake.createUser({ username: "amira_d" });
    const browser = await newBrowser();
    const { url } = await amira.as.mutation(api.discordLinking.start, { browserBinding: browser.binding });
    const authorize = new URL(url);
    expect(authorize.origin + authorize.pathname).toBe("https://discord.com/oauth2/authorize");
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: "code",
      client_id: OAUTH_ENV.DISCORD_CLIENT_ID,
      scope: "identify guilds.join",
      redirect_uri: "https://happy-otter-123.convex.site/discord/oauth/callback",
    });

    const back = await returnFromDiscord(t, discordUser.authorizationCode, stateOf(url));
    // The callback itself links nothing: the app finishes, signed in, in the browser that started.
    expect(await amira.as.query(api.discordLinking.status, {})).toMatchObject({ discordUserId: null });
    expect(await amira.as.action(api.discordLinking.finish, { ...back, browserNonce: browser.nonce })).toEqual({
      ok: true,
      message: "Your Discord account is linked.",
    });
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
    expect((await amira.as.action(api.discordLinking.finish, { ...back, browserNonce: browser.nonce })).ok).toBe(false);
  });

  test("expired, unknown or foreign states and bad codes link nothing", async () => {
    const world = await discordWorld({ linked: [], env: OAUTH_ENV });
    const { t, amira, ben } = world;
    const discordUser = await fake.createUser();
    const code = discordUser.authorizationCode;
    const userRow = () => t.run((ctx) => ctx.db.get("users", amira.userId));
    const browser = await newBrowser();
    const finish = (state: string, finishCode = code) =>
      amira.as.action(api.discordLinking.finish, { code: finishCode, state, browserNonce: browser.nonce });

    const expired = await startIn(amira.as, browser);
    vi.advanceTimersByTime(11 * MINUTE);
    expect(await finish(expired)).toMatchObject({ ok: false, message: expect.stringMatching(/expired/) });
    expect((await finish("made-up")).ok).toBe(false);
    expect((await finish(await startIn(amira.as, browser), "wrong")).ok).toBe(false);
    expect((await userRow())?.discordUserId).toBeUndefined();

    // A Discord account already linked to Ben cannot be linked to Amira.
    await t.run((ctx) => ctx.db.patch("users", ben.userId, { discordUserId: discordUser.userId }));
    expect(await finish(await startIn(amira.as, browser))).toMatchObject({ ok: false, message: expect.stringMatching(/already linked/) });
    expect((await userRow())?.discordUserId).toBeUndefined();

    // Discord refused (the person pressed Cancel): the app is told, nothing is called.
    const cancelled = await t.fetch(`/discord/oauth/callback?error=access_denied&state=${await startIn(amira.as, browser)}`);
    expect(cancelled.headers.get("Location")).toMatch(/discord=error&message=Discord\+linking\+was\+cancelled/);
  });

  test("linking finishes only for the user who started, in the browser that started (no login CSRF)", async () => {
    const world = await discordWorld({ linked: [], env: OAUTH_ENV });
    const { t, amira, ben } = world;
    const victimDiscord = await fake.createUser({ username: "ben_d" });
    // Amira (the attacker) starts linking and sends Ben her authorization link; Ben consents with
    // his own Discord account and lands on the app signed in as himself.
    const attackerBrowser = await newBrowser();
    const attackerState = await startIn(amira.as, attackerBrowser);
    const back = await returnFromDiscord(t, victimDiscord.authorizationCode, attackerState);
    const victimBrowser = await newBrowser();
    expect((await ben.as.action(api.discordLinking.finish, { ...back, browserNonce: victimBrowser.nonce })).ok).toBe(false);
    // Even with a stolen nonce, Ben's session cannot use Amira's state, and it is not burnt for her.
    expect((await ben.as.action(api.discordLinking.finish, { ...back, browserNonce: attackerBrowser.nonce })).ok).toBe(false);
    // Amira's own session in another browser cannot finish it either.
    expect((await amira.as.action(api.discordLinking.finish, { ...back, browserNonce: victimBrowser.nonce })).ok).toBe(false);
    const users = await t.run(async (ctx) => [await ctx.db.get("users", amira.userId), await ctx.db.get("users", ben.userId)]);
    expect(users.map((user) => user?.discordUserId)).toEqual([undefined, undefined]);
    expect(await errorCodeOf(t.action(api.discordLinking.finish, { ...back, browserNonce: attackerBrowser.nonce }))).toBe("UNAUTHENTICATED");
  });

  test("the HTTP start endpoint answers signed-in callers only", async () => {
    vi.useFakeTimers();
    for (const [name, value] of Object.entries(OAUTH_ENV)) vi.stubEnv(name, value);
    const t = newTest();
    const { as } = await seedUser(t, { roles: ["coach"] });
    const { binding } = await newBrowser();
    const post = (caller: { fetch: TestBackend["fetch"] }, origin: string, body: unknown = { browserBinding: binding }) =>
      caller.fetch("/discord/oauth/start", { method: "POST", headers: { Origin: origin, "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const response = await post(as, OAUTH_ENV.SITE_URL);
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe(OAUTH_ENV.SITE_URL);
    const { url } = (await response.json()) as { url: string };
    expect(new URL(url).searchParams.get("state")).toHaveLength(43);
    expect((await post(t, OAUTH_ENV.SITE_URL)).status).toBe(401);
    expect((await post(as, OAUTH_ENV.SITE_URL, {})).status).toBe(400);
    // Another origin is never echoed back, so its browser refuses to read or send (CORS).
    const foreign = await post(as, "https://evil.example");
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get("Access-Control-Allow-Origin")).toBeNull();
    const preflight = await t.fetch("/discord/oauth/start", { method: "OPTIONS", headers: { Origin: "https://evil.example" } });
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBeNull();
    const rows = await t.run((ctx) => ctx.db.query("discordOAuthStates").collect());
    expect(rows).toHaveLength(1);
  });

  test("without OAuth2 configuration linking explains what is missing", async () => {
    vi.useFakeTimers();
    const t = newTest();
    const { as } = await seedUser(t, { roles: ["student"] });
    expect((await as.query(api.discordLinking.status, {})).configured).toBe(false);
    expect(await errorCodeOf(as.mutation(api.discordLinking.start, { browserBinding: (await newBrowser()).binding }))).toBe("FAILED_PRECONDITION");
    expect((await t.fetch("/discord/oauth/callback?code=x&state=y")).status).toBe(503);
  });

  test("any signed-in user may link and unlink their own account; anonymous callers may not", async () => {
    vi.useFakeTimers();
    for (const [name, value] of Object.entries(OAUTH_ENV)) vi.stubEnv(name, value);
    const t = newTest();
    for (const role of ["student", "coach", "mentor", "lecturer", "enrollment_manager", "admin", "superadmin"] as const) {
      const { as, userId } = await seedUser(t, { roles: [role], discordUserId: `99999999999999${String(role.length).padStart(4, "0")}` });
      expect((await as.mutation(api.discordLinking.start, { browserBinding: (await newBrowser()).binding })).url).toContain("state=");
      await as.mutation(api.discordLinking.unlink, {});
      expect((await t.run((ctx) => ctx.db.get("users", userId)))?.discordUserId).toBeUndefined();
    }
    expect(await errorCodeOf(t.mutation(api.discordLinking.start, { browserBinding: "0".repeat(64) }))).toBe("UNAUTHENTICATED");
    expect(await errorCodeOf(t.mutation(api.discordLinking.unlink, {}))).toBe("UNAUTHENTICATED");
    expect(await errorCodeOf(t.query(api.discordLinking.status, {}))).toBe("UNAUTHENTICATED");
  });
});
