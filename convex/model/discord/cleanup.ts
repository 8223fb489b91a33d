import { v, type Infer } from "convex/values";
import { internal } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import type { ActionCtx, MutationCtx, QueryCtx } from "../../_generated/server";
import { DiscordClient, isDiscordRequestError } from "./client";
import { readDiscordConfig } from "./config";
import { sessionChannelName, sessionRoleName } from "./names";
import { BUCKETS, DeferredRequest, heldSlotValidator, Pacer, usableHeldSlots, type Ticket } from "./pacing";
import {
  auditReasonFor,
  backoffDelayMs,
  isOver,
  LONG_RATE_LIMIT_MS,
  MAX_TRANSIENT_ATTEMPTS,
  PROVISIONING_LEASE_MS,
  resumeWaitingSessions,
} from "./provisioning";

/**
 * Cleanup of a session's Discord space (SPEC §6): delete the channel, then the role. A 404 (Unknown
 * Channel / Unknown Role) counts as done, so cleanup can run any number of times; the state ends
 * `cleaned` and the ledger marks both resources deleted. Freed room restarts sessions that wait in
 * `waiting_for_window`.
 *
 * Triggers: cancellation (at once), completion (after {@link COMPLETED_CLEANUP_DELAY_MS}), the admin
 * dashboard (one session or all finished ones) and the hourly maintenance (sessions that ended more
 * than {@link CRON_CLEANUP_AFTER_MS} ago, or were cancelled).
 */

/** Delay between marking a session completed and deleting its channel, in ms (5 minutes). */
export const COMPLETED_CLEANUP_DELAY_MS = 5 * 60 * 1000;
/** The hourly maintenance cleans sessions that ended more than this long ago (1 hour). */
export const CRON_CLEANUP_AFTER_MS = 60 * 60 * 1000;
/** Delay between the starts of cleanups scheduled together (at most 20 start per second), in ms. */
export const BULK_CLEANUP_STAGGER_MS = 50;
/** Provisioning states in which a session may still hold Discord resources. */
export const STATES_WITH_RESOURCES = ["pending", "waiting_for_window", "provisioning", "ready", "failed", "cleaning"] as const;

/** What {@link claimCleanup} tells the action to do. */
export const cleanupPlanValidator = v.union(
  v.object({ kind: v.literal("skip"), reason: v.string() }),
  v.object({
    kind: v.literal("run"),
    leaseId: v.string(),
    sessionId: v.id("coachingSessions"),
    roleId: v.union(v.string(), v.null()),
    channelId: v.union(v.string(), v.null()),
    roleName: v.string(),
    channelName: v.string(),
    /** Resources that a run may have created without recording them: find them by name. */
    lookUpRole: v.boolean(),
    lookUpChannel: v.boolean(),
    heldSlots: v.array(heldSlotValidator),
    auditReason: v.string(),
  }),
);
export type CleanupPlan = Infer<typeof cleanupPlanValidator>;

export const cleanupOutcomeValidator = v.union(
  v.object({ kind: v.literal("cleaned"), freedRoles: v.number(), freedChannels: v.number() }),
  v.object({
    kind: v.literal("rate_limited"),
    retryAfterMs: v.number(),
    message: v.string(),
    heldSlots: v.optional(v.array(heldSlotValidator)),
  }),
  v.object({ kind: v.literal("transient"), message: v.string() }),
  v.object({ kind: v.literal("failed"), message: v.string() }),
);
export type CleanupOutcome = Infer<typeof cleanupOutcomeValidator>;

/** True when the session may still hold something in Discord. */
export function mayHoldDiscordResources(session: Doc<"coachingSessions">): boolean {
  return (
    session.discordRoleId !== undefined ||
    session.discordChannelId !== undefined ||
    session.discordRoleCreateAttempted ||
    session.discordChannelCreateAttempted
  );
}

/** Schedules `internal.discordProvisioning.cleanup` after `delayMs` and records when. */
async function scheduleCleanupRun(ctx: MutationCtx, sessionId: Id<"coachingSessions">, delayMs: number, now: number) {
  await ctx.scheduler.runAfter(delayMs, internal.discordProvisioning.cleanup, { sessionId });
  await ctx.db.patch("coachingSessions", sessionId, { provisioningNextAttemptAt: now + delayMs });
}

/**
 * Asks for a session's cleanup after `delayMs` (0 = now). A session that never touched Discord is
 * marked `cleaned` right away (or stays `not_configured`); nothing is scheduled for it.
 */
export async function requestCleanup(ctx: MutationCtx, sessionId: Id<"coachingSessions">, delayMs: number): Promise<void> {
  const session = await ctx.db.get("coachingSessions", sessionId);
  if (session === null) return;
  const now = Date.now();
  if (session.provisioningState === "cleaned" || session.provisioningState === "not_configured") return;
  if (!mayHoldDiscordResources(session) && session.provisioningLeaseId === undefined) {
    await ctx.db.patch("coachingSessions", sessionId, {
      provisioningState: "cleaned",
      cleanedAt: now,
      provisioningNextAttemptAt: undefined,
      provisioningLastError: undefined,
    });
    return;
  }
  await scheduleCleanupRun(ctx, sessionId, delayMs, now);
}

/**
 * Starts a cleanup run if it may proceed: the session is over (cancelled, completed or ended), not
 * cleaned yet, and no provisioning run holds it (then cleanup is rescheduled for when that lease
 * ends). Marks the session `cleaning` with a fresh lease.
 * @param now epoch ms.
 */
export async function claimCleanup(ctx: MutationCtx, sessionId: Id<"coachingSessions">, now: number): Promise<CleanupPlan> {
  const session = await ctx.db.get("coachingSessions", sessionId);
  if (session === null) return { kind: "skip", reason: "the session no longer exists" };
  if (session.provisioningState === "cleaned") return { kind: "skip", reason: "already cleaned" };
  if (session.provisioningState === "not_configured") return { kind: "skip", reason: "Discord is not configured" };
  if (!isOver(session, now)) return { kind: "skip", reason: "the session is not over" };
  const leaseHeld = session.provisioningLeaseId !== undefined && (session.provisioningLeaseExpiresAt ?? 0) > now;
  if (leaseHeld) {
    if (session.provisioningState !== "cleaning") {
      await scheduleCleanupRun(ctx, sessionId, (session.provisioningLeaseExpiresAt ?? now) - now + 1000, now);
    }
    return { kind: "skip", reason: "another run is working on the session" };
  }
  if (!mayHoldDiscordResources(session)) {
    await ctx.db.patch("coachingSessions", sessionId, {
      provisioningState: "cleaned",
      cleanedAt: now,
      discordSetupComplete: false,
      provisioningNextAttemptAt: undefined,
      provisioningLastError: undefined,
    });
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
  const roleId = await stillLive(session.discordRoleId);
  const channelId = await stillLive(session.discordChannelId);
  const leaseId = crypto.randomUUID();
  await ctx.db.patch("coachingSessions", sessionId, {
    provisioningState: "cleaning",
    provisioningLeaseId: leaseId,
    provisioningLeaseExpiresAt: now + PROVISIONING_LEASE_MS,
    provisioningNextAttemptAt: undefined,
    discordHeldSlots: undefined,
  });
  return {
    kind: "run",
    leaseId,
    sessionId,
    roleId,
    channelId,
    roleName: sessionRoleName(session.discordKey),
    channelName: sessionChannelName(session.discordKey),
    lookUpRole: session.discordRoleId === undefined && session.discordRoleCreateAttempted,
    lookUpChannel: session.discordChannelId === undefined && session.discordChannelCreateAttempted,
    heldSlots: await usableHeldSlots(ctx, session.discordHeldSlots ?? [], now),
    auditReason: auditReasonFor(session, "clean up the private coaching space"),
  };
}

/**
 * Applies a cleanup run's outcome (ignored when another run took the lease over): `cleaned` and
 * restart of waiting sessions; a 429 reschedules after `retry_after`; transient errors retry with
 * backoff up to {@link MAX_TRANSIENT_ATTEMPTS}, then `failed`; permission problems `failed` at once.
 */
export async function finishCleanup(
  ctx: MutationCtx,
  args: { sessionId: Id<"coachingSessions">; leaseId: string; outcome: CleanupOutcome },
  now: number,
): Promise<void> {
  const session = await ctx.db.get("coachingSessions", args.sessionId);
  if (session === null || session.provisioningLeaseId !== args.leaseId) return;
  const release = { provisioningLeaseId: undefined, provisioningLeaseExpiresAt: undefined };
  const { outcome } = args;
  switch (outcome.kind) {
    case "cleaned":
      await ctx.db.patch("coachingSessions", session._id, {
        ...release,
        provisioningState: "cleaned",
        cleanedAt: now,
        discordSetupComplete: false,
        provisioningAttempts: 0,
        provisioningLastError: undefined,
        provisioningNextAttemptAt: undefined,
      });
      await resumeWaitingSessions(ctx, Math.max(outcome.freedRoles, outcome.freedChannels), now);
      return;
    case "rate_limited":
      await ctx.db.patch("coachingSessions", session._id, {
        ...release,
        discordHeldSlots: outcome.heldSlots !== undefined && outcome.heldSlots.length > 0 ? outcome.heldSlots : undefined,
        provisioningLastError:
          outcome.retryAfterMs > LONG_RATE_LIMIT_MS ? `Cleanup is rate limited by Discord: ${outcome.message}` : session.provisioningLastError,
      });
      await scheduleCleanupRun(ctx, session._id, outcome.retryAfterMs, now);
      return;
    case "transient": {
      const attempts = session.provisioningAttempts + 1;
      if (attempts >= MAX_TRANSIENT_ATTEMPTS) {
        await ctx.db.patch("coachingSessions", session._id, {
          ...release,
          provisioningState: "failed",
          provisioningAttempts: attempts,
          provisioningLastError: `Cleanup gave up after ${attempts} failed attempts: ${outcome.message}. Press Clean up to try again.`,
          provisioningNextAttemptAt: undefined,
        });
        return;
      }
      await ctx.db.patch("coachingSessions", session._id, {
        ...release,
        provisioningAttempts: attempts,
        provisioningLastError: `Cleanup attempt ${attempts} failed: ${outcome.message}. Retrying automatically.`,
      });
      await scheduleCleanupRun(ctx, session._id, backoffDelayMs(attempts), now);
      return;
    }
    case "failed":
      await ctx.db.patch("coachingSessions", session._id, {
        ...release,
        provisioningState: "failed",
        provisioningAttempts: session.provisioningAttempts + 1,
        provisioningLastError: outcome.message,
        provisioningNextAttemptAt: undefined,
      });
      return;
  }
}

/**
 * Claims and runs one session's cleanup against Discord, then reports the outcome. Used by the
 * internal action `discordProvisioning:cleanup`.
 */
export async function runCleanup(ctx: ActionCtx, sessionId: Id<"coachingSessions">): Promise<void> {
  const plan = await ctx.runMutation(internal.discordProvisioning.claimCleanupRun, { sessionId });
  if (plan.kind === "skip") return;
  let outcome: CleanupOutcome;
  const pacer = new Pacer(ctx, plan.heldSlots);
  try {
    const config = readDiscordConfig();
    if (config === null) throw new Error("Discord is not configured (DISCORD_BOT_TOKEN, DISCORD_GUILD_ID, DISCORD_BOT_USER_ID).");
    outcome = await executeCleanup(ctx, new DiscordClient(config, { fetch: pacer.fetch, maxRateLimitWaitMs: 0 }), pacer, plan);
  } catch (error) {
    outcome = { kind: "failed", message: `Cleanup stopped: ${error instanceof Error ? error.message : String(error)}` };
  }
  await pacer.flush();
  await ctx.runMutation(internal.discordProvisioning.finishCleanupRun, { sessionId, leaseId: plan.leaseId, outcome });
}

async function executeCleanup(
  ctx: ActionCtx,
  client: DiscordClient,
  pacer: Pacer,
  plan: Extract<CleanupPlan, { kind: "run" }>,
): Promise<CleanupOutcome> {
  const gone = (discordId: string) => ctx.runMutation(internal.discordProvisioning.markResourceGone, { discordId });
  let freedChannels = 0;
  let freedRoles = 0;
  try {
    // The first request of each step gets its send time now, in one call: role deletions (a shared
    // route bucket) need not wait for the channel deletion's turn.
    const channelBucket = plan.channelId !== null ? BUCKETS.deleteChannel : plan.lookUpChannel ? BUCKETS.listChannels : undefined;
    const roleBucket = plan.roleId !== null ? BUCKETS.deleteRole : plan.lookUpRole ? BUCKETS.listRoles : undefined;
    const tickets = await pacer.tickets([channelBucket, roleBucket].filter((bucket) => bucket !== undefined));
    const channelTicket = channelBucket !== undefined ? tickets.shift() : undefined;
    const roleTicket = roleBucket !== undefined ? tickets.shift() : undefined;
    /** Runs `call` on the step's ticket the first time, on a fresh one afterwards. */
    const first = <T>(ticket: Ticket | undefined, bucket: string | null, call: () => Promise<T>) =>
      ticket !== undefined ? pacer.send(ticket, call) : pacer.paced(bucket, call);

    const channelIds = plan.channelId !== null ? [plan.channelId] : [];
    let ticket = channelTicket;
    if (plan.lookUpChannel && plan.channelId === null) {
      const channels = await first(ticket, BUCKETS.listChannels, () => client.listChannels());
      ticket = undefined;
      channelIds.push(...channels.filter((channel) => channel.name === plan.channelName).map((channel) => channel.id));
    }
    for (const channelId of channelIds) {
      await first(ticket, BUCKETS.deleteChannel, () => client.deleteChannel(channelId, `${plan.auditReason}: delete the voice channel`));
      ticket = undefined;
      await gone(channelId);
      freedChannels += 1;
    }
    const roleIds = plan.roleId !== null ? [plan.roleId] : [];
    ticket = roleTicket;
    if (plan.lookUpRole && plan.roleId === null) {
      const roles = await first(ticket, BUCKETS.listRoles, () => client.listRoles());
      ticket = undefined;
      roleIds.push(...roles.filter((role) => role.name === plan.roleName).map((role) => role.id));
    }
    for (const roleId of roleIds) {
      await first(ticket, BUCKETS.deleteRole, () => client.deleteRole(roleId, `${plan.auditReason}: delete the session role`));
      ticket = undefined;
      await gone(roleId);
      freedRoles += 1;
    }
  } catch (error) {
    if (error instanceof DeferredRequest) {
      return {
        kind: "rate_limited",
        retryAfterMs: error.retryAfterMs(),
        message: error.message,
        heldSlots: [...error.heldSlots, ...pacer.unusedSlots()],
      };
    }
    if (!isDiscordRequestError(error)) {
      return { kind: "transient", message: error instanceof Error ? error.message : String(error) };
    }
    const c = error.classification;
    if (c.kind === "rate_limited") return { kind: "rate_limited", retryAfterMs: c.retryAfterMs, message: error.message };
    if (c.kind === "transient") return { kind: "transient", message: error.message };
    return { kind: "failed", message: `Cleanup stopped: ${error.message}` };
  }
  return { kind: "cleaned", freedRoles, freedChannels };
}

/**
 * Sessions the hourly maintenance cleans: over for more than an hour (any state that may hold
 * resources), or cancelled. At most `limit` of each kind, by index.
 * @param now epoch ms.
 */
export async function sessionsDueForCleanup(ctx: QueryCtx, now: number, limit: number): Promise<Doc<"coachingSessions">[]> {
  const due = new Map<Id<"coachingSessions">, Doc<"coachingSessions">>();
  for (const state of STATES_WITH_RESOURCES) {
    const ended = await ctx.db
      .query("coachingSessions")
      .withIndex("by_provisioningState_and_endTime", (q) => q.eq("provisioningState", state).lt("endTime", now - CRON_CLEANUP_AFTER_MS))
      .take(limit);
    for (const session of ended) due.set(session._id, session);
    const cancelled = await ctx.db
      .query("coachingSessions")
      .withIndex("by_status_and_provisioningState", (q) => q.eq("status", "CANCELLED").eq("provisioningState", state))
      .take(limit);
    for (const session of cancelled) due.set(session._id, session);
  }
  return [...due.values()];
}

/**
 * Every finished session that may still hold Discord resources (cancelled, completed, or ended), at
 * most `limit` per state: what "Clean up all finished" on the dashboard cleans.
 */
export async function finishedSessionsWithResources(ctx: QueryCtx, now: number, limit: number): Promise<Doc<"coachingSessions">[]> {
  const found = new Map<Id<"coachingSessions">, Doc<"coachingSessions">>();
  for (const state of STATES_WITH_RESOURCES) {
    for (const status of ["CANCELLED", "COMPLETED"] as const) {
      const rows = await ctx.db
        .query("coachingSessions")
        .withIndex("by_status_and_provisioningState", (q) => q.eq("status", status).eq("provisioningState", state))
        .take(limit);
      for (const session of rows) found.set(session._id, session);
    }
    const ended = await ctx.db
      .query("coachingSessions")
      .withIndex("by_provisioningState_and_endTime", (q) => q.eq("provisioningState", state).lte("endTime", now))
      .take(limit);
    for (const session of ended) found.set(session._id, session);
  }
  return [...found.values()];
}

/**
 * Schedules cleanup of `sessions`, starting {@link BULK_CLEANUP_STAGGER_MS} apart (skipping ones a
 * cleanup run holds or that have a run scheduled); returns how many.
 */
export async function scheduleCleanups(ctx: MutationCtx, sessions: Doc<"coachingSessions">[], now: number): Promise<number> {
  let scheduled = 0;
  for (const session of sessions) {
    if (session.provisioningState === "cleaning" && (session.provisioningLeaseExpiresAt ?? 0) > now) continue;
    if (session.provisioningNextAttemptAt !== undefined && session.provisioningNextAttemptAt > now && session.provisioningState !== "failed") {
      continue;
    }
    // Bulk cleanups start staggered, so that hundreds of runs do not all wake at the same instant.
    await requestCleanup(ctx, session._id, scheduled * BULK_CLEANUP_STAGGER_MS);
    scheduled += 1;
  }
  return scheduled;
}
