import { v, type Infer } from "convex/values";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { checkedCaptionsRow } from "./captions";
import { DAY_MS } from "../time/units";

/**
 * Sweep of orphaned expert-session uploads (videos and WebVTT captions files). Staff upload a file
 * with `expertSessions.generateUploadUrl` before saving the form; when the form is then abandoned
 * (tab closed, cancelled, another file chosen, save refused, captions refused as not WebVTT) nothing
 * names the file and it would stay in Convex file storage forever. Expert-session videos and captions
 * are the only files this app stores, so a file in `_storage` that no `expertSessions` document names
 * as its video or its captions (active, draft or soft-deleted) after {@link ORPHANED_VIDEO_GRACE_MS}
 * is an orphan and is deleted, with its "checked captions" record if it has one.
 *
 * The sweep keeps a checkpoint (table `expertSessionVideoSweeps`): each file is examined once, when
 * it is older than the grace period. That is enough because nothing un-names a file without deleting
 * it: replacing a video or captions, or removing captions, deletes the old file in the same
 * transaction (`updateExpertSession`), and a soft delete keeps both. Code that ever drops a
 * reference must delete the file itself.
 */

/**
 * How long an upload may stay unsaved before the sweep deletes it, in milliseconds (24 hours). An
 * admin who saves the form later gets NOT_FOUND ("upload it again").
 */
const ORPHANED_VIDEO_GRACE_MS = DAY_MS;

/** Files examined per sweep transaction (each costs one `_storage` read and up to three index lookups). */
export const ORPHAN_SWEEP_PAGE_SIZE = 100;

export const orphanSweepPageResultValidator = v.object({
  /** Files of `_storage` examined by this page. */
  examined: v.number(),
  /** Orphans among them, deleted from storage. */
  deleted: v.number(),
  /** The checkpoint after this page (epoch ms; 0 before any file was examined). */
  checkedThroughCreationTime: v.number(),
  /** True when no file up to the cutoff is left to examine; false = the caller schedules another page. */
  finished: v.boolean(),
});
type OrphanSweepPageResult = Infer<typeof orphanSweepPageResultValidator>;

/** The latest creation time (epoch ms) a sweep started at `now` (epoch ms) may examine. */
export function orphanSweepCutoff(now: number): number {
  return now - ORPHANED_VIDEO_GRACE_MS;
}

/** The sweep checkpoint row, or null before the first sweep. */
async function videoSweepCheckpoint(ctx: MutationCtx): Promise<Doc<"expertSessionVideoSweeps"> | null> {
  // A single-row table: `first()` reads one document.
  return await ctx.db.query("expertSessionVideoSweeps").first();
}

/**
 * Examines the next page of at most {@link ORPHAN_SWEEP_PAGE_SIZE} files of `_storage` created after
 * the checkpoint and at or before `cutoff` (oldest first, through the `by_creation_time` index), and
 * deletes each one no expert session names as video or captions (indexes `by_videoStorageId` and
 * `by_captionsStorageId`; soft-deleted sessions count, they keep their files), together with its
 * `expertSessionCheckedCaptions` record if any. Then moves the checkpoint past the examined files.
 * Idempotent: a page only
 * sees files after the checkpoint it reads in the same transaction, so overlapping runs never
 * examine a file twice.
 * @param cutoff epoch ms; files created after it are younger than the grace period and are left for
 *   a later run. Fixed for a whole run so that it ends.
 * @param now epoch ms, stored as the checkpoint's `updatedAt`.
 */
export async function sweepOrphanedVideosPage(ctx: MutationCtx, cutoff: number, now: number): Promise<OrphanSweepPageResult> {
  const checkpoint = await videoSweepCheckpoint(ctx);
  const after = checkpoint?.checkedThroughCreationTime ?? 0;
  const files = await ctx.db.system
    .query("_storage")
    .withIndex("by_creation_time", (q) => q.gt("_creationTime", after).lte("_creationTime", cutoff))
    .take(ORPHAN_SWEEP_PAGE_SIZE + 1);
  const more = files.length > ORPHAN_SWEEP_PAGE_SIZE;
  const page = pageEndingBeforeCreationTime(files.slice(0, ORPHAN_SWEEP_PAGE_SIZE), more ? files[ORPHAN_SWEEP_PAGE_SIZE] : undefined);

  let deleted = 0;
  for (const file of page) {
    if (await isNamedByExpertSession(ctx, file._id)) continue;
    const check = await checkedCaptionsRow(ctx, file._id);
    if (check !== null) await ctx.db.delete("expertSessionCheckedCaptions", check._id);
    await ctx.storage.delete(file._id);
    deleted += 1;
  }

  const checkedThroughCreationTime = page.length > 0 ? page[page.length - 1]._creationTime : after;
  if (checkpoint === null) {
    await ctx.db.insert("expertSessionVideoSweeps", { checkedThroughCreationTime, filesDeleted: deleted, updatedAt: now });
  } else if (page.length > 0) {
    await ctx.db.patch("expertSessionVideoSweeps", checkpoint._id, {
      checkedThroughCreationTime,
      filesDeleted: checkpoint.filesDeleted + deleted,
      updatedAt: now,
    });
  }
  return { examined: page.length, deleted, checkedThroughCreationTime, finished: !more };
}

/**
 * True when an expert session (active, draft or soft-deleted) names `storageId` as its video or as
 * its captions file (indexes `by_videoStorageId`, then `by_captionsStorageId`).
 */
async function isNamedByExpertSession(ctx: QueryCtx, storageId: Id<"_storage">): Promise<boolean> {
  const videoOwner = await ctx.db
    .query("expertSessions")
    .withIndex("by_videoStorageId", (q) => q.eq("videoStorageId", storageId))
    .first();
  if (videoOwner !== null) return true;
  const captionsOwner = await ctx.db
    .query("expertSessions")
    .withIndex("by_captionsStorageId", (q) => q.eq("captionsStorageId", storageId))
    .first();
  return captionsOwner !== null;
}

/**
 * The page without its trailing files that share their creation time with `next` (the first file
 * left for the next page, read one past the page), so that the next page (creation time strictly
 * after the checkpoint) cannot skip them. A page whose files all share `next`'s creation time is kept
 * whole (then further files of that exact millisecond would be skipped; the creation times of one
 * table are distinct in practice).
 */
function pageEndingBeforeCreationTime<File extends { _creationTime: number }>(page: File[], next: File | undefined): File[] {
  if (next === undefined) return page;
  const complete = page.filter((file) => file._creationTime < next._creationTime);
  return complete.length > 0 ? complete : page;
}
