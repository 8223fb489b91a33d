import { v } from "convex/values";
import type { Id } from "../../_generated/dataModel";
import type { QueryCtx } from "../../_generated/server";
import { configuredCategoryId } from "./config";

/**
 * Guild capacity (SPEC §6): Discord allows 250 roles and 500 channels per guild and 50 channels per
 * category. What this system uses is counted from the resource ledger (`discordResources`, live rows);
 * what others use comes from the last reconciliation report (it lists the guild). Sessions that are
 * provisioning but have not created their role / channel yet count as reserved, so a burst of
 * bookings cannot overshoot the limit.
 */

export const DISCORD_GUILD_LIMITS = { roles: 250, channels: 500, channelsPerCategory: 50 } as const;
/** Reservations are only counted when the guild is within this many resources of a limit. */
const RESERVATION_MARGIN = 60;

export const capacityValidator = v.object({
  roles: v.object({ used: v.number(), limit: v.number(), ours: v.number() }),
  channels: v.object({ used: v.number(), limit: v.number(), ours: v.number() }),
  /** null when session channels are not put into a category. */
  category: v.union(v.object({ id: v.string(), used: v.number(), limit: v.number(), ours: v.number() }), v.null()),
});

export type GuildCapacity = typeof capacityValidator.type;

async function countLive(ctx: QueryCtx, kind: "role" | "channel", limit: number): Promise<number> {
  const rows = await ctx.db
    .query("discordResources")
    .withIndex("by_kind_and_live", (q) => q.eq("kind", kind).eq("live", true))
    .take(limit + 1);
  return rows.length;
}

/** What the guild uses of each limit: ledger (ours) + others' share from the last reconciliation. */
export async function guildCapacity(ctx: QueryCtx): Promise<GuildCapacity> {
  const report = await ctx.db.query("discordReconciliationReports").withIndex("by_finishedAt").order("desc").first();
  const foreign = {
    roles: report?.outcome === "not_configured" ? 0 : (report?.foreignRoleCount ?? 0),
    channels: report?.outcome === "not_configured" ? 0 : (report?.foreignChannelCount ?? 0),
    category: report?.outcome === "not_configured" ? 0 : (report?.foreignChannelsInCategory ?? 0),
  };
  const ourRoles = await countLive(ctx, "role", DISCORD_GUILD_LIMITS.roles);
  const ourChannels = await countLive(ctx, "channel", DISCORD_GUILD_LIMITS.channels);
  const categoryId = configuredCategoryId();
  let category: GuildCapacity["category"] = null;
  if (categoryId !== null) {
    const inCategory = await ctx.db
      .query("discordResources")
      .withIndex("by_categoryId_and_live", (q) => q.eq("categoryId", categoryId).eq("live", true))
      .take(DISCORD_GUILD_LIMITS.channelsPerCategory + 1);
    category = {
      id: categoryId,
      used: inCategory.length + foreign.category,
      limit: DISCORD_GUILD_LIMITS.channelsPerCategory,
      ours: inCategory.length,
    };
  }
  return {
    roles: { used: ourRoles + foreign.roles, limit: DISCORD_GUILD_LIMITS.roles, ours: ourRoles },
    channels: { used: ourChannels + foreign.channels, limit: DISCORD_GUILD_LIMITS.channels, ours: ourChannels },
    category,
  };
}

/**
 * Whether a session that still needs a role (`needRole`) and/or a channel (`needChannel`) fits now.
 * `sessionId` is the asking session (not counted as its own reservation).
 * @returns null when it fits, else a sentence saying which limit is reached.
 */
export async function capacityShortfall(
  ctx: QueryCtx,
  sessionId: Id<"coachingSessions">,
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
      .query("coachingSessions")
      .withIndex("by_provisioningState_and_startTime", (q) => q.eq("provisioningState", "provisioning"))
      .take(DISCORD_GUILD_LIMITS.channels)
      .then((rows) => rows.filter((session) => session._id !== sessionId));
    reservedRoles = inFlight.filter((session) => session.discordRoleId === undefined).length;
    reservedChannels = inFlight.filter((session) => session.discordChannelId === undefined).length;
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
