import { v, type Infer } from "convex/values";
import type { Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { notifySessionEvent } from "../notifications/sessionNotices";
import { capacityShortfall } from "./capacity";
import { isDiscordConfigured, provisionLeadMinutes } from "./config";
import { isSetupComplete, participantsOf, participantValidator, recordRoleGrants } from "./grants";
import { applyRetryOutcome, isLeaseHeld, MAX_TRANSIENT_ATTEMPTS, RELEASE_LEASE, retryOutcomeValidator, runPlanFields, scheduleRun, skipPlanValidator, takeLease } from "./lease";
import { recordResourceGone } from "./ledger";
import { auditReasonFor, sessionChannelName, sessionRoleName } from "./names";
import { isOver, spaceOf, withoutDiscordResources } from "./spaces";
import { requestCleanup } from "./cleanup";

/**
 * Database side of a space's provisioning (SPEC §6): the decisions at the start and the end of a
 * run. The action in `provisioningRun.ts` does the Discord calls.
 *
 * - {@link claimProvisioning} decides whether a run may proceed (Discord configured, session still
 *   live, inside the lead window, room in the guild, no other run holding the lease) and returns the
 *   plan: what exists, what to look up by name, and whom to give the role;
 * - {@link finishProvisioning} applies the run's outcome: `ready`, `waiting_for_window` (guild
 *   limits), a fresh start (the role vanished), or the common retry outcomes of `lease.ts`. A session
 *   cancelled during the run is handed to cleanup at once.
 */

/** What {@link claimProvisioning} tells the action to do. */
export const provisioningPlanValidator = v.union(
  skipPlanValidator,
  v.object({
    ...runPlanFields,
    /** Linked participants who do not hold the role yet. */
    grants: v.array(participantValidator),
  }),
);
export type ProvisioningPlan = Infer<typeof provisioningPlanValidator>;

/**
 * Whether a create request for the role / channel may have reached Discord by the end of a run (a
 * run that was deferred before sending one leaves nothing to look up by name).
 */
export const createAttemptsValidator = v.object({ role: v.boolean(), channel: v.boolean() });

/** How a run ended, as the action reports it to {@link finishProvisioning}. */
export const provisioningOutcomeValidator = v.union(
  /**
   * Role and channel exist. `notes` explains grants that could not be made; `unreachable` lists the
   * Discord user ids concerned (e.g. not a member of the guild), which are not retried by themselves.
   */
  v.object({ kind: v.literal("ready"), notes: v.array(v.string()), unreachable: v.array(v.string()) }),
  ...retryOutcomeValidator.members,
  /** The guild is at a limit (roles, channels, channels per category). */
  v.object({ kind: v.literal("limit"), message: v.string() }),
  /** The session role vanished (deleted by hand); the run deleted the channel too; start over. */
  v.object({ kind: v.literal("role_missing"), message: v.string() }),
  /** The session was cancelled or finished while the run worked; it stopped at its next step. */
  v.object({ kind: v.literal("stopped"), message: v.string() }),
);
export type ProvisioningOutcome = Infer<typeof provisioningOutcomeValidator>;

/**
 * Starts a provisioning run if it may proceed; see the module comment. Side effects: the space
 * becomes `provisioning` (or stays `ready` when only role grants are missing) with a fresh lease, and
 * the create-attempted flags are set for what this run will create; or it is moved to
 * `not_configured`, `pending` (before the window; a run is scheduled at its start) or
 * `waiting_for_window` (no room in the guild).
 * @param now epoch ms.
 */
export async function claimProvisioning(
  ctx: MutationCtx,
  sessionId: Id<"coachingSessions">,
  now: number,
): Promise<ProvisioningPlan> {
  const session = await ctx.db.get("coachingSessions", sessionId);
  const space = await spaceOf(ctx, sessionId);
  if (session === null || space === null) return { kind: "skip", reason: "the session no longer exists" };
  if (isOver(space, now)) return { kind: "skip", reason: "the session is over; cleanup takes care of it" };
  if (space.state === "cleaning" || space.state === "cleaned") {
    return { kind: "skip", reason: `the session is ${space.state}` };
  }
  if (space.releaseRequested) return { kind: "skip", reason: "the session moved out of its lead window; cleanup releases its space first" };
  if (!isDiscordConfigured()) {
    await ctx.db.patch("discordSpaces", space._id, { state: "not_configured", nextAttemptAt: undefined });
    return { kind: "skip", reason: "Discord is not configured" };
  }
  if (isLeaseHeld(space, now)) return { kind: "skip", reason: "another run is working on the session" };
  const windowStart = space.startTime - provisionLeadMinutes() * 60 * 1000;
  if (now < windowStart) {
    if (space.nextAttemptAt === undefined || space.nextAttemptAt < windowStart - 1000) {
      await scheduleRun(ctx, space._id, sessionId, "provision", windowStart - now, now);
    }
    if (space.state !== "pending") await ctx.db.patch("discordSpaces", space._id, { state: "pending" });
    return { kind: "skip", reason: "provisioning starts at the beginning of the lead window" };
  }
  const needRole = space.roleId === undefined;
  const needChannel = space.channelId === undefined;
  const shortfall = await capacityShortfall(ctx, space._id, needRole, needChannel);
  if (shortfall !== null) {
    await ctx.db.patch("discordSpaces", space._id, {
      ...RELEASE_LEASE,
      state: "waiting_for_window",
      lastError: shortfall,
      nextAttemptAt: undefined,
    });
    return { kind: "skip", reason: shortfall };
  }
  const participants = await participantsOf(ctx, session);
  const grants = participants.filter((p) => !space.roleGrantedTo.includes(p.discordUserId));
  if (!needRole && !needChannel && grants.length === 0) {
    await ctx.db.patch("discordSpaces", space._id, {
      state: "ready",
      setupComplete: await isSetupComplete(ctx, session, space),
      nextAttemptAt: undefined,
    });
    return { kind: "skip", reason: "nothing left to do" };
  }
  const lease = takeLease(now);
  await ctx.db.patch("discordSpaces", space._id, {
    ...lease,
    state: needRole || needChannel ? "provisioning" : space.state === "ready" ? "ready" : "provisioning",
    roleCreateAttempted: space.roleCreateAttempted || needRole,
    channelCreateAttempted: space.channelCreateAttempted || needChannel,
  });
  return {
    kind: "run",
    leaseId: lease.leaseId,
    sessionId,
    roleName: sessionRoleName(space.key),
    channelName: sessionChannelName(space.key),
    roleId: space.roleId ?? null,
    channelId: space.channelId ?? null,
    lookUpRole: needRole && space.roleCreateAttempted,
    lookUpChannel: needChannel && space.channelCreateAttempted,
    grants,
    auditReason: auditReasonFor(space, "private coaching space"),
  };
}

/**
 * True while the run holding `leaseId` should go on: the space still exists, that run still holds
 * it, and the session is neither cancelled nor finished nor being cleaned up or released. Each step of a run
 * asks this before it calls Discord.
 */
export async function isRunStillWanted(ctx: QueryCtx, sessionId: Id<"coachingSessions">, leaseId: string): Promise<boolean> {
  const space = await spaceOf(ctx, sessionId);
  return (
    space !== null &&
    space.leaseId === leaseId &&
    space.finishedAs === undefined &&
    space.releaseRequested === undefined &&
    space.state !== "cleaning" &&
    space.state !== "cleaned"
  );
}

/**
 * Applies the outcome of the run holding `leaseId` (a superseded run's report is ignored) and
 * schedules what comes next. See the module comment for the rules.
 * @param args.attempted whether the run's create requests may have reached Discord;
 * `args.granted` the role grants it made (recorded first: a grant is idempotent).
 * @param now epoch ms.
 */
export async function finishProvisioning(
  ctx: MutationCtx,
  args: {
    sessionId: Id<"coachingSessions">;
    leaseId: string;
    outcome: ProvisioningOutcome;
    attempted?: Infer<typeof createAttemptsValidator>;
    granted?: { roleId: string; discordUserIds: string[] };
  },
  now: number,
): Promise<void> {
  if (args.granted !== undefined) await recordRoleGrants(ctx, args.sessionId, args.granted.roleId, args.granted.discordUserIds);
  const session = await ctx.db.get("coachingSessions", args.sessionId);
  const space = await spaceOf(ctx, args.sessionId);
  if (session === null || space === null || space.leaseId !== args.leaseId) return;
  const attempted =
    args.attempted === undefined
      ? {}
      : {
          ...(space.roleId === undefined ? { roleCreateAttempted: args.attempted.role } : {}),
          ...(space.channelId === undefined ? { channelCreateAttempted: args.attempted.channel } : {}),
        };
  const { outcome } = args;
  if (space.state === "cleaning" || space.state === "cleaned") {
    await ctx.db.patch("discordSpaces", space._id, { ...attempted, ...RELEASE_LEASE });
    return;
  }
  if (isOver(space, now) || space.releaseRequested) {
    // Cancelled, finished or moved out of its window while the run worked: what exists is deleted now, not at lease expiry.
    await ctx.db.patch("discordSpaces", space._id, { ...attempted, ...RELEASE_LEASE });
    await requestCleanup(ctx, args.sessionId, 0, now);
    return;
  }
  if (Object.keys(attempted).length > 0) await ctx.db.patch("discordSpaces", space._id, attempted);
  const current = { ...space, ...attempted };
  switch (outcome.kind) {
    case "ready": {
      await ctx.db.patch("discordSpaces", space._id, {
        ...RELEASE_LEASE,
        state: "ready",
        setupComplete: await isSetupComplete(ctx, session, space),
        attempts: 0,
        lastError: outcome.notes.length > 0 ? outcome.notes.join(" ") : undefined,
        provisionedAt: space.provisionedAt ?? now,
      });
      // First time the private channel is ready: tell the student and the coach where to meet.
      if (space.provisionedAt === undefined) {
        await notifySessionEvent(ctx, { kind: "coaching", entityId: session._id, event: "discordReady" });
      }
      // Someone linked Discord while this run was working: give them the role too.
      const participants = await participantsOf(ctx, session);
      const missed = participants.filter(
        (p) => !space.roleGrantedTo.includes(p.discordUserId) && !outcome.unreachable.includes(p.discordUserId),
      );
      if (missed.length > 0) await scheduleRun(ctx, space._id, session._id, "provision", 0, now);
      return;
    }
    case "rate_limited":
    case "transient":
    case "failed":
      await applyRetryOutcome(ctx, current, "provision", outcome, now, (retryAfterMs, message) => ({
        state: "waiting_for_window",
        lastError: `Discord is rate limiting role or channel creation; provisioning resumes at ${new Date(now + retryAfterMs).toISOString()}. (${message})`,
      }));
      return;
    case "stopped":
      // The space gained another role or channel meanwhile: a fresh run looks at what is there now.
      await ctx.db.patch("discordSpaces", space._id, RELEASE_LEASE);
      await scheduleRun(ctx, space._id, session._id, "provision", 0, now);
      return;
    case "limit":
      await ctx.db.patch("discordSpaces", space._id, {
        ...RELEASE_LEASE,
        state: "waiting_for_window",
        lastError: `${outcome.message} Provisioning resumes when cleanup frees room.`,
        nextAttemptAt: undefined,
      });
      return;
    case "role_missing": {
      const attempts = space.attempts + 1;
      if (space.roleId !== undefined) await recordResourceGone(ctx, space.roleId, now);
      if (space.channelId !== undefined) await recordResourceGone(ctx, space.channelId, now);
      await ctx.db.patch("discordSpaces", space._id, {
        ...RELEASE_LEASE,
        state: attempts >= MAX_TRANSIENT_ATTEMPTS ? "failed" : "provisioning",
        attempts,
        lastError: outcome.message,
        ...withoutDiscordResources(),
      });
      if (attempts < MAX_TRANSIENT_ATTEMPTS) await scheduleRun(ctx, space._id, session._id, "provision", 0, now);
      return;
    }
  }
}
