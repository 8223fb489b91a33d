import { defineApp } from "convex/server";
import { v } from "convex/values";
import rateLimiter from "@convex-dev/rate-limiter/convex.config";

/**
 * The app: its components, and every environment variable our functions read. A push types `env`
 * in `_generated/server` from this list (plus CONVEX_CLOUD_URL and CONVEX_SITE_URL), so a variable
 * read anywhere must be declared here. All are optional: each feature checks its own variables and
 * says what is missing (README lists what each one enables).
 */
const app = defineApp({
  env: {
    // Sign-in (auth.config.ts, http.ts).
    CLERK_JWT_ISSUER_DOMAIN: v.optional(v.string()),
    CLERK_WEBHOOK_SECRET: v.optional(v.string()),
    DEV_AUTH_JWKS: v.optional(v.string()),
    // Links in emails and redirects.
    SITE_URL: v.optional(v.string()),
    // Discord.
    DISCORD_BOT_TOKEN: v.optional(v.string()),
    DISCORD_GUILD_ID: v.optional(v.string()),
    DISCORD_BOT_USER_ID: v.optional(v.string()),
    DISCORD_CATEGORY_ID: v.optional(v.string()),
    DISCORD_PROVISION_LEAD_MINUTES: v.optional(v.string()),
    DISCORD_CLIENT_ID: v.optional(v.string()),
    DISCORD_CLIENT_SECRET: v.optional(v.string()),
    DISCORD_OAUTH_REDIRECT_URI: v.optional(v.string()),
    DISCORD_OAUTH_AUTHORIZE_URL: v.optional(v.string()),
    DISCORD_API_BASE: v.optional(v.string()),
    // Email through Resend.
    RESEND_API_KEY: v.optional(v.string()),
    EMAIL_FROM: v.optional(v.string()),
    RESEND_WEBHOOK_SECRET: v.optional(v.string()),
    RESEND_REQUESTS_PER_SECOND: v.optional(v.string()),
    RESEND_TIMEOUT_MS: v.optional(v.string()),
    RESEND_BASE_URL: v.optional(v.string()),
  },
});
app.use(rateLimiter);
export default app;
