import { Webhook } from "svix";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api } from "./_generated/api";
import { newTest, seedUser, type TestBackend } from "../testing/convex";

const SECRET = `whsec_${btoa("sessions-hub-test-webhook-secret")}`;
const ISSUER = "https://clerk.sessions-hub.example";

function clerkUser(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    first_name: "Grace",
    last_name: "Hopper",
    username: null,
    image_url: "https://img.example/grace.png",
    primary_email_address_id: "email_1",
    email_addresses: [
      { id: "email_0", email_address: "old@example.com" },
      { id: "email_1", email_address: "Grace@Example.com" },
    ],
    ...overrides,
  };
}

/** A signed request as svix sends it; send the same one twice to replay it. */
type SignedRequest = { body: string; messageId: string; timestamp: Date };

/** Signs `event` as Clerk's svix endpoint would (a new message id unless given). */
function signedRequest(event: unknown, messageId = `msg_${Math.random().toString(36).slice(2)}`): SignedRequest {
  return { body: JSON.stringify(event), messageId, timestamp: new Date() };
}

/** Sends `event` (or an already signed request) to the webhook signed with svix's own `Webhook.sign`, as Clerk would. */
async function deliver(
  t: TestBackend,
  event: unknown,
  options: { secret?: string; tamper?: boolean; unsigned?: boolean; request?: SignedRequest } = {},
) {
  const { body, messageId, timestamp } = options.request ?? signedRequest(event);
  const signature = new Webhook(options.secret ?? SECRET).sign(messageId, timestamp, body);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (!options.unsigned) {
    headers["svix-id"] = messageId;
    headers["svix-timestamp"] = String(Math.floor(timestamp.getTime() / 1000));
    headers["svix-signature"] = signature;
  }
  return await t.fetch("/clerk-users-webhook", {
    method: "POST",
    headers,
    body: options.tamper ? body.replace("Grace", "Mallory") : body,
  });
}

async function usersIn(t: TestBackend) {
  return await t.run((ctx) => ctx.db.query("users").collect());
}

describe("POST /clerk-users-webhook", () => {
  beforeEach(() => {
    vi.stubEnv("CLERK_WEBHOOK_SECRET", SECRET);
    vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", ISSUER);
  });
  afterEach(() => vi.unstubAllEnvs());

  test("user.created creates a student whose next sign-in finds the same record", async () => {
    const t = newTest();
    const response = await deliver(t, { type: "user.created", data: clerkUser("user_grace") });
    expect(response.status).toBe(200);
    const [user] = await usersIn(t);
    expect(user).toMatchObject({
      name: "Grace Hopper",
      email: "grace@example.com",
      imageUrl: "https://img.example/grace.png",
      roles: ["student"],
      active: true,
      tokenIdentifier: `${ISSUER}|user_grace`,
    });
    const signedIn = t.withIdentity({ issuer: ISSUER, subject: "user_grace", tokenIdentifier: `${ISSUER}|user_grace`, name: "Grace Hopper", email: "grace@example.com" });
    expect(await signedIn.mutation(api.users.store, {})).toBe(user._id);
    expect(await usersIn(t)).toHaveLength(1);
  });

  test("user.updated changes the profile but keeps roles", async () => {
    const t = newTest();
    await deliver(t, { type: "user.created", data: clerkUser("user_grace") });
    const [created] = await usersIn(t);
    await t.run((ctx) => ctx.db.patch("users", created._id, { roles: ["coach"] }));
    await deliver(t, { type: "user.updated", data: clerkUser("user_grace", { first_name: "Admiral" }) });
    const [updated] = await usersIn(t);
    expect(updated).toMatchObject({ _id: created._id, name: "Admiral Hopper", roles: ["coach"] });
  });

  test("user.deleted deactivates the account, which then cannot call anything", async () => {
    const t = newTest();
    const person = await seedUser(t, { roles: ["admin"] });
    const externalId = person.identity.subject!;
    const response = await deliver(t, { type: "user.deleted", data: { id: externalId, deleted: true, object: "user" } });
    expect(response.status).toBe(200);
    expect(await person.as.query(api.users.me, {})).toBeNull();
    const [user] = await usersIn(t);
    expect(user.active).toBe(false);
  });

  test("a missing, forged or tampered signature gets 400 and writes nothing", async () => {
    const t = newTest();
    const event = { type: "user.created", data: clerkUser("user_mallory") };
    expect((await deliver(t, event, { unsigned: true })).status).toBe(400);
    expect((await deliver(t, event, { secret: `whsec_${btoa("another-secret-entirely")}` })).status).toBe(400);
    expect((await deliver(t, event, { tamper: true })).status).toBe(400);
    expect(await usersIn(t)).toHaveLength(0);
  });

  test("without a configured secret the endpoint refuses and writes nothing", async () => {
    vi.stubEnv("CLERK_WEBHOOK_SECRET", "");
    const t = newTest();
    const response = await deliver(t, { type: "user.created", data: clerkUser("user_grace") });
    expect(response.status).toBe(503);
    expect(await usersIn(t)).toHaveLength(0);
  });

  test("a replayed user.created (same svix id, inside the window) does not bring a deleted account back", async () => {
    const t = newTest();
    const created = signedRequest({ type: "user.created", timestamp: 1_000, data: clerkUser("user_grace") });
    expect((await deliver(t, null, { request: created })).status).toBe(200);
    await deliver(t, { type: "user.deleted", timestamp: 2_000, data: { id: "user_grace", deleted: true, object: "user" } });
    expect((await usersIn(t))[0].active).toBe(false);

    const replay = await deliver(t, null, { request: created });
    expect(replay.status).toBe(200);
    expect(await usersIn(t)).toMatchObject([{ active: false }]);
  });

  test("events apply in the order of their own timestamps, never an older one over a newer one", async () => {
    const t = newTest();
    // Deleted at 3,000 but delivered first; the creation (1,000) and an update (2,000) arrive late.
    await deliver(t, { type: "user.deleted", timestamp: 3_000, data: { id: "user_grace", deleted: true, object: "user" } });
    await deliver(t, { type: "user.created", timestamp: 1_000, data: clerkUser("user_grace") });
    await deliver(t, { type: "user.updated", timestamp: 2_000, data: clerkUser("user_grace", { first_name: "Admiral" }) });
    expect(await usersIn(t)).toHaveLength(0);

    const t2 = newTest();
    await deliver(t2, { type: "user.created", timestamp: 1_000, data: clerkUser("user_ada", { first_name: "Ada" }) });
    await deliver(t2, { type: "user.updated", timestamp: 3_000, data: clerkUser("user_ada", { first_name: "Countess" }) });
    await deliver(t2, { type: "user.updated", timestamp: 2_000, data: clerkUser("user_ada", { first_name: "Lady" }) });
    expect(await usersIn(t2)).toMatchObject([{ name: "Countess Hopper", active: true }]);
  });

  test("processed message ids are forgotten after the replay window, a few at a time", async () => {
    vi.useFakeTimers();
    try {
      const t = newTest();
      for (let index = 0; index < 3; index += 1) {
        await deliver(t, { type: "user.updated", timestamp: 1_000 + index, data: clerkUser("user_grace") });
      }
      expect(await t.run((ctx) => ctx.db.query("webhookMessages").collect())).toHaveLength(3);
      vi.advanceTimersByTime(20 * 60_000);
      await deliver(t, { type: "user.updated", timestamp: 5_000, data: clerkUser("user_grace") });
      expect(await t.run((ctx) => ctx.db.query("webhookMessages").collect())).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  test("other event types are acknowledged and ignored", async () => {
    const t = newTest();
    const response = await deliver(t, { type: "session.created", data: { id: "sess_1" } });
    expect(response.status).toBe(200);
    expect(await usersIn(t)).toHaveLength(0);
  });
});
