import { env } from "../../_generated/server";
import { discordConfigFromEnv, type DiscordConfig } from "./client";

/**
 * Deployment settings of the Discord integration, read only through `env` of `_generated/server`.
 *
 * | variable | meaning |
 * | --- | --- |
 * | `DISCORD_BOT_TOKEN`, `DISCORD_GUILD_ID`, `DISCORD_BOT_USER_ID` | required for provisioning; without them sessions show `not_configured` |
 * | `DISCORD_CATEGORY_ID` | optional category of the session channels |
 * | `DISCORD_API_BASE` | optional API base (default `https://discord.com/api`); tests point it at the fake |
 * | `DISCORD_PROVISION_LEAD_MINUTES` | how long before a session its space is created (default 1440) |
 * | `DISCORD_CLIENT_ID`, `DISCORD_CLIENT_SECRET` | OAuth2 application, for account linking |
 * | `DISCORD_OAUTH_REDIRECT_URI` | optional; default `<CONVEX_SITE_URL>/discord/oauth/callback` |
 * | `DISCORD_OAUTH_AUTHORIZE_URL` | optional; default `https://discord.com/oauth2/authorize` |
 * | `SITE_URL` | the app's URL; the OAuth2 callback sends the user back to `<SITE_URL>/profile` |
 */

/** Default of DISCORD_PROVISION_LEAD_MINUTES: provision a session's space one day before it starts. */
const DEFAULT_PROVISION_LEAD_MINUTES = 24 * 60;
const DISCORD_API_DEFAULT = "https://discord.com/api";

/**
 * True when the three required variables are set. Cheap and never throws: mutations use it to decide
 * between scheduling provisioning and `not_configured` (a malformed value is reported by the action).
 */
export function isDiscordConfigured(): boolean {
  return Boolean(env.DISCORD_BOT_TOKEN?.trim() && env.DISCORD_GUILD_ID?.trim() && env.DISCORD_BOT_USER_ID?.trim());
}

/**
 * The Discord client configuration, or null when not configured.
 * @throws Error naming the variable when a value is malformed (see `client.ts#discordConfigFromEnv`).
 */
export function readDiscordConfig(): DiscordConfig | null {
  return discordConfigFromEnv(env);
}

/** The configured guild id, or null (for channel links in queries). */
export function configuredGuildId(): string | null {
  return env.DISCORD_GUILD_ID?.trim() || null;
}

/** The configured category id for session channels, or null. */
export function configuredCategoryId(): string | null {
  return env.DISCORD_CATEGORY_ID?.trim() || null;
}

/** DISCORD_PROVISION_LEAD_MINUTES as a whole number ≥ 0 (default 1440; invalid values fall back to it). */
export function provisionLeadMinutes(): number {
  const raw = env.DISCORD_PROVISION_LEAD_MINUTES?.trim();
  if (!raw) return DEFAULT_PROVISION_LEAD_MINUTES;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? Math.floor(value) : DEFAULT_PROVISION_LEAD_MINUTES;
}

/** The API base without version (`https://discord.com/api` unless DISCORD_API_BASE is set). */
function discordApiBase(): string {
  return (env.DISCORD_API_BASE?.trim() || DISCORD_API_DEFAULT).replace(/\/+$/, "");
}

/** OAuth2 settings for account linking, or null when DISCORD_CLIENT_ID / DISCORD_CLIENT_SECRET are missing. */
export function readOAuthConfig(): {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  authorizeUrl: string;
  tokenUrl: string;
  currentUserUrl: string;
  siteUrl: string | null;
} | null {
  const clientId = env.DISCORD_CLIENT_ID?.trim();
  const clientSecret = env.DISCORD_CLIENT_SECRET?.trim();
  const siteUrl = env.CONVEX_SITE_URL?.trim().replace(/\/+$/, "");
  const redirectUri = env.DISCORD_OAUTH_REDIRECT_URI?.trim() || (siteUrl ? `${siteUrl}/discord/oauth/callback` : "");
  if (!clientId || !clientSecret || !redirectUri) return null;
  const apiBase = discordApiBase();
  return {
    clientId,
    clientSecret,
    redirectUri,
    authorizeUrl: env.DISCORD_OAUTH_AUTHORIZE_URL?.trim() || "https://discord.com/oauth2/authorize",
    tokenUrl: `${apiBase}/v10/oauth2/token`,
    currentUserUrl: `${apiBase}/v10/users/@me`,
    siteUrl: env.SITE_URL?.trim().replace(/\/+$/, "") || null,
  };
}
