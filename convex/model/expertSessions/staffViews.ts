import { v, type Infer } from "convex/values";
import type { Doc, Id } from "../../_generated/dataModel";
import type { QueryCtx } from "../../_generated/server";
import { EXPERT_SESSION_LIST_LIMIT, STATS_READ_LIMIT } from "./limits";
import { productBadgeValidator, linksOf, productBadges } from "./productLinks";
import { requireDocument } from "../documents";

/** Expert sessions (SPEC §5): the staff list, the edit form's data and the statistics. */

export const staffExpertSessionValidator = v.object({
  _id: v.id("expertSessions"),
  _creationTime: v.number(),
  title: v.string(),
  description: v.string(),
  active: v.boolean(),
  hasVideo: v.boolean(),
  /** True when a WebVTT captions file is attached. */
  hasCaptions: v.boolean(),
  durationSeconds: v.optional(v.number()),
  updatedAt: v.number(),
  /** The linked products, by title. */
  products: v.array(productBadgeValidator),
});
type StaffExpertSession = Infer<typeof staffExpertSessionValidator>;

async function staffSummary(ctx: QueryCtx, session: Doc<"expertSessions">): Promise<StaffExpertSession> {
  const links = await linksOf(ctx, session._id);
  return {
    _id: session._id,
    _creationTime: session._creationTime,
    title: session.title,
    description: session.description,
    active: session.active,
    hasVideo: session.videoStorageId !== undefined,
    hasCaptions: session.captionsStorageId !== undefined,
    ...(session.durationSeconds !== undefined ? { durationSeconds: session.durationSeconds } : {}),
    updatedAt: session.updatedAt,
    products: await productBadges(ctx, links.map((link) => link.productId)),
  };
}

/**
 * The not-deleted sessions, newest first, each with its product badges; only those linked to
 * `productId` when given. For admins and staff who read all sessions (the public query checks
 * `access.ts#canReadAllExpertSessions` first).
 */
export async function listExpertSessionsForStaff(
  ctx: QueryCtx,
  productId: Id<"products"> | undefined,
): Promise<StaffExpertSession[]> {
  let sessions: Doc<"expertSessions">[];
  if (productId === undefined) {
    sessions = await ctx.db
      .query("expertSessions")
      .withIndex("by_deletedAt", (q) => q.eq("deletedAt", undefined))
      .order("desc")
      .take(EXPERT_SESSION_LIST_LIMIT);
  } else {
    const links = await ctx.db
      .query("expertSessionProducts")
      .withIndex("by_productId_and_expertSessionId", (q) => q.eq("productId", productId))
      .take(EXPERT_SESSION_LIST_LIMIT);
    sessions = [];
    for (const link of links) {
      const session = await ctx.db.get("expertSessions", link.expertSessionId);
      if (session !== null && session.deletedAt === undefined) sessions.push(session);
    }
    sessions.sort((a, b) => b._creationTime - a._creationTime);
  }
  return await Promise.all(sessions.map((session) => staffSummary(ctx, session)));
}

export const staffExpertSessionDetailValidator = v.object({
  ...staffExpertSessionValidator.fields,
  productIds: v.array(v.id("products")),
  /** A playable URL of the video for a staff preview, when one is uploaded. */
  videoUrl: v.union(v.string(), v.null()),
  /** Size in bytes and content type of the uploaded file. */
  videoSize: v.optional(v.number()),
  videoContentType: v.optional(v.string()),
  /** The attached captions: file, BCP 47 language, a URL for a staff preview and the size in bytes. */
  captions: v.union(
    v.object({
      storageId: v.id("_storage"),
      language: v.string(),
      url: v.union(v.string(), v.null()),
      size: v.optional(v.number()),
    }),
    v.null(),
  ),
});

async function staffCaptionsView(ctx: QueryCtx, session: Doc<"expertSessions">) {
  if (session.captionsStorageId === undefined || session.captionsLanguage === undefined) return null;
  const metadata = await ctx.db.system.get("_storage", session.captionsStorageId);
  return {
    storageId: session.captionsStorageId,
    language: session.captionsLanguage,
    url: await ctx.storage.getUrl(session.captionsStorageId),
    ...(metadata !== null ? { size: metadata.size } : {}),
  };
}

/**
 * The edit form's data of a not-deleted session (product ids, video preview URL, video and captions
 * file details), or null when it is missing or deleted. For admins and staff who read all sessions.
 */
export async function getExpertSessionForStaff(ctx: QueryCtx, expertSessionId: Id<"expertSessions">) {
  const session = await ctx.db.get("expertSessions", expertSessionId);
  if (session === null || session.deletedAt !== undefined) return null;
  const summary = await staffSummary(ctx, session);
  const links = await linksOf(ctx, expertSessionId);
  const metadata = session.videoStorageId !== undefined ? await ctx.db.system.get("_storage", session.videoStorageId) : null;
  return {
    ...summary,
    productIds: links.map((link) => link.productId),
    videoUrl: session.videoStorageId !== undefined ? await ctx.storage.getUrl(session.videoStorageId) : null,
    ...(metadata !== null ? { videoSize: metadata.size } : {}),
    ...(metadata?.contentType !== undefined ? { videoContentType: metadata.contentType } : {}),
    captions: await staffCaptionsView(ctx, session),
  };
}

export const expertSessionStatsValidator = v.object({
  /** Students with at least one progress heartbeat. */
  started: v.number(),
  /** Students who watched at least 90%. */
  completed: v.number(),
  /** completed / started, 0–1 (0 when nobody started). */
  completionRate: v.number(),
  /** Mean seconds watched per student who started (0 when nobody started). */
  averageSecondsWatched: v.number(),
  /** True when more than {@link STATS_READ_LIMIT} students started and only the first ones were counted. */
  truncated: v.boolean(),
});
type ExpertSessionStats = Infer<typeof expertSessionStatsValidator>;

/**
 * Per-session statistics from its progress rows (kept after a soft delete): students who started and
 * completed, completion rate (0–1), average seconds watched. For admins and staff who read all sessions.
 * @throws ConvexError NOT_FOUND for an unknown session.
 */
export async function expertSessionStats(ctx: QueryCtx, expertSessionId: Id<"expertSessions">): Promise<ExpertSessionStats> {
  await requireDocument(ctx, "expertSessions", expertSessionId, "That expert session does not exist.");
  const rows = await ctx.db
    .query("expertSessionProgress")
    .withIndex("by_expertSessionId", (q) => q.eq("expertSessionId", expertSessionId))
    .take(STATS_READ_LIMIT + 1);
  const counted = rows.slice(0, STATS_READ_LIMIT);
  const started = counted.length;
  const completed = counted.filter((row) => row.completedAt !== undefined).length;
  const watched = counted.reduce((sum, row) => sum + row.secondsWatched, 0);
  return {
    started,
    completed,
    completionRate: started === 0 ? 0 : completed / started,
    averageSecondsWatched: started === 0 ? 0 : watched / started,
    truncated: rows.length > STATS_READ_LIMIT,
  };
}
