/**
 * The backend side of the real-browser suite when no Convex deployment is given: the fake Discord
 * (one guild with a "Coaching" category) and fake Resend servers on 127.0.0.1, and the Convex
 * stand-in (`testing/convexStandIn/server.ts`) configured to use them, seeded with the demo data
 * (`seed:init`). Bundled for Node by `testing/e2e/stack.mjs`.
 */
import path from "node:path";
import type { JSONWebKeySet } from "jose";
import { internal } from "../../convex/_generated/api";
import { startConvexStandIn } from "../convexStandIn/server";
import { FakeDiscordControl } from "../fakeDiscord/controlClient";
import { startFakeDiscord } from "../fakeDiscord/server";
import { startFakeResend } from "../fakeResend/server";

/** Coaching channels are made at booking time: well within two weeks of every bookable slot. */
const PROVISION_LEAD_MINUTES = 14 * 24 * 60;

/**
 * Starts the fakes and the stand-in, then seeds.
 * @param options.jwks public keys of the demo sign-in (derived from the private key Vite signs with)
 * @param options.siteUrl the app's address (`SITE_URL`, used in email links)
 * @param options.root the repository's folder (this module runs from a bundle elsewhere)
 * @returns the deployment URL for `VITE_CONVEX_URL` and `close()` stopping everything.
 */
export async function startStandInStack(options: { jwks: JSONWebKeySet; siteUrl: string; root: string }) {
  const discord = await startFakeDiscord({ specPath: path.join(options.root, "testing/fakeDiscord/discord-openapi.json") });
  const guild = await new FakeDiscordControl(discord.url).createGuild({ categories: ["Coaching"] });
  const resend = await startFakeResend();
  const account = resend.createAccount();
  const standIn = await startConvexStandIn({
    jwks: options.jwks,
    env: {
      ...guild.env({ categoryId: guild.info.categoryIds[0] }),
      DISCORD_PROVISION_LEAD_MINUTES: String(PROVISION_LEAD_MINUTES),
      RESEND_API_KEY: account.apiKey,
      RESEND_BASE_URL: account.baseUrl,
      EMAIL_FROM: "Sessions Hub <sessions@example.com>",
      SITE_URL: options.siteUrl,
    },
  });
  await standIn.backend.mutation(internal.seed.init, {});
  return {
    url: standIn.url,
    close: async () => {
      await standIn.close();
      await Promise.all([discord.close(), resend.close()]);
    },
  };
}
