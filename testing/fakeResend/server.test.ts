import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FakeResendControl, type FakeResendAccount } from "./controlClient";
import { startFakeResend, type FakeResendServer } from "./server";

let server: FakeResendServer;
let account: FakeResendAccount;

beforeAll(async () => {
  server = await startFakeResend();
  account = await new FakeResendControl(server.url).createAccount();
});
afterAll(() => server.close());

function send(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/emails`, {
    method: "POST",
    headers: { Authorization: `Bearer ${account.info.apiKey}`, "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

const email = { from: "Hub <hub@example.com>", to: ["ada@example.com"], subject: "Hi", text: "Hello" };

describe("fake Resend API", () => {
  test("answers like Resend: auth errors, validation, idempotent replays and key conflicts", async () => {
    expect((await fetch(`${server.url}/emails`, { method: "POST", body: "{}" })).status).toBe(401);
    const wrongKey = await fetch(`${server.url}/emails`, { method: "POST", headers: { Authorization: "Bearer re_nope" }, body: "{}" });
    expect(await wrongKey.json()).toMatchObject({ statusCode: 403, name: "invalid_api_key" });
    expect(await (await send({ ...email, subject: "" })).json()).toMatchObject({ statusCode: 422, name: "validation_error" });

    const first = await send(email, { "Idempotency-Key": "key-1" });
    const replay = await send(email, { "Idempotency-Key": "key-1" });
    expect(first.status).toBe(200);
    expect(await replay.json()).toEqual(await first.json());
    const conflict = await send({ ...email, subject: "Other" }, { "Idempotency-Key": "key-1" });
    expect(await conflict.json()).toMatchObject({ statusCode: 409, name: "invalid_idempotent_request" });
    expect((await account.emails()).filter((received) => received.idempotencyKey === "key-1")).toHaveLength(1);
  });

  test("injected faults: 429 with retry-after, and a 5xx after the email was accepted", async () => {
    await account.addFault({ status: 429, retryAfterSeconds: 7 });
    const limited = await send(email, { "Idempotency-Key": "key-2" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(await limited.json()).toMatchObject({ name: "rate_limit_exceeded" });

    await account.addFault({ status: 500, accepted: true });
    expect((await send(email, { "Idempotency-Key": "key-3" })).status).toBe(500);
    expect((await send(email, { "Idempotency-Key": "key-3" })).status).toBe(200);
    expect((await account.emails()).filter((received) => received.idempotencyKey === "key-3")).toHaveLength(1);
    expect((await account.requests()).slice(-2).map((entry) => entry.outcome)).toEqual(["fault", "replayed"]);
  });

  test("an optional per-second limit answers 429 beyond it", async () => {
    const limitedAccount = await new FakeResendControl(server.url).createAccount({ requestsPerSecond: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${server.url}/emails`, {
        method: "POST",
        headers: { Authorization: `Bearer ${limitedAccount.info.apiKey}`, "Content-Type": "application/json" },
        body: JSON.stringify(email),
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });
});
