import type { Id } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import { requestCleanup } from "./cleanup";
import { isLeaseHeld, scheduleRun } from "./lease";
import { delayUntilLeadWindow, mayHoldDiscordResources, spaceOf } from "./spaces";
import { sessionTimes } from "../coaching/timeNames";

/**
 * A coaching session's Discord space when the session moves to another time (reschedule, issue #15):
 * the space keeps its identity (key, names) and its copies of the times follow. Whether what exists in
 * Discord stays depends on the new start:
 *
 * - inside the provisioning lead window (`DISCORD_PROVISION_LEAD_MINUTES` before the start): kept; a
 *   space not created yet is provisioned now;
 * - outside it: a space with a role or channel (or a run making them) is released: cleanup deletes
 *   them at once and the space starts over as `pending`, provisioned again when the new window opens
 *   (`cleanup.ts#finishCleanup`); a space with nothing in Discord is simply provisioned then.
 */

/**
 * Moves a session's space to `times` (`startTime` / `endTime`, epoch ms) and keeps or releases it
 * (see the module comment). A finished, cleaned or unconfigured space only gets the new times.
 * @param now epoch ms.
 */
export async function moveDiscordSpace(
  ctx: MutationCtx,
  sessionId: Id<"coachingSessions">,
  times: { startTime: number; endTime: number },
  now: number,
): Promise<void> {
  const space = await spaceOf(ctx, sessionId);
  if (space === null) return;
  await ctx.db.patch("discordSpaces", space._id, sessionTimes(times.startTime, times.endTime));
  if (space.finishedAs !== undefined || space.state === "cleaned" || space.state === "not_configured") return;
  const delayMs = delayUntilLeadWindow(times.startTime, now);
  const inDiscord = mayHoldDiscordResources(space) || isLeaseHeld(space, now);
  if (delayMs === 0) {
    // Kept. A release asked for by an earlier move and not started yet is called off.
    if (space.releaseRequested && space.state !== "cleaning") await ctx.db.patch("discordSpaces", space._id, { releaseRequested: undefined });
    if (space.state === "pending" && !isLeaseHeld(space, now)) await scheduleRun(ctx, space._id, sessionId, "provision", 0, now);
    return;
  }
  if (!inDiscord) {
    await ctx.db.patch("discordSpaces", space._id, { state: "pending", lastError: undefined });
    await scheduleRun(ctx, space._id, sessionId, "provision", delayMs, now);
    return;
  }
  // Released now; a provisioning run in flight stops at its next step and hands over to cleanup.
  await ctx.db.patch("discordSpaces", space._id, { releaseRequested: true });
  await requestCleanup(ctx, sessionId, 0, now);
}
