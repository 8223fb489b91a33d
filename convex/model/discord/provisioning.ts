import { v, type Infer } from "convex/values";
import { internal } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import { discordResourceKindValidator } from "../../tables/coaching";
import { capacityShortfall, countResource } from "./capacity";
import { isDiscordConfigured, provisionLeadMinutes } from "./config";
import { fallbackDiscordKey, primaryDiscordKey, sessionChannelName, sessionRoleName } from "./names";
import { BUCKETS, heldSlotValidator, reserveSendTime, usableHeldSlots } from "./pacing";
import { notifySessionEvent } from "../notifications/sessionNotices";

/**
 * Database side of Discord provisioning (SPEC §6). The action in `provisioningRun.ts` does the Discord
 * calls; every decision and every write happens here, in mutations:
 *
 * - {@link claimProvisioning} decides whether a run may proceed (Discord configured, session still
 *   live, inside the lead window, room in the guild, no other run holding the lease) and returns the
 *   plan: what exists, what to look up by name, whom to give the role, and the send times held in
 *   the shared pacing (`pacing.ts`; the role's is reserved here, in booking order);
 * - {@link recordResource} / {@link recordRoleGrant} store each Discord id the moment Discord returns
 *   it (and the ledger row), so a crash never loses a created resource;
 * - {@link finishProvisioning} applies the run's outcome: `ready`, a rescheduled retry (429 after
 *   `retry_after`; 5xx / network with exponential backoff up to {@link MAX_TRANSIENT_ATTEMPTS}),
 *   `failed` (permission problems at once), or `waiting_for_window` (guild limits).
 *
 * A run holds a lease (`provisioningLeaseId` until `provisioningLeaseExpiresAt`); writes of a run
 * whose lease was taken over are ignored, and a crashed run's lease simply expires.
 */

/** How long one run may hold a session, in ms (a run normally takes seconds). */
export const PROVISIONING_LEASE_MS = 2 * 60 * 1000;
/** Transient failures (5xx, network, timeout) in a row before a session is marked `failed`. */
export const MAX_TRANSIENT_ATTEMPTS = 5;
/** First retry delay after a transient failure, doubled each attempt, in ms. */
export const BACKOFF_BASE_MS = 2_000;
/** Longest retry delay after a transient failure, in ms. */
export const BACKOFF_MAX_MS = 5 * 60 * 1000;
/** A 429 asking to wait longer than this (ms) puts the session into `waiting_for_window` until then. */
export const LONG_RATE_LIMIT_MS = 60 * 1000;

/** Retry delay after the `attempt`-th transient failure (1-based): 2 s, 4 s, 8 s … capped at 5 min. */
export function backoffDelayMs(attempt: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
}

/** A participant who should hold the session role. */
export const participantValidator = v.object({
  userId: v.id("users"),
  name: v.string(),
  discordUserId: v.string(),
  who: v.union(v.literal("student"), v.literal("coach")),
});

/** What {@link claimProvisioning} tells the action to do. */
export const provisioningPlanValidator = v.union(
  v.object({ kind: v.literal("skip"), reason: v.string() }),
  v.object({
    kind: v.literal("run"),
    leaseId: v.string(),
    sessionId: v.id("coachingSessions"),
    roleName: v.string(),
    channelName: v.string(),
    roleId: v.union(v.string(), v.null()),
    channelId: v.union(v.string(), v.null()),
    /** A previous run may have created the role / channel without saving its id: look it up by name first. */
    lookUpRole: v.boolean(),
    lookUpChannel: v.boolean(),
    /** Linked participants who do not hold the role yet. */
    grants: v.array(participantValidator),
    /** Send times a previous run reserved in the shared pacing and handed on. */
    heldSlots: v.array(heldSlotValidator),
    /** Audit-log reason naming the session. */
    auditReason: v.string(),
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
  /** Discord (or the shared pacing) asks to wait `retryAfterMs`; `heldSlots` are reservations for the next run. */
  v.object({
    kind: v.literal("rate_limited"),
    retryAfterMs: v.number(),
    message: v.string(),
    heldSlots: v.optional(v.array(heldSlotValidator)),
  }),
  v.object({ kind: v.literal("transient"), message: v.string() }),
  /** Will not get better by itself (permissions, role hierarchy, bad configuration). */
  v.object({ kind: v.literal("failed"), message: v.string() }),
  /** The guild is at a limit (roles, channels, channels per category). */
  v.object({ kind: v.literal("limit"), message: v.string() }),
  /** The session role vanished (deleted by hand); the run deleted the channel too; start over. */
  v.object({ kind: v.literal("role_missing"), message: v.string() }),
);
export type ProvisioningOutcome = Infer<typeof provisioningOutcomeValidator>;

/** Audit-log reason of every Discord change made for a session. */
export function auditReasonFor(session: Pick<Doc<"coachingSessions">, "_id" | "startTime">, action: string): string {
  return `Sessions Hub coaching session ${session._id} (${new Date(session.startTime).toISOString()}): ${action}`;
}

function isLeaseHeld(session: Doc<"coachingSessions">, now: number): boolean {
  return session.provisioningLeaseId !== undefined && (session.provisioningLeaseExpiresAt ?? 0) > now;
}

/** True when the session is cancelled, completed or over (`now` epoch ms). */
export function isOver(session: Pick<Doc<"coachingSessions">, "status" | "endTime">, now: number): boolean {
  return session.status === "CANCELLED" || session.status === "COMPLETED" || session.endTime <= now;
}

/**
 * Gives a new session its Discord key: the last 8 characters of its id, or a derived one when a
 * session that still holds Discord resources already uses it.
 */
export async function assignDiscordKey(ctx: MutationCtx, sessionId: Id<"coachingSessions">): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const key = attempt === 0 ? primaryDiscordKey(sessionId) : fallbackDiscordKey(sessionId, attempt);
    const holders = await ctx.db
      .query("coachingSessions")
      .withIndex("by_discordKey", (q) => q.eq("discordKey", key))
      .take(10);
    if (holders.every((holder) => holder._id === sessionId || holder.provisioningState === "cleaned")) {
      await ctx.db.patch("coachingSessions", sessionId, { discordKey: key });
      return key;
    }
  }
  throw new Error(`could not find a free Discord key for session ${sessionId}`);
}

/**
 * Schedules the provisioning run of a new booking: now when it starts within
 * DISCORD_PROVISION_LEAD_MINUTES, else at the start of that window (state `pending` either way), or
 * marks it `not_configured` when Discord is not configured.
 * @param startTime / now epoch ms.
 */
export async function scheduleInitialProvisioning(
  ctx: MutationCtx,
  sessionId: Id<"coachingSessions">,
  startTime: number,
  now: number,
): Promise<void> {
  if (!isDiscordConfigured()) {
    await ctx.db.patch("coachingSessions", sessionId, { provisioningState: "not_configured" });
    return;
  }
  const windowStart = startTime - provisionLeadMinutes() * 60 * 1000;
  await scheduleProvisioningRun(ctx, sessionId, Math.max(0, windowStart - now), now);
}

/** Schedules `internal.discordProvisioning.provision` after `delayMs` and records when. */
export async function scheduleProvisioningRun(
  ctx: MutationCtx,
  sessionId: Id<"coachingSessions">,
  delayMs: number,
  now: number,
): Promise<void> {
  await ctx.scheduler.runAfter(delayMs, internal.discordProvisioning.provision, { sessionId });
  await ctx.db.patch("coachingSessions", sessionId, { provisioningNextAttemptAt: now + delayMs });
}

async function participantsOf(ctx: MutationCtx, session: Doc<"coachingSessions">) {
  const people = [
    { who: "student" as const, user: await ctx.db.get("users", session.studentId) },
    { who: "coach" as const, user: await ctx.db.get("users", session.coachId) },
  ];
  return people.flatMap(({ who, user }) =>
    user !== null && user.active && user.discordUserId
      ? [{ userId: user._id, name: user.name, discordUserId: user.discordUserId, who }]
      : [],
  );
}

/** True when both participants are linked and hold the role. */
async function isSetupComplete(ctx: MutationCtx, session: Doc<"coachingSessions">): Promise<boolean> {
  if (session.discordRoleId === undefined || session.discordChannelId === undefined) return false;
  const participants = await participantsOf(ctx, session);
  return participants.length === 2 && participants.every((p) => session.discordRoleGrantedTo.includes(p.discordUserId));
}

/**
 * Starts a provisioning run if it may proceed; see the module comment. Side effects: the session
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
  if (session === null) return { kind: "skip", reason: "the session no longer exists" };
  if (isOver(session, now)) return { kind: "skip", reason: "the session is over; cleanup takes care of it" };
  if (session.provisioningState === "cleaning" || session.provisioningState === "cleaned") {
    return { kind: "skip", reason: `the session is ${session.provisioningState}` };
  }
  if (!isDiscordConfigured()) {
    await ctx.db.patch("coachingSessions", sessionId, {
      provisioningState: "not_configured",
      provisioningNextAttemptAt: undefined,
    });
    return { kind: "skip", reason: "Discord is not configured" };
  }
  if (isLeaseHeld(session, now)) return { kind: "skip", reason: "another run is working on the session" };
  const windowStart = session.startTime - provisionLeadMinutes() * 60 * 1000;
  if (now < windowStart) {
    if (session.provisioningNextAttemptAt === undefined || session.provisioningNextAttemptAt < windowStart - 1000) {
      await scheduleProvisioningRun(ctx, sessionId, windowStart - now, now);
    }
    await ctx.db.patch("coachingSessions", sessionId, { provisioningState: "pending" });
    return { kind: "skip", reason: "provisioning starts at the beginning of the lead window" };
  }
  const needRole = session.discordRoleId === undefined;
  const needChannel = session.discordChannelId === undefined;
  const shortfall = await capacityShortfall(ctx, sessionId, needRole, needChannel);
  if (shortfall !== null) {
    await ctx.db.patch("coachingSessions", sessionId, {
      provisioningState: "waiting_for_window",
      provisioningLastError: shortfall,
      provisioningNextAttemptAt: undefined,
      provisioningLeaseId: undefined,
      provisioningLeaseExpiresAt: undefined,
    });
    return { kind: "skip", reason: shortfall };
  }
  const participants = await participantsOf(ctx, session);
  const grants = participants.filter((p) => !session.discordRoleGrantedTo.includes(p.discordUserId));
  if (!needRole && !needChannel && grants.length === 0) {
    const complete = await isSetupComplete(ctx, session);
    await ctx.db.patch("coachingSessions", sessionId, {
      provisioningState: "ready",
      discordSetupComplete: complete,
      provisioningNextAttemptAt: undefined,
    });
    return { kind: "skip", reason: "nothing left to do" };
  }
  // The role's send time is reserved right here (in booking order), unless a previous run holds one.
  const heldSlots = await usableHeldSlots(ctx, session.discordHeldSlots ?? [], now);
  if (needRole && !session.discordRoleCreateAttempted && !heldSlots.some((slot) => slot.bucket === BUCKETS.createRole)) {
    const { at, reserved } = await reserveSendTime(ctx, BUCKETS.createRole, now);
    if (reserved) heldSlots.push({ bucket: BUCKETS.createRole, at });
  }
  const leaseId = crypto.randomUUID();
  await ctx.db.patch("coachingSessions", sessionId, {
    provisioningState: needRole || needChannel ? "provisioning" : session.provisioningState === "ready" ? "ready" : "provisioning",
    provisioningLeaseId: leaseId,
    provisioningLeaseExpiresAt: now + PROVISIONING_LEASE_MS,
    provisioningNextAttemptAt: undefined,
    discordRoleCreateAttempted: session.discordRoleCreateAttempted || needRole,
    discordChannelCreateAttempted: session.discordChannelCreateAttempted || needChannel,
    discordHeldSlots: undefined,
  });
  return {
    kind: "run",
    leaseId,
    sessionId,
    roleName: sessionRoleName(session.discordKey),
    channelName: sessionChannelName(session.discordKey),
    roleId: session.discordRoleId ?? null,
    channelId: session.discordChannelId ?? null,
    lookUpRole: needRole && session.discordRoleCreateAttempted,
    lookUpChannel: needChannel && session.discordChannelCreateAttempted,
    grants,
    heldSlots,
    auditReason: auditReasonFor(session, "private coaching space"),
  };
}

/**
 * Stores a role or channel Discord just created (or a run adopted by name): a ledger row (live) and,
 * when the session has none yet, its id on the session.
 * @returns `keep: false` when the session already has another resource of this kind or is being
 * cleaned up: the caller must delete this one (it would be an orphan).
 */
export async function recordResource(
  ctx: MutationCtx,
  args: {
    sessionId: Id<"coachingSessions">;
    kind: Infer<typeof discordResourceKindValidator>;
    discordId: string;
    name: string;
    categoryId: string | null;
  },
  now: number,
): Promise<{ keep: boolean }> {
  const existing = await ctx.db
    .query("discordResources")
    .withIndex("by_discordId", (q) => q.eq("discordId", args.discordId))
    .first();
  if (existing === null) {
    await ctx.db.insert("discordResources", {
      kind: args.kind,
      discordId: args.discordId,
      name: args.name,
      sessionId: args.sessionId,
      ...(args.kind === "channel" ? { categoryId: args.categoryId } : {}),
      live: true,
      createdAt: now,
    });
    await countResource(ctx, { kind: args.kind, categoryId: args.categoryId }, 1);
  }
  const session = await ctx.db.get("coachingSessions", args.sessionId);
  if (session === null || session.provisioningState === "cleaning" || session.provisioningState === "cleaned") {
    return { keep: false };
  }
  const current = args.kind === "role" ? session.discordRoleId : session.discordChannelId;
  if (current === args.discordId) return { keep: true };
  if (current !== undefined) return { keep: false };
  await ctx.db.patch(
    "coachingSessions",
    args.sessionId,
    args.kind === "role" ? { discordRoleId: args.discordId } : { discordChannelId: args.discordId },
  );
  return { keep: true };
}

/** Marks a Discord resource deleted (or found gone) in the ledger; unknown ids are ignored. */
export async function recordResourceGone(ctx: MutationCtx, discordId: string, now: number): Promise<void> {
  const rows = await ctx.db
    .query("discordResources")
    .withIndex("by_discordId", (q) => q.eq("discordId", discordId))
    .take(5);
  for (const row of rows) {
    if (!row.live) continue;
    await ctx.db.patch("discordResources", row._id, { live: false, deletedAt: now });
    await countResource(ctx, row, -1);
  }
}

/** Records that `discordUserId` now holds the session role. */
export async function recordRoleGrant(
  ctx: MutationCtx,
  sessionId: Id<"coachingSessions">,
  roleId: string,
  discordUserId: string,
): Promise<void> {
  const session = await ctx.db.get("coachingSessions", sessionId);
  if (session === null || session.discordRoleId !== roleId || session.discordRoleGrantedTo.includes(discordUserId)) return;
  await ctx.db.patch("coachingSessions", sessionId, {
    discordRoleGrantedTo: [...session.discordRoleGrantedTo, discordUserId],
  });
}

/**
 * Applies the outcome of the run holding `leaseId` (a superseded run's report is ignored) and
 * schedules what comes next. See the module comment for the rules.
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
  if (args.granted !== undefined) {
    for (const discordUserId of args.granted.discordUserIds) {
      await recordRoleGrant(ctx, args.sessionId, args.granted.roleId, discordUserId);
    }
  }
  const session = await ctx.db.get("coachingSessions", args.sessionId);
  if (session === null || session.provisioningLeaseId !== args.leaseId) return;
  if (args.attempted !== undefined) {
    await ctx.db.patch("coachingSessions", session._id, {
      ...(session.discordRoleId === undefined ? { discordRoleCreateAttempted: args.attempted.role } : {}),
      ...(session.discordChannelId === undefined ? { discordChannelCreateAttempted: args.attempted.channel } : {}),
    });
  }
  const release = { provisioningLeaseId: undefined, provisioningLeaseExpiresAt: undefined };
  const { outcome } = args;
  if (session.provisioningState === "cleaning" || session.provisioningState === "cleaned") {
    await ctx.db.patch("coachingSessions", session._id, release);
    return;
  }
  switch (outcome.kind) {
    case "ready": {
      const complete = await isSetupComplete(ctx, session);
      await ctx.db.patch("coachingSessions", session._id, {
        ...release,
        provisioningState: isOver(session, now) ? session.provisioningState : "ready",
        discordSetupComplete: complete,
        provisioningAttempts: 0,
        provisioningLastError: outcome.notes.length > 0 ? outcome.notes.join(" ") : undefined,
        provisionedAt: session.provisionedAt ?? now,
      });
      // First time the private channel is ready: tell the student and the coach where to meet.
      if (session.provisionedAt === undefined && !isOver(session, now)) {
        await notifySessionEvent(ctx, { kind: "coaching", entityId: session._id, event: "discordReady" });
      }
      // Someone linked Discord while this run was working: give them the role too.
      const participants = await participantsOf(ctx, session);
      const missed = participants.filter(
        (p) => !session.discordRoleGrantedTo.includes(p.discordUserId) && !outcome.unreachable.includes(p.discordUserId),
      );
      if (missed.length > 0 && !isOver(session, now)) await scheduleProvisioningRun(ctx, session._id, 0, now);
      return;
    }
    case "rate_limited": {
      const long = outcome.retryAfterMs > LONG_RATE_LIMIT_MS;
      await ctx.db.patch("coachingSessions", session._id, {
        ...release,
        discordHeldSlots: outcome.heldSlots !== undefined && outcome.heldSlots.length > 0 ? outcome.heldSlots : undefined,
        provisioningState: long ? "waiting_for_window" : session.provisioningState,
        provisioningLastError: long
          ? `Discord is rate limiting role or channel creation; provisioning resumes at ${new Date(now + outcome.retryAfterMs).toISOString()}. (${outcome.message})`
          : session.provisioningLastError,
      });
      await scheduleProvisioningRun(ctx, session._id, outcome.retryAfterMs, now);
      return;
    }
    case "transient": {
      const attempts = session.provisioningAttempts + 1;
      if (attempts >= MAX_TRANSIENT_ATTEMPTS) {
        await ctx.db.patch("coachingSessions", session._id, {
          ...release,
          provisioningState: "failed",
          provisioningAttempts: attempts,
          provisioningLastError: `Gave up after ${attempts} failed attempts: ${outcome.message}. Check Discord's status (or DISCORD_API_BASE), then press Retry.`,
          provisioningNextAttemptAt: undefined,
        });
        return;
      }
      await ctx.db.patch("coachingSessions", session._id, {
        ...release,
        provisioningAttempts: attempts,
        provisioningLastError: `Attempt ${attempts} failed: ${outcome.message}. Retrying automatically.`,
      });
      await scheduleProvisioningRun(ctx, session._id, backoffDelayMs(attempts), now);
      return;
    }
    case "failed": {
      await ctx.db.patch("coachingSessions", session._id, {
        ...release,
        provisioningState: "failed",
        provisioningAttempts: session.provisioningAttempts + 1,
        provisioningLastError: outcome.message,
        provisioningNextAttemptAt: undefined,
      });
      return;
    }
    case "limit": {
      await ctx.db.patch("coachingSessions", session._id, {
        ...release,
        provisioningState: "waiting_for_window",
        provisioningLastError: `${outcome.message} Provisioning resumes when cleanup frees room.`,
        provisioningNextAttemptAt: undefined,
      });
      return;
    }
    case "role_missing": {
      const attempts = session.provisioningAttempts + 1;
      if (session.discordRoleId !== undefined) await recordResourceGone(ctx, session.discordRoleId, now);
      if (session.discordChannelId !== undefined) await recordResourceGone(ctx, session.discordChannelId, now);
      await ctx.db.patch("coachingSessions", session._id, {
        ...release,
        provisioningState: attempts >= MAX_TRANSIENT_ATTEMPTS ? "failed" : "provisioning",
        provisioningAttempts: attempts,
        provisioningLastError: outcome.message,
        discordRoleId: undefined,
        discordChannelId: undefined,
        discordRoleGrantedTo: [],
        discordRoleCreateAttempted: false,
        discordChannelCreateAttempted: false,
        discordSetupComplete: false,
      });
      if (attempts < MAX_TRANSIENT_ATTEMPTS) await scheduleProvisioningRun(ctx, session._id, 0, now);
      return;
    }
  }
}

/**
 * After a participant links their Discord account: schedules a run for each of their upcoming,
 * live sessions whose role exists or is being created, so they get the role.
 * @param now epoch ms.
 * @returns how many runs were scheduled.
 */
export async function scheduleRoleGrantsForUser(ctx: MutationCtx, userId: Id<"users">, now: number): Promise<number> {
  const lookBack = now - 24 * 60 * 60 * 1000;
  const asStudent = await ctx.db
    .query("coachingSessions")
    .withIndex("by_student_and_startTime", (q) => q.eq("studentId", userId).gt("startTime", lookBack))
    .take(200);
  const asCoach = await ctx.db
    .query("coachingSessions")
    .withIndex("by_coach_and_startTime", (q) => q.eq("coachId", userId).gt("startTime", lookBack))
    .take(500);
  let scheduled = 0;
  for (const session of [...asStudent, ...asCoach]) {
    if (isOver(session, now)) continue;
    if (session.provisioningState !== "ready" && session.provisioningState !== "provisioning") continue;
    await scheduleProvisioningRun(ctx, session._id, 0, now);
    scheduled += 1;
  }
  return scheduled;
}

/**
 * Restarts up to `count` sessions that wait for room in the guild, soonest first (called after a
 * cleanup freed resources, and by the hourly maintenance).
 * @returns the sessions restarted.
 */
export async function resumeWaitingSessions(ctx: MutationCtx, count: number, now: number): Promise<number> {
  if (count <= 0) return 0;
  const waiting = await ctx.db
    .query("coachingSessions")
    .withIndex("by_provisioningState_and_startTime", (q) => q.eq("provisioningState", "waiting_for_window"))
    .take(Math.min(count, 200) + 50);
  let resumed = 0;
  for (const session of waiting) {
    if (resumed >= count) break;
    // A session told to wait for a rate-limit reset already has its run scheduled.
    if (session.provisioningNextAttemptAt !== undefined && session.provisioningNextAttemptAt > now) continue;
    await scheduleProvisioningRun(ctx, session._id, 0, now);
    resumed += 1;
  }
  return resumed;
}
