import type { Doc } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import { moveDiscordSpace as moveSpace } from "../discord/spaces";

/**
 * The one place where coaching code tells the Discord layer that a booked session moved (issue #15).
 */

/**
 * Moves a session's private Discord space with it after a reschedule. `session` is the document as
 * patched (new `startTime` / `endTime`); `now` epoch ms. The space's copies of the times follow
 * (`model/discord/spaces.ts#moveDiscordSpace`): a space not created yet is provisioned for the new
 * start's lead window; one that exists is kept (releasing an existing space whose new start lies
 * outside the lead window is not done yet, see DEVELOPERS.md).
 */
export async function moveDiscordSpace(ctx: MutationCtx, session: Doc<"coachingSessions">, now: number): Promise<void> {
  await moveSpace(ctx, session._id, { startTime: session.startTime, endTime: session.endTime }, now);
}
