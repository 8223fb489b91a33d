import { v, type Infer } from "convex/values";
import type { Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { throwError } from "../errors";
import { capacityValidator, guildCapacity } from "./capacity";
import { finishedSessionsWithResources, requestCleanup, scheduleCleanups } from "./cleanup";
import { configuredCategoryId, configuredGuildId, isDiscordConfigured, provisionLeadMinutes } from "./config";
import { isOver, scheduleProvisioningRun } from "./provisioning";
import { latestReport, reconciliationReportValidator } from "./reconciliation";

/** The admin Discord dashboard's rules (SPEC §6): overview, retry, cleanup. Callers hold `discord.manage`. */

/**
 * Sessions counted per state at most, so the live dashboard reads a bounded number of documents
 * (7 states × this); a count that reaches it is shown as "100+".
 */
export const STATE_COUNT_CAP = 100;

/**
 * Sessions per provisioning state on the dashboard, each at most {@link STATE_COUNT_CAP}. The
 * terminal `cleaned` grows forever and is not counted.
 */
const stateCountsValidator = v.object({
  pending: v.number(),
  waiting_for_window: v.number(),
  provisioning: v.number(),
  ready: v.number(),
  failed: v.number(),
  cleaning: v.number(),
  not_configured: v.number(),
});
type StateCounts = Infer<typeof stateCountsValidator>;
const COUNTED_STATES = Object.keys(stateCountsValidator.fields) as (keyof StateCounts)[];

export const overviewValidator = v.object({
  configured: v.boolean(),
  guildId: v.union(v.string(), v.null()),
  categoryId: v.union(v.string(), v.null()),
  provisionLeadMinutes: v.number(),
  capacity: capacityValidator,
  /** Sessions per provisioning state (each capped at {@link STATE_COUNT_CAP}; `cleaned` is not counted). */
  stateCounts: stateCountsValidator,
  /** The cap of each state count: a count equal to it means "this many or more". */
  stateCountCap: v.number(),
  lastReconciliation: v.union(reconciliationReportValidator, v.null()),
});

/** The dashboard's header: configuration, capacity used of the limits, state counts, last reconciliation. */
export async function discordOverview(ctx: QueryCtx): Promise<Infer<typeof overviewValidator>> {
  const counts = await Promise.all(
    COUNTED_STATES.map(async (state) => {
      const rows = await ctx.db
        .query("coachingSessions")
        .withIndex("by_provisioningState_and_startTime", (q) => q.eq("provisioningState", state))
        .take(STATE_COUNT_CAP);
      return [state, rows.length] as const;
    }),
  );
  const stateCounts = Object.fromEntries(counts) as StateCounts;
  return {
    configured: isDiscordConfigured(),
    guildId: configuredGuildId(),
    categoryId: configuredCategoryId(),
    provisionLeadMinutes: provisionLeadMinutes(),
    capacity: await guildCapacity(ctx),
    stateCounts,
    stateCountCap: STATE_COUNT_CAP,
    lastReconciliation: await latestReport(ctx),
  };
}

/**
 * Admin retry: for a session that is still ahead, resets its attempt count and provisions it now;
 * for a finished one, runs its cleanup again.
 * @returns what was scheduled.
 * @throws ConvexError NOT_FOUND, FAILED_PRECONDITION (Discord not configured, already cleaned, a run
 * holds the session right now).
 */
export async function retrySession(
  ctx: MutationCtx,
  sessionId: Id<"coachingSessions">,
  now: number,
): Promise<"provisioning" | "cleanup"> {
  const session = await ctx.db.get("coachingSessions", sessionId);
  if (session === null) throwError("NOT_FOUND", "That coaching session does not exist.");
  if (!isDiscordConfigured()) {
    throwError("FAILED_PRECONDITION", "Discord is not configured: set DISCORD_BOT_TOKEN, DISCORD_GUILD_ID and DISCORD_BOT_USER_ID first.");
  }
  if (session.provisioningState === "cleaned") throwError("FAILED_PRECONDITION", "This session's Discord space is already cleaned up.");
  if (session.provisioningLeaseId !== undefined && (session.provisioningLeaseExpiresAt ?? 0) > now) {
    throwError("FAILED_PRECONDITION", "A Discord run is working on this session right now. Try again in a minute.");
  }
  const restart = session.provisioningState === "failed" || session.provisioningState === "not_configured";
  await ctx.db.patch("coachingSessions", sessionId, {
    provisioningAttempts: 0,
    provisioningLastError: undefined,
    ...(restart ? { provisioningState: "pending" as const } : {}),
  });
  if (isOver(session, now)) {
    await requestCleanup(ctx, sessionId, 0);
    return "cleanup";
  }
  await scheduleProvisioningRun(ctx, sessionId, 0, now);
  return "provisioning";
}

/**
 * Admin cleanup of one finished session (cancelled, completed or ended).
 * @throws ConvexError NOT_FOUND, FAILED_PRECONDITION (the session is still ahead or running).
 */
export async function cleanupSessionNow(ctx: MutationCtx, sessionId: Id<"coachingSessions">, now: number): Promise<void> {
  const session = await ctx.db.get("coachingSessions", sessionId);
  if (session === null) throwError("NOT_FOUND", "That coaching session does not exist.");
  if (!isOver(session, now)) {
    throwError("FAILED_PRECONDITION", "This session is not over yet. Cancel or complete it first; its space is then cleaned up.");
  }
  if (session.provisioningState === "failed") {
    await ctx.db.patch("coachingSessions", sessionId, { provisioningAttempts: 0 });
  }
  await requestCleanup(ctx, sessionId, 0);
}

/** Admin "clean up all finished": schedules cleanup of every finished session that may hold resources (up to 200 per state). */
export async function cleanupAllFinished(ctx: MutationCtx, now: number): Promise<number> {
  return await scheduleCleanups(ctx, await finishedSessionsWithResources(ctx, now, 200), now);
}
