import { v } from "convex/values";
import { canReadAllExpertSessions, type Viewer } from "./model/access";
import { throwError } from "./model/errors";
import {
  createExpertSession,
  expertSessionStats,
  expertSessionStatsValidator,
  getExpertSessionForStaff,
  getExpertSessionForStudent,
  heartbeatResultValidator,
  listExpertSessionsForStaff,
  listExpertSessionsForStudent,
  recordHeartbeat,
  softDeleteExpertSession,
  staffExpertSessionDetailValidator,
  staffExpertSessionValidator,
  studentExpertSessionDetailValidator,
  studentExpertSessionValidator,
  updateExpertSession,
  videoInputValidator,
} from "./model/expertSessions";
import { permissionMutation, permissionQuery, userQuery } from "./model/functions";
import { watchedIntervalValidator } from "./tables/expertSessions";

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
  title: v.string(),
  description: v.optional(v.string()),
  /** One or more distinct product ids. */
  productIds: v.array(v.id("products")),
  /** Visible to students; requires a video. */
  active: v.boolean(),
  /** An upload made with `generateUploadUrl`, with its length in seconds. */
  video: v.optional(videoInputValidator),
};

/**
 * A short-lived URL to POST one video file to Convex file storage (the response carries the
 * `storageId` to pass to `create`/`update`). Admins.
 */
export const generateUploadUrl = permissionMutation("expertSessions.manage")({
  args: {},
  returns: v.string(),
  handler: async (ctx) => await ctx.storage.generateUploadUrl(),
});

/**
 * Creates an expert session with its product links, all or nothing. Admins.
 * Args: `{ title, description?, productIds, active, video?: { storageId, durationSeconds } }`.
 * @throws ConvexError INVALID_ARGUMENT (title, no/duplicate products, video type/size/length),
 *   NOT_FOUND (unknown product or upload), CONFLICT (video used elsewhere), FAILED_PRECONDITION (active
 *   without video), FORBIDDEN, UNAUTHENTICATED.
 */
export const create = permissionMutation("expertSessions.manage")({
  args: formArgs,
  returns: v.id("expertSessions"),
  handler: async (ctx, args) => await createExpertSession(ctx, ctx.viewer, args, Date.now()),
});

/**
 * Saves the edit form, all or nothing: fields, optionally a new video (`video` absent keeps the
 * current one), and the product links (adds the new ones, removes the dropped ones). Admins.
 * @returns how many links were added and removed.
 * @throws ConvexError as `create`, plus NOT_FOUND for a missing or deleted session.
 */
export const update = permissionMutation("expertSessions.manage")({
  args: { expertSessionId: v.id("expertSessions"), ...formArgs },
  returns: v.object({ added: v.number(), removed: v.number() }),
  handler: async (ctx, { expertSessionId, ...input }) => await updateExpertSession(ctx, expertSessionId, input, Date.now()),
});

/**
 * Soft-deletes a session: hidden from students at once; progress rows are kept. Admins.
 * @throws ConvexError NOT_FOUND (missing or already deleted), FORBIDDEN, UNAUTHENTICATED.
 */
export const remove = permissionMutation("expertSessions.manage")({
  args: { expertSessionId: v.id("expertSessions") },
  returns: v.null(),
  handler: async (ctx, { expertSessionId }) => {
    await softDeleteExpertSession(ctx, expertSessionId, Date.now());
    return null;
  },
});

/**
 * All not-deleted sessions, newest first, with product badges; `productId` filters to one product.
 * Admins and staff who read all sessions.
 * @throws ConvexError FORBIDDEN, UNAUTHENTICATED.
 */
export const listForStaff = userQuery({
  args: { productId: v.optional(v.id("products")) },
  returns: v.array(staffExpertSessionValidator),
  handler: async (ctx, { productId }) => {
    requireExpertSessionReader(ctx.viewer);
    return await listExpertSessionsForStaff(ctx, productId);
  },
});

/**
 * One session for the staff edit form (product ids, video preview URL and file details), or null
 * when missing or deleted. Admins and staff who read all sessions.
 * @throws ConvexError FORBIDDEN, UNAUTHENTICATED.
 */
export const getForStaff = userQuery({
  args: { expertSessionId: v.id("expertSessions") },
  returns: v.union(staffExpertSessionDetailValidator, v.null()),
  handler: async (ctx, { expertSessionId }) => {
    requireExpertSessionReader(ctx.viewer);
    return await getExpertSessionForStaff(ctx, expertSessionId);
  },
});

/**
 * Statistics of one session: students started and completed, completion rate (0–1), average seconds
 * watched. Admins and staff who read all sessions.
 * @throws ConvexError NOT_FOUND, FORBIDDEN, UNAUTHENTICATED.
 */
export const stats = userQuery({
  args: { expertSessionId: v.id("expertSessions") },
  returns: expertSessionStatsValidator,
  handler: async (ctx, { expertSessionId }) => {
    requireExpertSessionReader(ctx.viewer);
    return await expertSessionStats(ctx, expertSessionId);
  },
});

/**
 * The caller's expert sessions: published sessions of the products they hold active access to, each
 * once, with resume position and completion. Students.
 * @throws ConvexError FORBIDDEN, UNAUTHENTICATED.
 */
export const listMine = permissionQuery("expertSessions.watch")({
  args: {},
  returns: v.array(studentExpertSessionValidator),
  handler: async (ctx) => await listExpertSessionsForStudent(ctx, ctx.viewer),
});

/**
 * The player page: session, playable video URL and the caller's progress; null when the session is
 * missing or not theirs to watch. Students.
 * @throws ConvexError FORBIDDEN, UNAUTHENTICATED.
 */
export const getForStudent = permissionQuery("expertSessions.watch")({
  args: { expertSessionId: v.id("expertSessions") },
  returns: v.union(studentExpertSessionDetailValidator, v.null()),
  handler: async (ctx, { expertSessionId }) => await getExpertSessionForStudent(ctx, ctx.viewer, expertSessionId),
});

/**
 * Progress heartbeat from the player (every 15 s, on pause, when the tab is hidden).
 * Args: `{ expertSessionId, positionSeconds, watchedRanges: [{ start, end }] }` in seconds; the ranges
 * are what the player actually played (e.g. `video.played`). Completion is decided on the server.
 * Students who may watch the session.
 * @returns the stored position, seconds watched and completion.
 * @throws ConvexError NOT_FOUND, INVALID_ARGUMENT, FORBIDDEN, UNAUTHENTICATED.
 */
export const heartbeat = permissionMutation("expertSessions.watch")({
  args: {
    expertSessionId: v.id("expertSessions"),
    positionSeconds: v.number(),
    watchedRanges: v.array(watchedIntervalValidator),
  },
  returns: heartbeatResultValidator,
  handler: async (ctx, { expertSessionId, positionSeconds, watchedRanges }) =>
    await recordHeartbeat(ctx, ctx.viewer, expertSessionId, { positionSeconds, watchedRanges }, Date.now()),
});
