import { v, type Infer } from "convex/values";
import { internal } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";

/**
 * The one lease-and-retry mechanism of a Discord space's runs (provisioning and cleanup, SPEC §6):
 *
 * - schedule: {@link scheduleRun} schedules the run's internal action and records when
 *   (`nextAttemptAt`, shown on the dashboard);
 * - claim: {@link takeLease} gives the run a fresh lease (`leaseId` until `leaseExpiresAt`);
 *   {@link isLeaseHeld} tells another run to keep off. Reports of a run whose lease was taken over are
 *   ignored, and a crashed run's lease simply expires;
 * - release and retry: {@link applyRetryOutcome} releases the lease and applies the common outcomes:
 *   rate limited (run again at Discord's `retry_after`; a long wait is shown), transient failure
 *   (exponential backoff, giving up after {@link MAX_TRANSIENT_ATTEMPTS}) and failure (give up at once);
 *   giving up sets state `failed` with a message for admins on the dashboard.
 *
 * Own code rather than `@convex-dev/workpool` / `@convex-dev/action-retrier`: their retries use their
 * own backoff and cannot wait for Discord's `retry_after`, they know no lease that a cancel or a
 * cleanup takes over from a provisioning run, and their run status lives in the component, where the
 * admin dashboard's indexed per-state lists cannot read it (see DEVELOPERS.md).
 */

/** How long one run may hold a space, in ms (a run normally takes seconds). */
const LEASE_MS = 2 * 60 * 1000;
/** Transient failures (5xx, network, timeout) in a row before a space is marked `failed`. */
export const MAX_TRANSIENT_ATTEMPTS = 5;
/** First retry delay after a transient failure, doubled each attempt, in ms. */
const BACKOFF_BASE_MS = 2_000;
/** Longest retry delay after a transient failure, in ms. */
const BACKOFF_MAX_MS = 5 * 60 * 1000;
/** A 429 asking to wait longer than this (ms) is shown to admins. */
const LONG_RATE_LIMIT_MS = 60 * 1000;

/** Retry delay after the `attempt`-th transient failure (1-based): 2 s, 4 s, 8 s … capped at 5 min. */
function backoffDelayMs(attempt: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
}

/** The plan of a provisioning or cleanup run that has nothing to do, and why. */
export const skipPlanValidator = v.object({ kind: v.literal("skip"), reason: v.string() });

/**
 * What the plan of every provisioning or cleanup run that goes ahead carries: the lease it holds,
 * the session, the space's Discord names and the ids recorded so far, whether to look the role /
 * channel up by name first (a previous run may have created it without recording its id), and the
 * audit-log reason naming the session.
 */
export const runPlanFields = {
  kind: v.literal("run"),
  leaseId: v.string(),
  sessionId: v.id("coachingSessions"),
  roleName: v.string(),
  channelName: v.string(),
  roleId: v.union(v.string(), v.null()),
  channelId: v.union(v.string(), v.null()),
  lookUpRole: v.boolean(),
  lookUpChannel: v.boolean(),
  auditReason: v.string(),
};

/** The outcomes every run kind shares. */
export const retryOutcomeValidator = v.union(
  /** Discord (or the shared pacing) asks to wait `retryAfterMs`. */
  v.object({ kind: v.literal("rate_limited"), retryAfterMs: v.number(), message: v.string() }),
  /** 5xx, network error or timeout: worth another attempt. */
  v.object({ kind: v.literal("transient"), message: v.string() }),
  /** Will not get better by itself (permissions, role hierarchy, bad configuration). */
  v.object({ kind: v.literal("failed"), message: v.string() }),
);
export type RetryOutcome = Infer<typeof retryOutcomeValidator>;

export type RunKind = "provision" | "cleanup";

/** True when a run other than `leaseId` holds the space at `now` (epoch ms). */
export function isLeaseHeld(space: Pick<Doc<"discordSpaces">, "leaseId" | "leaseExpiresAt">, now: number): boolean {
  return space.leaseId !== undefined && (space.leaseExpiresAt ?? 0) > now;
}

/** The fields a claim writes: a fresh lease until `now` + {@link LEASE_MS}, no run scheduled. */
export function takeLease(now: number) {
  return {
    leaseId: crypto.randomUUID(),
    leaseExpiresAt: now + LEASE_MS,
    nextAttemptAt: undefined,
  };
}

/** The fields that release a lease. */
export const RELEASE_LEASE = { leaseId: undefined, leaseExpiresAt: undefined };

/**
 * Schedules the `kind` run of a session's space after `delayMs` and records when on the space
 * (`spaceId` null: the caller writes `nextAttemptAt` itself, e.g. in the insert).
 * @param now epoch ms.
 */
export async function scheduleRun(
  ctx: MutationCtx,
  spaceId: Id<"discordSpaces"> | null,
  sessionId: Id<"coachingSessions">,
  kind: RunKind,
  delayMs: number,
  now: number,
): Promise<void> {
  await ctx.scheduler.runAfter(
    delayMs,
    kind === "provision" ? internal.discordProvisioning.provision : internal.discordProvisioning.cleanup,
    { sessionId },
  );
  if (spaceId !== null) await ctx.db.patch("discordSpaces", spaceId, { nextAttemptAt: now + delayMs });
}

/** What a run kind says in the messages admins read. */
const WORDING: Record<RunKind, { gaveUp: (attempts: number, message: string) => string; retrying: (attempts: number, message: string) => string }> = {
  provision: {
    gaveUp: (attempts, message) =>
      `Gave up after ${attempts} failed attempts: ${message}. Check Discord's status (or DISCORD_API_BASE), then press Retry.`,
    retrying: (attempts, message) => `Attempt ${attempts} failed: ${message}. Retrying automatically.`,
  },
  cleanup: {
    gaveUp: (attempts, message) => `Cleanup gave up after ${attempts} failed attempts: ${message}. Press Clean up to try again.`,
    retrying: (attempts, message) => `Cleanup attempt ${attempts} failed: ${message}. Retrying automatically.`,
  },
};

/**
 * Releases the lease of a run of `kind` that ended with `outcome` and decides what comes next: a
 * rate-limited run is scheduled again after `retryAfterMs` (a wait beyond
 * {@link LONG_RATE_LIMIT_MS} is recorded as the space's error, or, with `onLongRateLimit`, whatever
 * that returns); a transient failure is retried after {@link backoffDelayMs} until the
 * {@link MAX_TRANSIENT_ATTEMPTS}-th, which gives up; a failure gives up at once. Giving up sets state
 * `failed` and the error admins see on the dashboard.
 * @param now epoch ms.
 */
export async function applyRetryOutcome(
  ctx: MutationCtx,
  space: Doc<"discordSpaces">,
  kind: RunKind,
  outcome: RetryOutcome,
  now: number,
  onLongRateLimit?: (retryAfterMs: number, message: string) => Partial<Doc<"discordSpaces">>,
): Promise<void> {
  switch (outcome.kind) {
    case "rate_limited": {
      const long = outcome.retryAfterMs > LONG_RATE_LIMIT_MS;
      await ctx.db.patch("discordSpaces", space._id, {
        ...RELEASE_LEASE,
        ...(long
          ? (onLongRateLimit?.(outcome.retryAfterMs, outcome.message) ?? {
              lastError: `${kind === "cleanup" ? "Cleanup" : "Provisioning"} is rate limited by Discord: ${outcome.message}`,
            })
          : {}),
      });
      await scheduleRun(ctx, space._id, space.sessionId, kind, outcome.retryAfterMs, now);
      return;
    }
    case "transient": {
      const attempts = space.attempts + 1;
      if (attempts >= MAX_TRANSIENT_ATTEMPTS) {
        await giveUp(ctx, space, attempts, WORDING[kind].gaveUp(attempts, outcome.message));
        return;
      }
      await ctx.db.patch("discordSpaces", space._id, {
        ...RELEASE_LEASE,
        attempts,
        lastError: WORDING[kind].retrying(attempts, outcome.message),
      });
      await scheduleRun(ctx, space._id, space.sessionId, kind, backoffDelayMs(attempts), now);
      return;
    }
    case "failed":
      await giveUp(ctx, space, space.attempts + 1, outcome.message);
      return;
  }
}

/** Releases the lease and marks the space `failed` with `message` for admins (who may press Retry). */
async function giveUp(ctx: MutationCtx, space: Doc<"discordSpaces">, attempts: number, message: string): Promise<void> {
  await ctx.db.patch("discordSpaces", space._id, {
    ...RELEASE_LEASE,
    state: "failed",
    attempts,
    lastError: message,
    nextAttemptAt: undefined,
  });
}
