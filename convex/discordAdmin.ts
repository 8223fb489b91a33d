import { paginationResultValidator } from "convex/server";
import { v } from "convex/values";
import { literals } from "convex-helpers/validators";
import { internal } from "./_generated/api";
import { coachingSessionViewValidator } from "./model/coaching/sessions";
import { cleanupAllFinished, cleanupSessionNow, discordOverview, listSessionsPage, overviewValidator, retrySession } from "./model/discord/admin";
import { isDiscordConfigured } from "./model/discord/config";
import { throwError } from "./model/errors";
import { permissionMutation, permissionQuery } from "./model/functions";
import { paginationArg, instantArg } from "./model/validation";
import { provisioningStateValidator } from "./tables/coaching";

/**
 * The admin Discord dashboard (SPEC §6): every session's provisioning state and last error, retry and
 * cleanup, guild capacity and reconciliation. Every function requires `discord.manage` (admin).
 */

/**
 * Configuration, guild capacity (roles / channels / category used of Discord's limits), session
 * counts per provisioning state and the last reconciliation report.
 * @throws ConvexError FORBIDDEN.
 */
export const overview = permissionQuery("discord.manage")({
  args: {},
  returns: overviewValidator,
  handler: (ctx) => discordOverview(ctx),
});

/**
 * Coaching sessions with their Discord state, a page at a time; see `model/discord/admin.ts#listSessionsPage`.
 * @throws ConvexError FORBIDDEN.
 */
export const listSessions = permissionQuery("discord.manage")({
  args: { paginationOpts: paginationArg, state: v.optional(provisioningStateValidator), now: instantArg("Now") },
  returns: paginationResultValidator(coachingSessionViewValidator),
  handler: (ctx, { paginationOpts, state, now }) => listSessionsPage(ctx, ctx.viewer, paginationOpts, state, now),
});

/**
 * Retries a session (`{ sessionId }`): provisions a session that is still ahead again (attempts
 * reset), or cleans up a finished one again.
 * @returns "provisioning" or "cleanup".
 * @throws ConvexError FORBIDDEN, NOT_FOUND, FAILED_PRECONDITION.
 */
export const retry = permissionMutation("discord.manage")({
  args: { sessionId: v.id("coachingSessions") },
  returns: literals("provisioning", "cleanup"),
  handler: (ctx, { sessionId }) => retrySession(ctx, sessionId, Date.now()),
});

/**
 * Deletes a finished session's channel and role now (`{ sessionId }`).
 * @throws ConvexError FORBIDDEN, NOT_FOUND, FAILED_PRECONDITION (session not over).
 */
export const cleanup = permissionMutation("discord.manage")({
  args: { sessionId: v.id("coachingSessions") },
  returns: v.null(),
  handler: (ctx, { sessionId }) => cleanupSessionNow(ctx, sessionId, Date.now()),
});

/**
 * Cleans up every finished session (cancelled, completed, ended) that may still hold Discord resources.
 * @returns how many cleanups were scheduled.
 * @throws ConvexError FORBIDDEN.
 */
export const cleanupFinished = permissionMutation("discord.manage")({
  args: {},
  returns: v.number(),
  handler: (ctx) => cleanupAllFinished(ctx, Date.now()),
});

/**
 * Starts a reconciliation pass now; its report appears in `overview.lastReconciliation`.
 * @throws ConvexError FORBIDDEN, FAILED_PRECONDITION (Discord not configured).
 */
export const runReconciliation = permissionMutation("discord.manage")({
  args: {},
  returns: v.null(),
  handler: async (ctx) => {
    if (!isDiscordConfigured()) {
      throwError("FAILED_PRECONDITION", "Discord is not configured: set DISCORD_BOT_TOKEN, DISCORD_GUILD_ID and DISCORD_BOT_USER_ID first.");
    }
    await ctx.scheduler.runAfter(0, internal.discordProvisioning.reconcile, { trigger: "admin" });
    return null;
  },
});
