import { v, type Infer } from "convex/values";
import { literals } from "convex-helpers/validators";
import { internal } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import type { ActionCtx, MutationCtx, QueryCtx } from "../../_generated/server";
import { reconciliationReportFields } from "../../tables/coaching";
import { updateGuildTotals } from "./capacity";
import { DiscordClient } from "./client";
import { readDiscordConfig } from "./config";
import { keyOfChannelName, keyOfRoleName } from "./names";
import { BUCKETS } from "./rateLimits";
import { DeferredRequest, RequestPacer } from "./requestPacer";

/**
 * Reconciliation (SPEC §6): lists the guild's roles and channels, finds `Session <key>` roles and
 * `coaching-<key>` channels that no live session owns, deletes them (channels first, then roles) and
 * stores a report of what it removed, plus the guild's counts that capacity planning uses.
 *
 * A resource is owned when a session with its key is not `cleaned` and either holds exactly that id,
 * or has not recorded an id of that kind yet while a run created one (a provisioning run between
 * Discord's answer and the write, which the next run adopts).
 */

/** Deletions running at once (short rate-limit waits are absorbed by the client). */
const DELETE_CONCURRENCY = 5;
/** Reports older than this are deleted by the hourly maintenance, in ms (30 days). */
const REPORT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export const reconciliationCandidateValidator = v.object({
  kind: literals("role", "channel"),
  id: v.string(),
  name: v.string(),
  key: v.string(),
});
export type ReconciliationCandidate = Infer<typeof reconciliationCandidateValidator>;

export const reconciliationReportValidator = v.object({
  _id: v.id("discordReconciliationReports"),
  _creationTime: v.number(),
  ...reconciliationReportFields,
});

export type ReconciliationReportInput = Omit<Doc<"discordReconciliationReports">, "_id" | "_creationTime">;

function owns(space: Doc<"discordSpaces">, candidate: ReconciliationCandidate): boolean {
  if (space.state === "cleaned") return false;
  if (candidate.kind === "role") return space.roleId === candidate.id || (space.roleId === undefined && space.roleCreateAttempted);
  return space.channelId === candidate.id || (space.channelId === undefined && space.channelCreateAttempted);
}

/** The candidates no session owns (see the module comment). At most 500 candidates per call. */
export async function orphansAmong(ctx: QueryCtx, candidates: ReconciliationCandidate[]): Promise<ReconciliationCandidate[]> {
  const orphans: ReconciliationCandidate[] = [];
  const spacesByKey = new Map<string, Doc<"discordSpaces">[]>();
  for (const candidate of candidates) {
    let spaces = spacesByKey.get(candidate.key);
    if (spaces === undefined) {
      spaces = await ctx.db
        .query("discordSpaces")
        .withIndex("by_key", (q) => q.eq("key", candidate.key))
        .take(20);
      spacesByKey.set(candidate.key, spaces);
    }
    if (!spaces.some((space) => owns(space, candidate))) orphans.push(candidate);
  }
  return orphans;
}

/** Stores a report (and others' share of the guild for capacity checks); returns its id. */
export async function saveReport(ctx: MutationCtx, report: ReconciliationReportInput): Promise<Id<"discordReconciliationReports">> {
  if (report.outcome === "ok" || report.outcome === "partial") {
    await updateGuildTotals(ctx, () => ({
      foreignRoles: report.foreignRoleCount,
      foreignChannels: report.foreignChannelCount,
      foreignChannelsInCategory: report.foreignChannelsInCategory,
    }));
  }
  return await ctx.db.insert("discordReconciliationReports", report);
}

/** The newest report, or null. */
export async function latestReport(ctx: QueryCtx): Promise<Doc<"discordReconciliationReports"> | null> {
  return await ctx.db.query("discordReconciliationReports").withIndex("by_finishedAt").order("desc").first();
}

/** Deletes reports older than {@link REPORT_RETENTION_MS} (at most 100 per call). */
export async function pruneReports(ctx: MutationCtx, now: number): Promise<number> {
  const old = await ctx.db
    .query("discordReconciliationReports")
    .withIndex("by_finishedAt", (q) => q.lt("finishedAt", now - REPORT_RETENTION_MS))
    .take(100);
  for (const report of old) await ctx.db.delete("discordReconciliationReports", report._id);
  return old.length;
}

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let index = 0; index < items.length; index += size) {
    await Promise.all(items.slice(index, index + size).map(work));
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one reconciliation pass and stores its report (also when Discord is not configured or the
 * listing fails). Used by the internal action `discordProvisioning:reconcile`.
 * @returns the stored report.
 */
export async function runReconciliation(
  ctx: ActionCtx,
  trigger: "cron" | "admin",
): Promise<ReconciliationReportInput & { _id: Id<"discordReconciliationReports"> }> {
  const startedAt = Date.now();
  const empty = {
    trigger,
    startedAt,
    deletedRoles: [],
    deletedChannels: [],
    guildRoleCount: 0,
    guildChannelCount: 0,
    foreignRoleCount: 0,
    foreignChannelCount: 0,
    foreignChannelsInCategory: 0,
  };
  const save = async (report: ReconciliationReportInput) => ({
    ...report,
    _id: await ctx.runMutation(internal.discordProvisioning.saveReconciliationReport, { report }),
  });

  let client: DiscordClient;
  const pacer = new RequestPacer(ctx);
  try {
    const config = readDiscordConfig();
    if (config === null) return await save({ ...empty, outcome: "not_configured", errors: [], finishedAt: Date.now() });
    client = new DiscordClient(config, { fetch: pacer.fetch, maxRateLimitWaitMs: 0 });
  } catch (error) {
    return await save({ ...empty, outcome: "failed", errors: [errorText(error)], finishedAt: Date.now() });
  }
  const categoryId = client.config.categoryId;
  let roles: Awaited<ReturnType<DiscordClient["listRoles"]>>;
  let channels: Awaited<ReturnType<DiscordClient["listChannels"]>>;
  try {
    [roles, channels] = await Promise.all([
      pacer.paced(BUCKETS.listRoles, () => client.listRoles()),
      pacer.paced(BUCKETS.listChannels, () => new DiscordClient(client.config, { fetch: pacer.fetch, maxRateLimitWaitMs: 0 }).listChannels()),
    ]);
  } catch (error) {
    return await save({ ...empty, outcome: "failed", errors: [errorText(error)], finishedAt: Date.now() });
  }

  const candidates: ReconciliationCandidate[] = [];
  for (const role of roles) {
    const key = keyOfRoleName(role.name);
    if (key !== null && !role.managed) candidates.push({ kind: "role", id: role.id, name: role.name, key });
  }
  for (const channel of channels) {
    const key = channel.name ? keyOfChannelName(channel.name) : null;
    if (key !== null && channel.name) candidates.push({ kind: "channel", id: channel.id, name: channel.name, key });
  }
  const orphans: ReconciliationCandidate[] = [];
  for (let index = 0; index < candidates.length; index += 500) {
    orphans.push(
      ...(await ctx.runQuery(internal.discordProvisioning.orphans, { candidates: candidates.slice(index, index + 500) })),
    );
  }

  const errors: string[] = [];
  const deletedChannels: Array<{ id: string; name: string }> = [];
  const deletedRoles: Array<{ id: string; name: string }> = [];
  const reason = (name: string) => `Sessions Hub reconciliation: ${name} belongs to no live coaching session`;
  // Past a rate-limit wait longer than a run may sleep, the pass stops; the next one continues.
  let deferred = false;
  const remove = (kind: "role" | "channel") => async (orphan: ReconciliationCandidate) => {
    if (deferred) return;
    try {
      const deleter = new DiscordClient(client.config, { fetch: pacer.fetch, maxRateLimitWaitMs: 0 });
      if (kind === "channel") {
        await pacer.paced(BUCKETS.deleteChannel, () => deleter.deleteChannel(orphan.id, reason(orphan.name)));
        deletedChannels.push({ id: orphan.id, name: orphan.name });
      } else {
        await pacer.paced(BUCKETS.deleteRole, () => deleter.deleteRole(orphan.id, reason(orphan.name)));
        deletedRoles.push({ id: orphan.id, name: orphan.name });
      }
    } catch (error) {
      if (error instanceof DeferredRequest) {
        if (!deferred) errors.push("Stopped early to respect Discord's rate limits; the next pass continues.");
        deferred = true;
        return;
      }
      errors.push(errorText(error));
    }
  };
  await inBatches(
    orphans.filter((orphan) => orphan.kind === "channel"),
    DELETE_CONCURRENCY,
    remove("channel"),
  );
  await inBatches(
    orphans.filter((orphan) => orphan.kind === "role"),
    DELETE_CONCURRENCY,
    remove("role"),
  );
  const goneIds = [...deletedChannels, ...deletedRoles].map((resource) => resource.id);
  for (let index = 0; index < goneIds.length; index += 200) {
    await ctx.runMutation(internal.discordProvisioning.markResourcesGone, { discordIds: goneIds.slice(index, index + 200) });
  }

  const roleCandidates = candidates.filter((candidate) => candidate.kind === "role").length;
  const channelCandidateIds = new Set(candidates.filter((candidate) => candidate.kind === "channel").map((candidate) => candidate.id));
  return await save({
    trigger,
    startedAt,
    finishedAt: Date.now(),
    outcome: errors.length === 0 ? "ok" : "partial",
    deletedRoles,
    deletedChannels,
    errors,
    guildRoleCount: roles.length,
    guildChannelCount: channels.length,
    foreignRoleCount: roles.length - roleCandidates,
    foreignChannelCount: channels.length - channelCandidateIds.size,
    foreignChannelsInCategory:
      categoryId === null
        ? 0
        : channels.filter((channel) => "parent_id" in channel && channel.parent_id === categoryId && !channelCandidateIds.has(channel.id))
            .length,
  });
}
