import { v, type Infer } from "convex/values";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { resumeWaitingSpaces } from "./capacity";
import { applyRetryOutcome, isLeaseHeld, RELEASE_LEASE, retryOutcomeValidator, runPlanFields, scheduleRun, skipPlanValidator, takeLease } from "./lease";
import { auditReasonFor, sessionChannelName, sessionRoleName } from "./names";
import { delayUntilLeadWindow, isOver, mayHoldDiscordResources, spaceOf, withoutDiscordResources, type DiscordSpace } from "./spaces";

/**
 * Database side of a space's cleanup (SPEC §6): when it is asked for, whether a run may proceed, and
 * what its outcome means. The action in `cleanupRun.ts` deletes the channel, then the role; a 404
 * counts as done, so cleanup can run any number of times; the state ends `cleaned` and the ledger
 * marks both resources deleted. Freed room restarts spaces that wait in `waiting_for_window`.
 *
 * Triggers: cancellation (at once, also ending a provisioning run in flight at its next step),
 * completion (after {@link COMPLETED_CLEANUP_DELAY_MS}), the admin dashboard (one session or all
 * finished ones) and the hourly maintenance (sessions that ended more than
 * {@link CRON_CLEANUP_AFTER_MS} ago, or were cancelled). A release (`releaseRequested`, a session
 * moved out of its lead window, `move.ts`) is a cleanup of a live session: it ends with the space
 * `pending` again instead of `cleaned` ({@link startOverAfterRelease}).
 */

/** Delay between marking a session completed and deleting its channel, in ms (5 minutes). */
export const COMPLETED_CLEANUP_DELAY_MS = 5 * 60 * 1000;
/** The hourly maintenance cleans sessions that ended more than this long ago (1 hour). */
const CRON_CLEANUP_AFTER_MS = 60 * 60 * 1000;
/** Delay between the starts of cleanups scheduled together (at most 20 start per second), in ms. */
const BULK_CLEANUP_STAGGER_MS = 50;
/** States in which a space may still hold Discord resources. */
const STATES_WITH_RESOURCES = ["pending", "waiting_for_window", "provisioning", "ready", "failed", "cleaning"] as const;

/** What {@link claimCleanup} tells the action to do. */
export const cleanupPlanValidator = v.union(skipPlanValidator, v.object(runPlanFields));
export type CleanupPlan = Infer<typeof cleanupPlanValidator>;

export const cleanupOutcomeValidator = v.union(
  v.object({ kind: v.literal("cleaned"), freedRoles: v.number(), freedChannels: v.number() }),
  ...retryOutcomeValidator.members,
);
export type CleanupOutcome = Infer<typeof cleanupOutcomeValidator>;

/** The fields that mark a space cleaned up. */
function cleanedFields(now: number) {
  return {
    state: "cleaned" as const,
    cleanedAt: now,
    setupComplete: false,
    attempts: 0,
    lastError: undefined,
    nextAttemptAt: undefined,
  };
}

/** True when cleanup of the space is a release of a live session (it starts over afterwards). */
function isRelease(space: DiscordSpace, now: number): boolean {
  return space.releaseRequested === true && !isOver(space, now);
}

/**
 * After a release: the space starts over as `pending`, with nothing in Discord, and its provisioning
 * is scheduled for the lead window of its (new) start.
 * @param now epoch ms.
 */
async function startOverAfterRelease(ctx: MutationCtx, space: DiscordSpace, now: number): Promise<void> {
  await ctx.db.patch("discordSpaces", space._id, {
    ...RELEASE_LEASE,
    releaseRequested: undefined,
    state: "pending",
    ...withoutDiscordResources(),
    attempts: 0,
    lastError: undefined,
    provisionedAt: undefined,
  });
  await scheduleRun(ctx, space._id, space.sessionId, "provision", delayUntilLeadWindow(space.startTime, now), now);
}

/**
 * Asks for a space's cleanup after `delayMs` (0 = now). A space that never touched Discord is marked
 * `cleaned` right away (or stays `not_configured`); nothing is scheduled for it. A space a
 * provisioning run holds gets its cleanup when that run stops (at its next step), and at the latest
 * when its lease expires.
 * @param now epoch ms.
 */
export async function requestCleanup(ctx: MutationCtx, sessionId: Id<"coachingSessions">, delayMs: number, now: number): Promise<void> {
  const space = await spaceOf(ctx, sessionId);
  if (space === null || space.state === "cleaned" || space.state === "not_configured") return;
  if (!mayHoldDiscordResources(space) && space.leaseId === undefined) {
    if (isRelease(space, now)) await startOverAfterRelease(ctx, space, now);
    else await ctx.db.patch("discordSpaces", space._id, cleanedFields(now));
    return;
  }
  if (isLeaseHeld(space, now) && space.state !== "cleaning") {
    // The run stops at its next step and asks for cleanup itself; this one is the safety net for a crashed run.
    await scheduleRun(ctx, space._id, sessionId, "cleanup", (space.leaseExpiresAt ?? now) - now + 1000, now);
    return;
  }
  await scheduleRun(ctx, space._id, sessionId, "cleanup", delayMs, now);
}

/**
 * For a session that was cancelled or completed: marks its space finished (a provisioning run in
 * flight stops at its next step) and asks for cleanup after `delayMs` (0 = now).
 * @param now epoch ms.
 */
export async function finishDiscordSpace(
  ctx: MutationCtx,
  sessionId: Id<"coachingSessions">,
  finishedAs: "CANCELLED" | "COMPLETED",
  delayMs: number,
  now: number,
): Promise<void> {
  const space = await spaceOf(ctx, sessionId);
  if (space === null) return;
  await ctx.db.patch("discordSpaces", space._id, { finishedAs });
  await requestCleanup(ctx, sessionId, delayMs, now);
}

/**
 * Starts a cleanup run if it may proceed: the session is over (cancelled, completed or ended) or its
 * space is to be released, not cleaned yet, and no provisioning run holds it (then cleanup is rescheduled for when that lease
 * ends). Marks the space `cleaning` with a fresh lease.
 * @param now epoch ms.
 */
export async function claimCleanup(ctx: MutationCtx, sessionId: Id<"coachingSessions">, now: number): Promise<CleanupPlan> {
  const space = await spaceOf(ctx, sessionId);
  if (space === null) return { kind: "skip", reason: "the session no longer exists" };
  if (space.state === "cleaned") return { kind: "skip", reason: "already cleaned" };
  if (space.state === "not_configured") return { kind: "skip", reason: "Discord is not configured" };
  if (!isOver(space, now) && !space.releaseRequested) return { kind: "skip", reason: "the session is not over" };
  if (isLeaseHeld(space, now)) {
    if (space.state !== "cleaning") {
      await scheduleRun(ctx, space._id, sessionId, "cleanup", (space.leaseExpiresAt ?? now) - now + 1000, now);
    }
    return { kind: "skip", reason: "another run is working on the session" };
  }
  if (!mayHoldDiscordResources(space)) {
    if (isRelease(space, now)) await startOverAfterRelease(ctx, space, now);
    else await ctx.db.patch("discordSpaces", space._id, { ...cleanedFields(now), attempts: space.attempts });
    return { kind: "skip", reason: "nothing was created in Discord" };
  }
  // A resource an earlier cleanup run already deleted is not deleted again.
  const stillLive = async (discordId: string | undefined) => {
    if (discordId === undefined) return null;
    const row = await ctx.db
      .query("discordResources")
      .withIndex("by_discordId", (q) => q.eq("discordId", discordId))
      .first();
    return row !== null && !row.live ? null : discordId;
  };
  const roleId = await stillLive(space.roleId);
  const channelId = await stillLive(space.channelId);
  const lease = takeLease(now);
  await ctx.db.patch("discordSpaces", space._id, { ...lease, state: "cleaning" });
  return {
    kind: "run",
    leaseId: lease.leaseId,
    sessionId,
    roleId,
    channelId,
    roleName: sessionRoleName(space.key),
    channelName: sessionChannelName(space.key),
    lookUpRole: space.roleId === undefined && space.roleCreateAttempted,
    lookUpChannel: space.channelId === undefined && space.channelCreateAttempted,
    auditReason: auditReasonFor(space, "clean up the private coaching space"),
  };
}

/**
 * Applies a cleanup run's outcome (ignored when another run took the lease over): `cleaned` (or, for
 * a release, `pending` again) and restart of waiting spaces; otherwise the common retry outcomes of
 * `lease.ts`.
 * @param now epoch ms.
 */
export async function finishCleanup(
  ctx: MutationCtx,
  args: { sessionId: Id<"coachingSessions">; leaseId: string; outcome: CleanupOutcome },
  now: number,
): Promise<void> {
  const space = await spaceOf(ctx, args.sessionId);
  if (space === null || space.leaseId !== args.leaseId) return;
  const { outcome } = args;
  if (outcome.kind === "cleaned") {
    if (isRelease(space, now)) await startOverAfterRelease(ctx, space, now);
    else await ctx.db.patch("discordSpaces", space._id, { ...RELEASE_LEASE, ...cleanedFields(now) });
    await resumeWaitingSpaces(ctx, Math.max(outcome.freedRoles, outcome.freedChannels), now);
    return;
  }
  await applyRetryOutcome(ctx, space, "cleanup", outcome, now);
}

/**
 * Spaces the hourly maintenance cleans: over for more than an hour (any state that may hold
 * resources), or cancelled. At most `limit` of each kind, by index.
 * @param now epoch ms.
 */
export async function spacesDueForCleanup(ctx: QueryCtx, now: number, limit: number): Promise<DiscordSpace[]> {
  const due = new Map<Id<"discordSpaces">, DiscordSpace>();
  for (const state of STATES_WITH_RESOURCES) {
    const ended = await ctx.db
      .query("discordSpaces")
      .withIndex("by_state_and_endTime", (q) => q.eq("state", state).lt("endTime", now - CRON_CLEANUP_AFTER_MS))
      .take(limit);
    for (const space of ended) due.set(space._id, space);
    const cancelled = await ctx.db
      .query("discordSpaces")
      .withIndex("by_finishedAs_and_state", (q) => q.eq("finishedAs", "CANCELLED").eq("state", state))
      .take(limit);
    for (const space of cancelled) due.set(space._id, space);
  }
  return [...due.values()];
}

/**
 * Every finished space that may still hold Discord resources (cancelled, completed, or ended), at
 * most `limit` per state: what "Clean up all finished" on the dashboard cleans.
 * @param now epoch ms.
 */
export async function finishedSpacesWithResources(ctx: QueryCtx, now: number, limit: number): Promise<DiscordSpace[]> {
  const found = new Map<Id<"discordSpaces">, DiscordSpace>();
  for (const state of STATES_WITH_RESOURCES) {
    for (const finishedAs of ["CANCELLED", "COMPLETED"] as const) {
      const rows = await ctx.db
        .query("discordSpaces")
        .withIndex("by_finishedAs_and_state", (q) => q.eq("finishedAs", finishedAs).eq("state", state))
        .take(limit);
      for (const space of rows) found.set(space._id, space);
    }
    const ended = await ctx.db
      .query("discordSpaces")
      .withIndex("by_state_and_endTime", (q) => q.eq("state", state).lte("endTime", now))
      .take(limit);
    for (const space of ended) found.set(space._id, space);
  }
  return [...found.values()];
}

/**
 * Schedules cleanup of `spaces`, starting {@link BULK_CLEANUP_STAGGER_MS} apart (skipping ones a
 * cleanup run holds or that have a run scheduled); returns how many.
 * @param now epoch ms.
 */
export async function scheduleCleanups(ctx: MutationCtx, spaces: Doc<"discordSpaces">[], now: number): Promise<number> {
  let scheduled = 0;
  for (const space of spaces) {
    if (space.state === "cleaning" && (space.leaseExpiresAt ?? 0) > now) continue;
    if (space.nextAttemptAt !== undefined && space.nextAttemptAt > now && space.state !== "failed") continue;
    // Bulk cleanups start staggered, so that hundreds of runs do not all wake at the same instant.
    await requestCleanup(ctx, space.sessionId, scheduled * BULK_CLEANUP_STAGGER_MS, now);
    scheduled += 1;
  }
  return scheduled;
}
