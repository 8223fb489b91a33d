import { v } from "convex/values";
import { textArg, optionalArg, listArg, numberArg, DEFAULT_MAX_LIST_LENGTH, MAX_VIDEO_SECONDS } from "./model/validation";
import { internal } from "./_generated/api";
import { action, internalMutation, internalQuery, type QueryCtx } from "./_generated/server";
import { canReadAllExpertSessions, requirePermission, requireViewer, type Viewer } from "./model/access";
import { throwError } from "./model/errors";
import { permissionMutation, permissionQuery, userQuery } from "./model/functions";
import { captionsInputValidator, requireWebVttBytes, requireCaptionsFileMetadata, recordCheckedCaptions } from "./model/expertSessions/captions";
import { videoInputValidator, createExpertSession, updateExpertSession, softDeleteExpertSession } from "./model/expertSessions/staffEditing";
import { staffExpertSessionValidator, listExpertSessionsForStaff, staffExpertSessionDetailValidator, getExpertSessionForStaff, expertSessionStatsValidator, expertSessionStats } from "./model/expertSessions/staffViews";
import { studentExpertSessionValidator, listExpertSessionsForStudent, studentExpertSessionDetailValidator, getExpertSessionForStudent, heartbeatResultValidator, recordHeartbeat } from "./model/expertSessions/studentViews";

/**
 * Expert sessions (SPEC §5). Admins manage them (`expertSessions.manage`); staff who read all sessions
 * also see the staff list and statistics; students (`expertSessions.watch`) watch the published
 * sessions of their products and save progress by heartbeat.
 */

/** @throws ConvexError FORBIDDEN unless the viewer manages expert sessions or reads all sessions. */
function requireExpertSessionReader(viewer: Viewer): void {
  if (!canReadAllExpertSessions(viewer)) {
    throwError("FORBIDDEN", "Your account does not have permission to see all expert sessions.");
  }
}

const formArgs = {
  title: textArg("Title", 200),
  description: optionalArg(textArg("Description", 5000)),
  /** One or more distinct product ids. */
  productIds: listArg("Products", v.id("products"), 100),
  /** Visible to students; requires a video. */
  active: v.boolean(),
  /** An upload made with `generateUploadUrl`, with its length in seconds. */
  video: v.optional(videoInputValidator),
  /**
   * WebVTT captions `{ storageId, language }` (BCP 47 tag): an upload passed through
   * `checkCaptionsUpload`, or the session's current file to change only the language. On update,
   * absent keeps the current captions and null removes them; on create, null or absent = none.
   */
  captions: v.optional(v.union(captionsInputValidator, v.null())),
};

/** @throws ConvexError UNAUTHENTICATED, FORBIDDEN unless the caller manages expert sessions. */
async function requireExpertSessionManager(ctx: QueryCtx): Promise<Viewer> {
  const viewer = await requireViewer(ctx);
  requirePermission(viewer, "expertSessions.manage");
  return viewer;
}

/**
 * A short-lived URL to POST one file to Convex file storage (the response carries the `storageId`):
 * a video to pass to `create`/`update`, or a WebVTT captions file to pass to `checkCaptionsUpload`
 * first. Admins.
 */
export const generateUploadUrl = permissionMutation("expertSessions.manage")({
  args: {},
  returns: v.string(),
  handler: async (ctx) => await ctx.storage.generateUploadUrl(),
});

/**
 * Checks an uploaded captions file right after its upload, since the save mutations cannot read file
 * contents: the storage metadata (content type `text/vtt`, at most 2 MB, not another session's
 * captions), then the file's first bytes (optional UTF-8 BOM, then "WEBVTT" and a space, tab, line
 * break or the end). A file that passes is recorded as checked, and only then can `create`/`update`
 * attach it. A file that fails stays unattached and is deleted by the orphan sweep after 24 hours.
 * Args: `{ storageId }` from an upload to a `generateUploadUrl` URL. Admins.
 * @throws ConvexError INVALID_ARGUMENT (type, size, not WebVTT), NOT_FOUND (no such upload), CONFLICT
 *   (captions of another session), FORBIDDEN, UNAUTHENTICATED.
 */
export const checkCaptionsUpload = action({
  args: { storageId: v.id("_storage") },
  returns: v.null(),
  handler: async (ctx, { storageId }) => {
    await ctx.runQuery(internal.expertSessions.captionsUploadToCheck, { storageId });
    await requireWebVttBytes(await ctx.storage.get(storageId));
    await ctx.runMutation(internal.expertSessions.recordCheckedCaptionsUpload, { storageId });
    return null;
  },
});

/** First step of `checkCaptionsUpload` (caller manages expert sessions, upload metadata); see `model/expertSessions/captions.ts#requireCaptionsFileMetadata`. */
export const captionsUploadToCheck = internalQuery({
  args: { storageId: v.id("_storage") },
  returns: v.null(),
  handler: async (ctx, { storageId }) => {
    await requireExpertSessionManager(ctx);
    await requireCaptionsFileMetadata(ctx, storageId);
    return null;
  },
});

/** Last step of `checkCaptionsUpload`; see `model/expertSessions/captions.ts#recordCheckedCaptions`. */
export const recordCheckedCaptionsUpload = internalMutation({
  args: { storageId: v.id("_storage") },
  returns: v.null(),
  handler: async (ctx, { storageId }) => {
    const viewer = await requireExpertSessionManager(ctx);
    await recordCheckedCaptions(ctx, viewer, storageId, Date.now());
    return null;
  },
});

/** Creates an expert session; see `model/expertSessions/staffEditing.ts#createExpertSession`. */
export const create = permissionMutation("expertSessions.manage")({
  args: formArgs,
  returns: v.id("expertSessions"),
  handler: async (ctx, args) => await createExpertSession(ctx, ctx.viewer, args, Date.now()),
});

/** Saves the edit form; see `model/expertSessions/staffEditing.ts#updateExpertSession`. */
export const update = permissionMutation("expertSessions.manage")({
  args: { expertSessionId: v.id("expertSessions"), ...formArgs },
  returns: v.object({ added: v.number(), removed: v.number() }),
  handler: async (ctx, { expertSessionId, ...input }) => await updateExpertSession(ctx, expertSessionId, input, Date.now()),
});

/** Soft-deletes a session; see `model/expertSessions/staffEditing.ts#softDeleteExpertSession`. */
export const remove = permissionMutation("expertSessions.manage")({
  args: { expertSessionId: v.id("expertSessions") },
  returns: v.null(),
  handler: (ctx, { expertSessionId }) => softDeleteExpertSession(ctx, expertSessionId, Date.now()),
});

/** The staff list; see `model/expertSessions/staffViews.ts#listExpertSessionsForStaff`. */
export const listForStaff = userQuery({
  args: { productId: v.optional(v.id("products")) },
  returns: v.array(staffExpertSessionValidator),
  handler: async (ctx, { productId }) => {
    requireExpertSessionReader(ctx.viewer);
    return await listExpertSessionsForStaff(ctx, productId);
  },
});

/** One session for the edit form; see `model/expertSessions/staffViews.ts#getExpertSessionForStaff`. */
export const getForStaff = userQuery({
  args: { expertSessionId: v.id("expertSessions") },
  returns: v.union(staffExpertSessionDetailValidator, v.null()),
  handler: async (ctx, { expertSessionId }) => {
    requireExpertSessionReader(ctx.viewer);
    return await getExpertSessionForStaff(ctx, expertSessionId);
  },
});

/** One session's statistics; see `model/expertSessions/staffViews.ts#expertSessionStats`. */
export const stats = userQuery({
  args: { expertSessionId: v.id("expertSessions") },
  returns: expertSessionStatsValidator,
  handler: async (ctx, { expertSessionId }) => {
    requireExpertSessionReader(ctx.viewer);
    return await expertSessionStats(ctx, expertSessionId);
  },
});

/** The student's expert sessions; see `model/expertSessions/studentViews.ts#listExpertSessionsForStudent`. */
export const listMine = permissionQuery("expertSessions.watch")({
  args: {},
  returns: v.array(studentExpertSessionValidator),
  handler: async (ctx) => await listExpertSessionsForStudent(ctx, ctx.viewer),
});

/** The player page; see `model/expertSessions/studentViews.ts#getExpertSessionForStudent`. */
export const getForStudent = permissionQuery("expertSessions.watch")({
  args: { expertSessionId: v.id("expertSessions") },
  returns: v.union(studentExpertSessionDetailValidator, v.null()),
  handler: async (ctx, { expertSessionId }) => await getExpertSessionForStudent(ctx, ctx.viewer, expertSessionId),
});

/** A progress heartbeat from the player; see `model/expertSessions/studentViews.ts#recordHeartbeat`. */
export const heartbeat = permissionMutation("expertSessions.watch")({
  args: {
    expertSessionId: v.id("expertSessions"),
    positionSeconds: numberArg("Position (seconds)", 0, MAX_VIDEO_SECONDS),
    watchedRanges: listArg(
      "Watched ranges",
      v.object({ start: numberArg("Watched from (seconds)", 0, MAX_VIDEO_SECONDS), end: numberArg("Watched to (seconds)", 0, MAX_VIDEO_SECONDS) }),
      DEFAULT_MAX_LIST_LENGTH,
    ),
  },
  returns: heartbeatResultValidator,
  handler: async (ctx, { expertSessionId, positionSeconds, watchedRanges }) =>
    await recordHeartbeat(ctx, ctx.viewer, expertSessionId, { positionSeconds, watchedRanges }, Date.now()),
});
