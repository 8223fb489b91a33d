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

/** Sends `event` to the webhook signed with svix's own `Webhook.sign`, as Clerk would. */
async function deliver(t: TestBackend, event: unknown, options: { secret?: string; tamper?: boolean; unsigned?: boolean } = {}) {
  const body = JSON.stringify(event);
  const messageId = `msg_${Math.random().toString(36).slice(2)}`;
  const timestamp = new Date();
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

  test("other event types are acknowledged and ignored", async () => {
    const t = newTest();
    const response = await deliver(t, { type: "session.created", data: { id: "sess_1" } });
    expect(response.status).toBe(200);
    expect(await usersIn(t)).toHaveLength(0);
  });
});
