import { v } from "convex/values";
import type { Change } from "convex-helpers/server/triggers";
import type { DataModel, Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { configuredCategoryId } from "./config";
import { scheduleRun } from "./lease";

/**
 * Guild capacity (SPEC §6): Discord allows 250 roles and 500 channels per guild and 50 channels per
 * category. What this system uses is the resource ledger's live rows (`discordResources`), kept as
 * running totals in `discordGuildTotals` by a trigger on the ledger so that a check reads one document; what others use comes
 * from the last reconciliation pass (it lists the guild). Sessions that are
 * provisioning but have not created their role / channel yet count as reserved, so a burst of
 * bookings cannot overshoot the limit. Spaces that found no room wait (`waiting_for_window`) until
 * cleanup frees some ({@link resumeWaitingSpaces}).
 */

const DISCORD_GUILD_LIMITS = { roles: 250, channels: 500, channelsPerCategory: 50 } as const;
/** Reservations are only counted when the guild is within this many resources of a limit. */
const RESERVATION_MARGIN = 60;

export const capacityValidator = v.object({
  roles: v.object({ used: v.number(), limit: v.number(), ours: v.number() }),
  channels: v.object({ used: v.number(), limit: v.number(), ours: v.number() }),
  /** null when session channels are not put into a category. */
  category: v.union(v.object({ id: v.string(), used: v.number(), limit: v.number(), ours: v.number() }), v.null()),
});

export type GuildCapacity = typeof capacityValidator.type;

type Totals = Omit<Doc<"discordGuildTotals">, "_id" | "_creationTime">;

const EMPTY_TOTALS: Totals = {
  key: "guild",
  liveRoles: 0,
  liveChannels: 0,
  liveChannelsByCategory: {},
  foreignRoles: 0,
  foreignChannels: 0,
  foreignChannelsInCategory: 0,
};

/** The running totals (all zero before the first Discord resource or reconciliation). */
async function guildTotals(ctx: QueryCtx): Promise<Doc<"discordGuildTotals"> | null> {
  return await ctx.db
    .query("discordGuildTotals")
    .withIndex("by_key", (q) => q.eq("key", "guild"))
    .first();
}

/** Applies `change` to the running totals (creating the row on first use). */
export async function updateGuildTotals(ctx: MutationCtx, change: (totals: Totals) => Partial<Totals>): Promise<void> {
  const row = await guildTotals(ctx);
  if (row === null) {
    await ctx.db.insert("discordGuildTotals", { ...EMPTY_TOTALS, ...change(EMPTY_TOTALS) });
  } else {
    await ctx.db.patch("discordGuildTotals", row._id, change(row));
  }
}

/**
 * Keeps the running totals in step with one change of a ledger row (the `discordResources` trigger in
 * `model/triggers.ts`): the old row's share is taken out and the new row's put in, so every insert,
 * update and delete through any mutation counts, and nothing is counted twice.
 */
export async function countLedgerChange(ctx: MutationCtx, change: Change<DataModel, "discordResources">): Promise<void> {
  const live = (row: Doc<"discordResources"> | null) => (row !== null && row.live ? row : null);
  const before = live(change.oldDoc);
  const after = live(change.newDoc);
  if (before === null && after === null) return;
  if (before !== null && after !== null && before.kind === after.kind && before.categoryId === after.categoryId) return;
  await updateGuildTotals(ctx, (totals) => {
    let liveRoles = totals.liveRoles;
    let liveChannels = totals.liveChannels;
    const byCategory = { ...totals.liveChannelsByCategory };
    for (const [row, delta] of [
      [before, -1],
      [after, 1],
    ] as const) {
      if (row === null) continue;
      if (row.kind === "role") liveRoles += delta;
      else {
        liveChannels += delta;
        if (row.categoryId) byCategory[row.categoryId] = (byCategory[row.categoryId] ?? 0) + delta;
      }
    }
    return { liveRoles, liveChannels, liveChannelsByCategory: byCategory };
  });
}

/** What the guild uses of each limit: ledger (ours) + others' share from the last reconciliation. */
export async function guildCapacity(ctx: QueryCtx): Promise<GuildCapacity> {
  const totals = (await guildTotals(ctx)) ?? EMPTY_TOTALS;
  const categoryId = configuredCategoryId();
  const ourInCategory = categoryId === null ? 0 : (totals.liveChannelsByCategory[categoryId] ?? 0);
  return {
    roles: { used: totals.liveRoles + totals.foreignRoles, limit: DISCORD_GUILD_LIMITS.roles, ours: totals.liveRoles },
    channels: { used: totals.liveChannels + totals.foreignChannels, limit: DISCORD_GUILD_LIMITS.channels, ours: totals.liveChannels },
    category:
      categoryId === null
        ? null
        : {
            id: categoryId,
            used: ourInCategory + totals.foreignChannelsInCategory,
            limit: DISCORD_GUILD_LIMITS.channelsPerCategory,
            ours: ourInCategory,
          },
  };
}

/**
 * Whether a session that still needs a role (`needRole`) and/or a channel (`needChannel`) fits now.
 * `spaceId` is the asking space (not counted as its own reservation).
 * @returns null when it fits, else a sentence saying which limit is reached.
 */
export async function capacityShortfall(
  ctx: QueryCtx,
  spaceId: Id<"discordSpaces">,
  needRole: boolean,
  needChannel: boolean,
): Promise<string | null> {
  if (!needRole && !needChannel) return null;
  const capacity = await guildCapacity(ctx);
  const nearLimit =
    capacity.roles.used + RESERVATION_MARGIN >= capacity.roles.limit ||
    capacity.channels.used + RESERVATION_MARGIN >= capacity.channels.limit ||
    (capacity.category !== null && capacity.category.used + RESERVATION_MARGIN >= capacity.category.limit);
  let reservedRoles = 0;
  let reservedChannels = 0;
  if (nearLimit) {
    const inFlight = await ctx.db
      .query("discordSpaces")
      .withIndex("by_state_and_startTime", (q) => q.eq("state", "provisioning"))
      .take(DISCORD_GUILD_LIMITS.channels)
      .then((rows) => rows.filter((space) => space._id !== spaceId));
    reservedRoles = inFlight.filter((space) => space.roleId === undefined).length;
    reservedChannels = inFlight.filter((space) => space.channelId === undefined).length;
  }
  if (needRole && capacity.roles.used + reservedRoles >= capacity.roles.limit) {
    return `The Discord server has reached its limit of ${capacity.roles.limit} roles; provisioning resumes when cleanup frees room.`;
  }
  if (needChannel && capacity.channels.used + reservedChannels >= capacity.channels.limit) {
    return `The Discord server has reached its limit of ${capacity.channels.limit} channels; provisioning resumes when cleanup frees room.`;
  }
  if (needChannel && capacity.category !== null && capacity.category.used + reservedChannels >= capacity.category.limit) {
    return `The session category has reached Discord's limit of ${capacity.category.limit} channels; provisioning resumes when cleanup frees room.`;
  }
  return null;
}

/**
 * Restarts up to `count` spaces that wait for room in the guild, soonest first (called after a
 * cleanup freed resources, and by the hourly maintenance).
 * @param now epoch ms.
 * @returns the spaces restarted.
 */
export async function resumeWaitingSpaces(ctx: MutationCtx, count: number, now: number): Promise<number> {
  if (count <= 0) return 0;
  const waiting = await ctx.db
    .query("discordSpaces")
    .withIndex("by_state_and_startTime", (q) => q.eq("state", "waiting_for_window"))
    .take(Math.min(count, 200) + 50);
  let resumed = 0;
  for (const space of waiting) {
    if (resumed >= count) break;
    // A space told to wait for a rate-limit reset already has its run scheduled.
    if (space.nextAttemptAt !== undefined && space.nextAttemptAt > now) continue;
    await scheduleRun(ctx, space._id, space.sessionId, "provision", 0, now);
    resumed += 1;
  }
  return resumed;
}
