import { v } from "convex/values";
import { internal } from "./_generated/api";
import { internalMutation } from "./_generated/server";
import { orphanSweepCutoff, orphanSweepPageResultValidator, sweepOrphanedVideosPage } from "./model/expertSessions/storage";

/**
 * Storage upkeep for expert-session files (SPEC §5): deletes uploads (videos, captions) that no
 * expert session names, see `model/expertSessions/storage.ts`.
 */

/**
 * The daily sweep of orphaned uploads, started by `crons.ts` with `{}`; it then schedules
 * itself with `{ cutoff }` for each further page until done. Deletes files in `_storage` created
 * after the checkpoint and at or before `cutoff` (epoch ms; default: now minus 24 hours) that no
 * expert session (soft-deleted ones included) names, at most 100 files per transaction.
 * Internal: only the cron and the sweep itself call it.
 * @returns what this page examined and deleted, and whether the run is finished.
 */
export const sweepOrphanedVideos = internalMutation({
  args: { cutoff: v.optional(v.number()) },
  returns: orphanSweepPageResultValidator,
  handler: async (ctx, args) => {
    const now = Date.now();
    const cutoff = args.cutoff ?? orphanSweepCutoff(now);
    const result = await sweepOrphanedVideosPage(ctx, cutoff, now);
    if (!result.finished) await ctx.scheduler.runAfter(0, internal.expertSessionStorage.sweepOrphanedVideos, { cutoff });
    return result;
  },
});
