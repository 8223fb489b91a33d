import { v, type Infer } from "convex/values";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { type Viewer } from "../access";
import { throwError } from "../errors";
import {
  MAX_VIDEO_BYTES
} from "./files";
import { optionalText, requireText, numberArg, MAX_VIDEO_SECONDS } from "../validation";
import { CaptionsInput, requireCaptions } from "./captions";
import { MAX_DURATION_SECONDS } from "./limits";
import { requireProductSelection, diffProductLinks, linksOf } from "./productLinks";

/** Expert sessions (SPEC §5): staff create, edit and delete sessions. */

/** The uploaded video named on save: its storage id and its length in seconds as the browser read it. */
export const videoInputValidator = v.object({ storageId: v.id("_storage"), durationSeconds: numberArg("Video length (seconds)", 0, MAX_VIDEO_SECONDS) });
type VideoInput = Infer<typeof videoInputValidator>;


/** What staff fill in on the form. */
type ExpertSessionInput = {
  title: string;
  description?: string;
  productIds: Id<"products">[];
  active: boolean;
  video?: VideoInput;
  /**
   * Absent = keep the current captions (none on create); null = remove them (the file is deleted);
   * a storage id = attach, replace (the old file is deleted) or, with the current file's id, change
   * only the language.
   */
  captions?: CaptionsInput | null;
};

/**
 * Checks an uploaded video against its storage metadata (`_storage` system table): it exists, its
 * content type is `video/*`, it is at most {@link MAX_VIDEO_BYTES}, the duration is plausible and no
 * other expert session uses the file.
 * @param expertSessionId the session being edited (its own file is not a clash).
 * @throws ConvexError NOT_FOUND (no such upload), INVALID_ARGUMENT (type, size, duration), CONFLICT (file in use).
 */
async function requireUploadedVideo(
  ctx: QueryCtx,
  video: VideoInput,
  expertSessionId?: Id<"expertSessions">,
): Promise<void> {
  const metadata = await ctx.db.system.get("_storage", video.storageId);
  if (metadata === null) throwError("NOT_FOUND", "The uploaded video was not found. Please upload it again.", { field: "video" });
  if (!metadata.contentType?.startsWith("video/")) {
    throwError("INVALID_ARGUMENT", "The uploaded file is not a video. Choose an MP4, WebM or other video file.", { field: "video" });
  }
  if (metadata.size > MAX_VIDEO_BYTES) {
    throwError("INVALID_ARGUMENT", "The video is larger than 2 GB. Please upload a smaller file.", { field: "video" });
  }
  if (!Number.isFinite(video.durationSeconds) || video.durationSeconds <= 0 || video.durationSeconds > MAX_DURATION_SECONDS) {
    throwError("INVALID_ARGUMENT", "The video's length could not be read or is longer than 12 hours.", { field: "video" });
  }
  const users = await ctx.db
    .query("expertSessions")
    .withIndex("by_videoStorageId", (q) => q.eq("videoStorageId", video.storageId))
    .take(2);
  if (users.some((session) => session._id !== expertSessionId)) {
    throwError("CONFLICT", "This video file already belongs to another expert session.", { field: "video" });
  }
}

function requirePublishable(active: boolean, hasVideo: boolean): void {
  if (active && !hasVideo) {
    throwError("FAILED_PRECONDITION", "Upload a video before making the session visible to students.", { field: "active" });
  }
}

/**
 * Creates an expert session and its product links in one transaction, with its video and captions
 * when given (`input.captions` null or absent = none). Every check runs before the first write, and
 * a failure rolls everything back. Admins (`expertSessions.manage`).
 * @param input `{ title, description?, productIds, active, video?: { storageId, durationSeconds },
 *   captions?: { storageId, language } | null }`; a new captions file must have passed
 *   `expertSessions.checkCaptionsUpload`.
 * @param now epoch ms.
 * @throws ConvexError INVALID_ARGUMENT (incl. captions type, size, language, not checked as WebVTT),
 *   NOT_FOUND (product or upload), CONFLICT (file in use),
 *   FAILED_PRECONDITION (active without a video).
 */
export async function createExpertSession(
  ctx: MutationCtx,
  viewer: Viewer,
  input: ExpertSessionInput,
  now: number,
): Promise<Id<"expertSessions">> {
  const title = requireText("Title", input.title);
  const description = optionalText("Description", input.description);
  const productIds = await requireProductSelection(ctx, input.productIds);
  if (input.video !== undefined) await requireUploadedVideo(ctx, input.video);
  const captions = input.captions ? await requireCaptions(ctx, input.captions) : null;
  requirePublishable(input.active, input.video !== undefined);
  const expertSessionId = await ctx.db.insert("expertSessions", {
    title,
    description,
    active: input.active,
    createdBy: viewer._id,
    updatedAt: now,
    ...(input.video !== undefined
      ? { videoStorageId: input.video.storageId, durationSeconds: input.video.durationSeconds }
      : {}),
    ...(captions !== null ? { captionsStorageId: captions.storageId, captionsLanguage: captions.language } : {}),
  });
  for (const productId of productIds) await ctx.db.insert("expertSessionProducts", { expertSessionId, productId });
  if (captions?.checkId) await ctx.db.delete("expertSessionCheckedCaptions", captions.checkId);
  return expertSessionId;
}

/**
 * The session unless it is missing or soft-deleted.
 * @throws ConvexError NOT_FOUND.
 */
async function requireLiveExpertSession(
  ctx: QueryCtx,
  expertSessionId: Id<"expertSessions">,
): Promise<Doc<"expertSessions">> {
  const session = await ctx.db.get("expertSessions", expertSessionId);
  if (session === null || session.deletedAt !== undefined) throwError("NOT_FOUND", "That expert session does not exist.");
  return session;
}

/**
 * Saves the edit form in one transaction: fields, optionally a new video (the replaced file is
 * deleted from storage), the captions (attached, replaced or removed; a replaced or removed file is
 * deleted from storage) and the product links (only the differences are written). Admins
 * (`expertSessions.manage`).
 * @param input.video absent = keep the current video.
 * @param input.captions absent = keep the current captions; null = remove them; see {@link ExpertSessionInput}.
 * @returns how many product links were added and removed.
 * @throws ConvexError NOT_FOUND (session, product, upload), INVALID_ARGUMENT, CONFLICT, FAILED_PRECONDITION.
 */
export async function updateExpertSession(
  ctx: MutationCtx,
  expertSessionId: Id<"expertSessions">,
  input: ExpertSessionInput,
  now: number,
): Promise<{ added: number; removed: number }> {
  const session = await requireLiveExpertSession(ctx, expertSessionId);
  const title = requireText("Title", input.title);
  const description = optionalText("Description", input.description);
  const productIds = await requireProductSelection(ctx, input.productIds);
  const replacesVideo = input.video !== undefined && input.video.storageId !== session.videoStorageId;
  if (input.video !== undefined) await requireUploadedVideo(ctx, input.video, expertSessionId);
  const captions = input.captions ? await requireCaptions(ctx, input.captions, session) : input.captions;
  // The current captions file is deleted when the save removes it or names another file.
  const dropsCaptionsFile =
    session.captionsStorageId !== undefined && captions !== undefined && captions?.storageId !== session.captionsStorageId;
  requirePublishable(input.active, input.video !== undefined || session.videoStorageId !== undefined);

  const { add, remove } = diffProductLinks(await linksOf(ctx, expertSessionId), productIds);
  await ctx.db.patch("expertSessions", expertSessionId, {
    title,
    description,
    active: input.active,
    updatedAt: now,
    ...(input.video !== undefined
      ? { videoStorageId: input.video.storageId, durationSeconds: input.video.durationSeconds }
      : {}),
    ...(captions === null ? { captionsStorageId: undefined, captionsLanguage: undefined } : {}),
    ...(captions ? { captionsStorageId: captions.storageId, captionsLanguage: captions.language } : {}),
  });
  for (const linkId of remove) await ctx.db.delete("expertSessionProducts", linkId);
  for (const productId of add) await ctx.db.insert("expertSessionProducts", { expertSessionId, productId });
  if (captions?.checkId) await ctx.db.delete("expertSessionCheckedCaptions", captions.checkId);
  if (replacesVideo && session.videoStorageId !== undefined) await ctx.storage.delete(session.videoStorageId);
  if (dropsCaptionsFile && session.captionsStorageId !== undefined) await ctx.storage.delete(session.captionsStorageId);
  return { added: add.length, removed: remove.length };
}

/**
 * Soft-deletes a session: students stop seeing it at once; its links, video and progress rows stay.
 * Admins (`expertSessions.manage`).
 * @throws ConvexError NOT_FOUND (missing or already deleted).
 */
export async function softDeleteExpertSession(ctx: MutationCtx, expertSessionId: Id<"expertSessions">, now: number): Promise<void> {
  await requireLiveExpertSession(ctx, expertSessionId);
  await ctx.db.patch("expertSessions", expertSessionId, { deletedAt: now, updatedAt: now });
}
