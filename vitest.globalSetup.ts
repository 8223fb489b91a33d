/**
 * Vitest global setup: starts the fake Discord REST server (testing/fakeDiscord) on a free port of
 * 127.0.0.1 before any test runs and stops it afterwards. Tests read its base URL with
 * `inject("fakeDiscordUrl")` (e.g. `http://127.0.0.1:PORT`) and drive it through
 * `testing/fakeDiscord/controlClient.ts`; the Discord client's `DISCORD_API_BASE` is `${url}/api`.
 * The same way it starts the fake Resend API (testing/fakeResend): `inject("fakeResendUrl")`, driven
 * through `testing/fakeResend/controlClient.ts`.
 *
 * Vitest runs global setup once for the root project and once per project that inherits it; all of
 * them share one server (kept on `globalThis`), which closes when the last teardown runs.
 */
import type { TestProject } from "vitest/node";
import { startFakeDiscord, type FakeDiscordServer } from "./testing/fakeDiscord/server";
import { startFakeResend, type FakeResendServer } from "./testing/fakeResend/server";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the fake Discord server, e.g. `http://127.0.0.1:PORT` (no trailing slash). */
    fakeDiscordUrl: string;
    /** Base URL of the fake Resend API (testing/fakeResend), e.g. `http://127.0.0.1:PORT`: the app's `RESEND_BASE_URL`. */
    fakeResendUrl: string;
  }
}

interface SharedFake {
  server: Promise<FakeDiscordServer>;
  users: number;
}

const SHARED_KEY = Symbol.for("sessions-hub.fakeDiscord");
const RESEND_KEY = Symbol.for("sessions-hub.fakeResend");

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const holder = globalThis as unknown as Record<symbol, SharedFake | undefined>;
  let shared = holder[SHARED_KEY];
  if (!shared) {
    shared = { server: startFakeDiscord(), users: 0 };
    holder[SHARED_KEY] = shared;
  }
  shared.users += 1;
  const server = await shared.server;
  project.provide("fakeDiscordUrl", server.url);
  const resendHolder = globalThis as unknown as Record<symbol, { server: Promise<FakeResendServer>; users: number } | undefined>;
  const sharedResend = (resendHolder[RESEND_KEY] ??= { server: startFakeResend(), users: 0 });
  sharedResend.users += 1;
  project.provide("fakeResendUrl", (await sharedResend.server).url);
  return async () => {
    const resend = resendHolder[RESEND_KEY];
    if (resend && --resend.users === 0) {
      resendHolder[RESEND_KEY] = undefined;
      await (await resend.server).close();
    }
    const current = holder[SHARED_KEY];
    if (!current) return;
    current.users -= 1;
    if (current.users === 0) {
      holder[SHARED_KEY] = undefined;
      await (await current.server).close();
    }
  };
}
