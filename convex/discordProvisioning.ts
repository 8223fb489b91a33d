import { v } from "convex/values";
import { internalAction, internalQuery } from "./_generated/server";
import { internalMutation } from "./model/functions";
import { claimCleanup, cleanupOutcomeValidator, cleanupPlanValidator, finishCleanup } from "./model/discord/cleanup";
import { runCleanup } from "./model/discord/cleanupRun";
import { recordedResourceValidator, recordResource, recordResourceGone } from "./model/discord/ledger";
import { runHourlyMaintenance } from "./model/discord/maintenance";
import {
  claimProvisioning,
  createAttemptsValidator,
  finishProvisioning,
  isRunStillWanted,
  provisioningOutcomeValidator,
  provisioningPlanValidator,
} from "./model/discord/provisioning";
import { runProvisioning } from "./model/discord/provisioningRun";
import {
  blockRoute,
  learnRateLimits as learnLimits,
  requestReservationValidator,
  reserveSend,
  sendReservationValidator,
  reserveRequests as reserveMany,
  routeRateLimitValidator,
} from "./model/discord/rateLimits";
import {
  orphansAmong,
  reconciliationCandidateValidator,
  runReconciliation,
  saveReport,
} from "./model/discord/reconciliation";
import {
  discordResourceKindValidator,
  reconciledResourceValidator,
  reconciliationReportFields,
  reconciliationTriggerValidator,
} from "./tables/coaching";

/**
 * Internal functions of Discord provisioning, cleanup and reconciliation (SPEC §6). Actions do the
 * Discord calls (`model/discord/*Run.ts`, `cleanup.ts`, `reconciliation.ts`); the mutations here are
 * their only way to read and write the database. Nothing here is callable from clients; the booking
 * mutation, the admin dashboard (`discordAdmin.ts`), account linking and the cron schedule them.
 */

/** Provisions one session's role, channel and role grants (idempotent; safe to run any number of times). */
export const provision = internalAction({
  args: { sessionId: v.id("coachingSessions") },
  returns: v.null(),
  handler: (ctx, { sessionId }) => runProvisioning(ctx, sessionId),
});

/** Deletes one finished session's channel and role (idempotent). */
export const cleanup = internalAction({
  args: { sessionId: v.id("coachingSessions") },
  returns: v.null(),
  handler: (ctx, { sessionId }) => runCleanup(ctx, sessionId),
});

/** Lists the guild, deletes orphaned session roles and channels, stores and returns the report. */
export const reconcile = internalAction({
  args: { trigger: reconciliationTriggerValidator },
  returns: v.object({
    reportId: v.id("discordReconciliationReports"),
    outcome: v.string(),
    deletedRoles: v.array(reconciledResourceValidator),
    deletedChannels: v.array(reconciledResourceValidator),
    errors: v.array(v.string()),
  }),
  handler: async (ctx, { trigger }) => {
    const report = await runReconciliation(ctx, trigger);
    return {
      reportId: report._id,
      outcome: report.outcome,
      deletedRoles: report.deletedRoles,
      deletedChannels: report.deletedChannels,
      errors: report.errors,
    };
  },
});

/** See `model/discord/provisioning.ts#claimProvisioning`. */
export const claim = internalMutation({
  args: { sessionId: v.id("coachingSessions") },
  returns: provisioningPlanValidator,
  handler: (ctx, { sessionId }) => claimProvisioning(ctx, sessionId, Date.now()),
});

/** Stores a role or channel id the moment Discord returns it; see `model/discord/ledger.ts#recordResource`. */
export const recordResourceCreated = internalMutation({
  args: {
    sessionId: v.id("coachingSessions"),
    kind: discordResourceKindValidator,
    discordId: v.string(),
    name: v.string(),
    categoryId: v.union(v.string(), v.null()),
  },
  returns: recordedResourceValidator,
  handler: (ctx, args) => recordResource(ctx, args, Date.now()),
});

/** Marks a Discord resource deleted in the ledger. */
export const markResourceGone = internalMutation({
  args: { discordId: v.string() },
  returns: v.null(),
  handler: (ctx, { discordId }) => recordResourceGone(ctx, discordId, Date.now()),
});

/** Marks many Discord resources deleted in the ledger (reconciliation). */
export const markResourcesGone = internalMutation({
  args: { discordIds: v.array(v.string()) },
  returns: v.null(),
  handler: async (ctx, { discordIds }) => {
    const now = Date.now();
    for (const discordId of discordIds) await recordResourceGone(ctx, discordId, now);
    return null;
  },
});

/** Applies a provisioning run's outcome; see `finishProvisioning`. */
export const finish = internalMutation({
  args: {
    sessionId: v.id("coachingSessions"),
    leaseId: v.string(),
    outcome: provisioningOutcomeValidator,
    attempted: v.optional(createAttemptsValidator),
    /** Role grants the run made (recorded before the outcome is applied). */
    granted: v.optional(v.object({ roleId: v.string(), discordUserIds: v.array(v.string()) })),
  },
  returns: v.null(),
  handler: (ctx, args) => finishProvisioning(ctx, args, Date.now()),
});

/** See `model/discord/cleanup.ts#claimCleanup`. */
export const claimCleanupRun = internalMutation({
  args: { sessionId: v.id("coachingSessions") },
  returns: cleanupPlanValidator,
  handler: (ctx, { sessionId }) => claimCleanup(ctx, sessionId, Date.now()),
});

/** Applies a cleanup run's outcome; see `finishCleanup`. */
export const finishCleanupRun = internalMutation({
  args: { sessionId: v.id("coachingSessions"), leaseId: v.string(), outcome: cleanupOutcomeValidator },
  returns: v.null(),
  handler: (ctx, args) => finishCleanup(ctx, args, Date.now()),
});

/** Which of the listed session-named resources no session owns (reconciliation). */
export const orphans = internalQuery({
  args: { candidates: v.array(reconciliationCandidateValidator) },
  returns: v.array(reconciliationCandidateValidator),
  handler: (ctx, { candidates }) => orphansAmong(ctx, candidates),
});

/** Stores a reconciliation report. */
export const saveReconciliationReport = internalMutation({
  args: {
    report: v.object(reconciliationReportFields),
  },
  returns: v.id("discordReconciliationReports"),
  handler: (ctx, { report }) => saveReport(ctx, report),
});

/**
 * The hourly maintenance (see `crons.ts`): cleanup of sessions over for more than an hour or
 * cancelled, restart of lost provisioning runs, resumption of waiting sessions, a reconciliation
 * pass, pruning of expired OAuth states and old reports.
 */
export const hourlyMaintenance = internalMutation({
  args: {},
  returns: v.object({
    cleanupsScheduled: v.number(),
    provisioningRestarted: v.number(),
    waitingResumed: v.number(),
    reconciliationScheduled: v.boolean(),
  }),
  handler: (ctx) => runHourlyMaintenance(ctx, Date.now()),
});

/** A provisioning run's lease, checked before its guarded requests (`model/discord/requestPacer.ts`). */
const runGuardValidator = v.optional(v.object({ sessionId: v.id("coachingSessions"), leaseId: v.string() }));

/**
 * See `model/discord/rateLimits.ts#reserveRequests`; with a `guard`, nothing is reserved when the run
 * is no longer wanted (`model/discord/provisioning.ts#isRunStillWanted`).
 */
export const reserveRequests = internalMutation({
  args: { buckets: v.array(v.union(v.string(), v.null())), guard: runGuardValidator },
  returns: v.object({ stillWanted: v.boolean(), reservations: v.array(requestReservationValidator) }),
  handler: async (ctx, { buckets, guard }) => {
    if (guard !== undefined && !(await isRunStillWanted(ctx, guard.sessionId, guard.leaseId))) return { stillWanted: false, reservations: [] };
    return { stillWanted: true, reservations: await reserveMany(ctx, buckets, Date.now()) };
  },
});

/** See `model/discord/rateLimits.ts#reserveSend`; `guard` as for `reserveRequests`. */
export const reserveSendRequest = internalMutation({
  args: { guard: runGuardValidator, bucket: v.union(v.string(), v.null()), routeAt: v.number(), routeUntil: v.optional(v.number()) },
  returns: v.union(v.object({ stillWanted: v.literal(true), send: sendReservationValidator }), v.object({ stillWanted: v.literal(false) })),
  handler: async (ctx, { guard, ...request }) => {
    if (guard !== undefined && !(await isRunStillWanted(ctx, guard.sessionId, guard.leaseId))) return { stillWanted: false as const };
    return { stillWanted: true as const, send: await reserveSend(ctx, request, Date.now()) };
  },
});

/** See `model/discord/rateLimits.ts#learnRateLimits`. */
export const learnRateLimits = internalMutation({
  args: { observations: v.array(routeRateLimitValidator) },
  returns: v.null(),
  handler: (ctx, { observations }) => learnLimits(ctx, observations),
});

/** See `model/discord/rateLimits.ts#blockRoute`. */
export const blockRateLimitedRoute = internalMutation({
  args: { route: v.string(), retryAfterMs: v.number() },
  returns: v.null(),
  handler: (ctx, { route, retryAfterMs }) => blockRoute(ctx, route, retryAfterMs),
});
