import { v, type Infer } from "convex/values";
import type { PaginationOptions, PaginationResult } from "convex/server";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import type { Viewer } from "../access";
import { toSessionView, type CoachingSessionView } from "../coaching/sessions";
import type { ProvisioningState } from "../../tables/coaching";
import { throwError } from "../errors";
import { capacityValidator, guildCapacity } from "./capacity";
import { finishedSpacesWithResources, requestCleanup, scheduleCleanups } from "./cleanup";
import { configuredCategoryId, configuredGuildId, isDiscordConfigured, provisionLeadMinutes } from "./config";
import { isLeaseHeld, scheduleRun } from "./lease";
import { isOver, spaceOf } from "./spaces";
import { latestReport, reconciliationReportValidator } from "./reconciliation";

/** The admin Discord dashboard's rules (SPEC §6): overview, retry, cleanup. Callers hold `discord.manage`. */

/**
 * Sessions counted per state at most, so the live dashboard reads a bounded number of documents
 * (7 states × this); a count that reaches it is shown as "100+".
 */
const STATE_COUNT_CAP = 100;

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
        .query("discordSpaces")
        .withIndex("by_state_and_startTime", (q) => q.eq("state", state))
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
 * The dashboard's session list, a page at a time: every coaching session, newest start first; with
 * `state`, only sessions whose Discord space is in that state (read through the spaces' index, newest
 * start first). Each row is the session as `viewer` sees it, with its space's state, attempts, last
 * error and channel link.
 * @param now epoch ms (the page's current minute), for the actions each row offers.
 */
export async function listSessionsPage(
  ctx: QueryCtx,
  viewer: Viewer,
  paginationOpts: PaginationOptions,
  state: ProvisioningState | undefined,
  now: number,
): Promise<PaginationResult<CoachingSessionView>> {
  if (state === undefined) {
    const page = await ctx.db.query("coachingSessions").withIndex("by_startTime").order("desc").paginate(paginationOpts);
    return { ...page, page: await Promise.all(page.page.map((session) => toSessionView(ctx, viewer, session, now))) };
  }
  const page = await ctx.db
    .query("discordSpaces")
    .withIndex("by_state_and_startTime", (q) => q.eq("state", state))
    .order("desc")
    .paginate(paginationOpts);
  const sessions = await Promise.all(page.page.map((space) => ctx.db.get("coachingSessions", space.sessionId)));
  const views = await Promise.all(
    sessions.filter((session): session is Doc<"coachingSessions"> => session !== null).map((session) => toSessionView(ctx, viewer, session, now)),
  );
  return { ...page, page: views };
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
  const space = await spaceOf(ctx, sessionId);
  if (space === null) throwError("NOT_FOUND", "That coaching session does not exist.");
  if (!isDiscordConfigured()) {
    throwError("FAILED_PRECONDITION", "Discord is not configured: set DISCORD_BOT_TOKEN, DISCORD_GUILD_ID and DISCORD_BOT_USER_ID first.");
  }
  if (space.state === "cleaned") throwError("FAILED_PRECONDITION", "This session's Discord space is already cleaned up.");
  if (isLeaseHeld(space, now)) {
    throwError("FAILED_PRECONDITION", "A Discord run is working on this session right now. Try again in a minute.");
  }
  const restart = space.state === "failed" || space.state === "not_configured";
  await ctx.db.patch("discordSpaces", space._id, {
    attempts: 0,
    lastError: undefined,
    ...(restart ? { state: "pending" as const } : {}),
  });
  if (isOver(space, now)) {
    await requestCleanup(ctx, sessionId, 0, now);
    return "cleanup";
  }
  await scheduleRun(ctx, space._id, sessionId, "provision", 0, now);
  return "provisioning";
}

/**
 * Admin cleanup of one finished session (cancelled, completed or ended).
 * @throws ConvexError NOT_FOUND, FAILED_PRECONDITION (the session is still ahead or running).
 */
export async function cleanupSessionNow(ctx: MutationCtx, sessionId: Id<"coachingSessions">, now: number): Promise<void> {
  const space = await spaceOf(ctx, sessionId);
  if (space === null) throwError("NOT_FOUND", "That coaching session does not exist.");
  if (!isOver(space, now)) {
    throwError("FAILED_PRECONDITION", "This session is not over yet. Cancel or complete it first; its space is then cleaned up.");
  }
  if (space.state === "failed") await ctx.db.patch("discordSpaces", space._id, { attempts: 0 });
  await requestCleanup(ctx, sessionId, 0, now);
}

/** Admin "clean up all finished": schedules cleanup of every finished session that may hold resources (up to 200 per state). */
export async function cleanupAllFinished(ctx: MutationCtx, now: number): Promise<number> {
  return await scheduleCleanups(ctx, await finishedSpacesWithResources(ctx, now, 200), now);
}
