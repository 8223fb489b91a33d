import type { Doc } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import { moveDiscordSpace as moveSpace } from "../discord/move";

/**
 * The one place where coaching code tells the Discord layer that a booked session moved (issue #15).
 */

/**
 * Moves a session's private Discord space with it after a reschedule. `session` is the document as
 * patched (new `startTime` / `endTime`); `now` epoch ms. See `model/discord/move.ts#moveDiscordSpace`:
 * kept when the new start is inside the provisioning lead window, otherwise released and provisioned
 * again when the new window opens.
 */
export async function moveDiscordSpace(ctx: MutationCtx, session: Doc<"coachingSessions">, now: number): Promise<void> {
  await moveSpace(ctx, session._id, { startTime: session.startTime, endTime: session.endTime }, now);
}
