import type { Doc } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import { scheduleInitialProvisioning } from "../discord/provisioning";
import { mayHoldDiscordResources } from "../discord/cleanup";

/**
 * The one place where coaching code tells the Discord layer that a booked session moved
 * (issue #15), so that the Discord rework (issue #10) changes only this function.
 */

/**
 * Moves a session's private Discord space with it after a reschedule. `session` is the document as
 * patched (new `startTime`); `now` epoch ms.
 * - Discord not configured, or the space already cleaned: nothing to do.
 * - No role or channel exists yet: provisioning is scheduled again for the new start's lead window
 *   (a run scheduled for the old time finds the session before its window and re-plans itself).
 * - The space exists and the new start is inside the lead window: it is kept as it is.
 * - The space exists and the new start is outside the lead window: it is kept too, because the
 *   current Discord entry points can only delete the space of a session that is over; the rework of
 *   issue #10 adds the release (then: release now, provision again at the new window).
 */
export async function moveDiscordSpace(ctx: MutationCtx, session: Doc<"coachingSessions">, now: number): Promise<void> {
  if (session.provisioningState === "not_configured" || session.provisioningState === "cleaned") return;
  if (session.provisioningState === "cleaning") return;
  // A space that exists is kept (see above); one not created yet follows the new start.
  if (!mayHoldDiscordResources(session)) await scheduleInitialProvisioning(ctx, session._id, session.startTime, now);
}
