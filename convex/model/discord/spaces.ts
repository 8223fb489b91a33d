import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { isDiscordConfigured, provisionLeadMinutes } from "./config";
import { scheduleRun } from "./lease";
import { fallbackDiscordKey, primaryDiscordKey } from "./names";
import { sessionTimes } from "../coaching/timeNames";

/**
 * A coaching session's Discord space (`discordSpaces`, SPEC §6): the one row per session that holds
 * its Discord state, ids, attempts, lease and errors. The booking record never carries any of it, so
 * provisioning and cleanup write only here. This module reads spaces and is the API the coaching
 * model calls when a session is booked ({@link createDiscordSpace}); a moved session goes through
 * `moveDiscordSpace` (`move.ts`), a cancelled or completed one through `finishDiscordSpace` (`cleanup.ts`).
 */

export type DiscordSpace = Doc<"discordSpaces">;

/** The space of a session, or null when it has none (booked before spaces existed and not migrated yet). */
export async function spaceOf(ctx: QueryCtx, sessionId: Id<"coachingSessions">): Promise<DiscordSpace | null> {
  return await ctx.db
    .query("discordSpaces")
    .withIndex("by_sessionId", (q) => q.eq("sessionId", sessionId))
    .unique();
}

/** True when the session is cancelled, completed or over (`now` epoch ms). */
export function isOver(space: Pick<DiscordSpace, "finishedAs" | "endTime">, now: number): boolean {
  return space.finishedAs !== undefined || space.endTime <= now;
}

/** True when the space may still hold something in Discord. */
export function mayHoldDiscordResources(space: DiscordSpace): boolean {
  return space.roleId !== undefined || space.channelId !== undefined || space.roleCreateAttempted || space.channelCreateAttempted;
}

/**
 * The space's Discord key: the last 8 characters of the session id, or a derived one when a space
 * that still holds Discord resources already uses it.
 */
async function freeDiscordKey(ctx: QueryCtx, sessionId: Id<"coachingSessions">): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const key = attempt === 0 ? primaryDiscordKey(sessionId) : fallbackDiscordKey(sessionId, attempt);
    const holders = await ctx.db
      .query("discordSpaces")
      .withIndex("by_key", (q) => q.eq("key", key))
      .take(10);
    if (holders.every((holder) => holder.sessionId === sessionId || holder.state === "cleaned")) return key;
  }
  throw new Error(`could not find a free Discord key for session ${sessionId}`);
}

/** Milliseconds from `now` until provisioning of a session starting at `startTime` may begin (0 = now). */
export function delayUntilLeadWindow(startTime: number, now: number): number {
  return Math.max(0, startTime - provisionLeadMinutes() * 60 * 1000 - now);
}

/**
 * The fields that make a space hold nothing in Discord: no role or channel ids, nobody granted,
 * nothing attempted, not set up. Spread into a patch when a run starts over after its resources are
 * deleted (a release or a transient failure).
 */
export function withoutDiscordResources() {
  return {
    roleId: undefined,
    channelId: undefined,
    roleGrantedTo: [] as string[],
    roleCreateAttempted: false,
    channelCreateAttempted: false,
    setupComplete: false,
  };
}

/**
 * Inserts the space of a new booking and schedules its provisioning run: now when the session starts
 * within DISCORD_PROVISION_LEAD_MINUTES, else at the start of that window (state `pending` either
 * way); state `not_configured` when Discord is not configured. The session itself is not written.
 * @param session the booked session (`startTime` / `endTime` epoch ms); `now` epoch ms.
 * @param options.finishedAs for a session already finished when its space is made (the seed's
 * history): the space starts `cleaned` and nothing is scheduled.
 */
export async function createDiscordSpace(
  ctx: MutationCtx,
  session: Pick<Doc<"coachingSessions">, "_id" | "startTime" | "endTime">,
  now: number,
  options: { finishedAs?: "CANCELLED" | "COMPLETED" } = {},
): Promise<Id<"discordSpaces">> {
  const configured = isDiscordConfigured();
  const delayMs = delayUntilLeadWindow(session.startTime, now);
  const schedule = configured && options.finishedAs === undefined;
  const spaceId = await ctx.db.insert("discordSpaces", {
    sessionId: session._id,
    ...sessionTimes(session.startTime, session.endTime),
    ...(options.finishedAs !== undefined ? { finishedAs: options.finishedAs } : {}),
    key: await freeDiscordKey(ctx, session._id),
    state: !configured ? "not_configured" : options.finishedAs !== undefined ? "cleaned" : "pending",
    setupComplete: false,
    roleGrantedTo: [],
    roleCreateAttempted: false,
    channelCreateAttempted: false,
    attempts: 0,
    ...(schedule ? { nextAttemptAt: now + delayMs } : {}),
  });
  if (schedule) await scheduleRun(ctx, null, session._id, "provision", delayMs, now);
  return spaceId;
}
