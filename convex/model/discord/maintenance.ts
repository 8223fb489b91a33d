import { internal } from "../../_generated/api";
import type { MutationCtx } from "../../_generated/server";
import { scheduleCleanups, spacesDueForCleanup } from "./cleanup";
import { isDiscordConfigured, provisionLeadMinutes } from "./config";
import { pruneExpiredOAuthStates } from "./oauthState";
import { resumeWaitingSpaces } from "./capacity";
import { isLeaseHeld, scheduleRun } from "./lease";
import { isOver } from "./spaces";
import { pruneReports } from "./reconciliation";

/**
 * The hourly Discord maintenance (`crons.ts`): cleans up sessions that ended more than an hour ago
 * or were cancelled, restarts provisioning that lost its scheduled run (a crashed action, a
 * deployment in between), resumes sessions waiting for room, starts a reconciliation pass and
 * prunes expired OAuth states and old reports.
 */

/** Sessions handled per kind and run (the next hour picks up the rest). */
const BATCH = 100;
/** A run that should have happened this long ago (ms) without touching the session is considered lost. */
const LOST_RUN_GRACE_MS = 5 * 60 * 1000;

export type MaintenanceSummary = {
  cleanupsScheduled: number;
  provisioningRestarted: number;
  waitingResumed: number;
  reconciliationScheduled: boolean;
};

/**
 * One maintenance pass.
 * @param now epoch ms.
 */
export async function runHourlyMaintenance(ctx: MutationCtx, now: number): Promise<MaintenanceSummary> {
  await pruneExpiredOAuthStates(ctx, now);
  await pruneReports(ctx, now);
  if (!isDiscordConfigured()) {
    return { cleanupsScheduled: 0, provisioningRestarted: 0, waitingResumed: 0, reconciliationScheduled: false };
  }
  const cleanupsScheduled = await scheduleCleanups(ctx, await spacesDueForCleanup(ctx, now, BATCH), now);

  let provisioningRestarted = 0;
  const lost = (nextAttemptAt: number | undefined) => nextAttemptAt === undefined || nextAttemptAt < now - LOST_RUN_GRACE_MS;
  const windowEnd = now + provisionLeadMinutes() * 60 * 1000;
  const pending = await ctx.db
    .query("discordSpaces")
    .withIndex("by_state_and_startTime", (q) => q.eq("state", "pending").gt("startTime", now).lte("startTime", windowEnd))
    .take(BATCH);
  const provisioning = await ctx.db
    .query("discordSpaces")
    .withIndex("by_state_and_startTime", (q) => q.eq("state", "provisioning").gt("startTime", now - 24 * 60 * 60 * 1000))
    .take(BATCH);
  for (const space of [...pending, ...provisioning]) {
    if (isOver(space, now) || !lost(space.nextAttemptAt)) continue;
    if (isLeaseHeld(space, now)) continue;
    await scheduleRun(ctx, space._id, space.sessionId, "provision", 0, now);
    provisioningRestarted += 1;
  }
  const waitingResumed = await resumeWaitingSpaces(ctx, BATCH, now);
  await ctx.scheduler.runAfter(0, internal.discordProvisioning.reconcile, { trigger: "cron" });
  return { cleanupsScheduled, provisioningRestarted, waitingResumed, reconciliationScheduled: true };
}
