import { v, type Infer } from "convex/values";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { canWatchExpertSession, isExpertSessionPublished, type Viewer } from "../access";
import { activeProductIdsOf } from "../catalog/lookups";
import { throwError } from "../errors";
import { heartbeatAllowanceSeconds, isCompletedWatch, mergeWatchedIntervals, type Interval } from "./watchProgress";
import { EXPERT_SESSION_LIST_LIMIT, MAX_REPORTED_RANGES } from "./limits";
import { productBadgeValidator, productBadges, linksOf } from "./productLinks";

/** Expert sessions (SPEC §5): the student list, the player and watching progress (heartbeats). */

const progressValidator = v.object({
  /** Where to resume, in seconds. */
  lastPositionSeconds: v.number(),
  secondsWatched: v.number(),
  /** Epoch ms when 90% had been watched, if so. */
  completedAt: v.optional(v.number()),
});

export const studentExpertSessionValidator = v.object({
  _id: v.id("expertSessions"),
  _creationTime: v.number(),
  title: v.string(),
  description: v.string(),
  durationSeconds: v.number(),
  /** True when the video has captions. */
  hasCaptions: v.boolean(),
  /** The student's own products that carry this session. */
  products: v.array(productBadgeValidator),
  progress: v.union(progressValidator, v.null()),
});
type StudentExpertSession = Infer<typeof studentExpertSessionValidator>;

function progressView(row: Doc<"expertSessionProgress"> | null): Infer<typeof progressValidator> | null {
  if (row === null) return null;
  return {
    lastPositionSeconds: row.lastPositionSeconds,
    secondsWatched: row.secondsWatched,
    ...(row.completedAt !== undefined ? { completedAt: row.completedAt } : {}),
  };
}

/** The student's progress row for a session, if any. */
async function progressRow(
  ctx: QueryCtx,
  studentId: Id<"users">,
  expertSessionId: Id<"expertSessions">,
): Promise<Doc<"expertSessionProgress"> | null> {
  return await ctx.db
    .query("expertSessionProgress")
    .withIndex("by_studentId_and_expertSessionId", (q) => q.eq("studentId", studentId).eq("expertSessionId", expertSessionId))
    .unique();
}

/** A session as the student's list shows it: its fields, the badges of `productIds` and the student's progress. */
async function studentSummary(
  ctx: QueryCtx,
  viewer: Viewer,
  session: Doc<"expertSessions">,
  durationSeconds: number,
  productIds: readonly Id<"products">[],
): Promise<StudentExpertSession> {
  return {
    _id: session._id,
    _creationTime: session._creationTime,
    title: session.title,
    description: session.description,
    durationSeconds,
    hasCaptions: session.captionsStorageId !== undefined,
    products: await productBadges(ctx, productIds),
    progress: progressView(await progressRow(ctx, viewer._id, session._id)),
  };
}

/**
 * The published sessions of the products `viewer` holds active access to, each once however many of
 * their products carry it, newest first, with the student's resume position and completion. Students
 * (`expertSessions.watch`).
 */
export async function listExpertSessionsForStudent(ctx: QueryCtx, viewer: Viewer): Promise<StudentExpertSession[]> {
  const productsBySession = new Map<Id<"expertSessions">, Id<"products">[]>();
  for (const productId of await activeProductIdsOf(ctx, viewer._id)) {
    const links = await ctx.db
      .query("expertSessionProducts")
      .withIndex("by_productId_and_expertSessionId", (q) => q.eq("productId", productId))
      .take(EXPERT_SESSION_LIST_LIMIT);
    for (const link of links) {
      productsBySession.set(link.expertSessionId, [...(productsBySession.get(link.expertSessionId) ?? []), productId]);
    }
  }
  const result: StudentExpertSession[] = [];
  for (const [expertSessionId, productIds] of productsBySession) {
    const session = await ctx.db.get("expertSessions", expertSessionId);
    if (session === null || !isExpertSessionPublished(session) || session.durationSeconds === undefined) continue;
    result.push(await studentSummary(ctx, viewer, session, session.durationSeconds, productIds));
  }
  return result.sort((a, b) => b._creationTime - a._creationTime);
}

export const studentExpertSessionDetailValidator = v.object({
  ...studentExpertSessionValidator.fields,
  videoUrl: v.string(),
  /** The captions track: WebVTT file URL and BCP 47 language; null without captions. */
  captions: v.union(v.object({ url: v.string(), language: v.string() }), v.null()),
});

/**
 * The player page's data: the session, a playable video URL, its captions track (URL and language,
 * when attached) and the student's progress; null when the session is missing or the viewer may not
 * watch it (`access.ts#canWatchExpertSession`). The captions URL is only handed out under that same
 * rule as the video URL. Students (`expertSessions.watch`).
 */
export async function getExpertSessionForStudent(ctx: QueryCtx, viewer: Viewer, expertSessionId: Id<"expertSessions">) {
  const session = await ctx.db.get("expertSessions", expertSessionId);
  if (session === null || !(await canWatchExpertSession(ctx, viewer, session))) return null;
  if (session.videoStorageId === undefined || session.durationSeconds === undefined) return null;
  const videoUrl = await ctx.storage.getUrl(session.videoStorageId);
  if (videoUrl === null) return null;
  const captionsUrl = session.captionsStorageId !== undefined ? await ctx.storage.getUrl(session.captionsStorageId) : null;
  const studentProducts = new Set<string>(await activeProductIdsOf(ctx, viewer._id));
  const links = await linksOf(ctx, expertSessionId);
  const productIds = links.map((link) => link.productId).filter((productId) => studentProducts.has(productId));
  return {
    ...(await studentSummary(ctx, viewer, session, session.durationSeconds, productIds)),
    videoUrl,
    captions:
      captionsUrl !== null && session.captionsLanguage !== undefined ? { url: captionsUrl, language: session.captionsLanguage } : null,
  };
}

export const heartbeatResultValidator = v.object({
  lastPositionSeconds: v.number(),
  secondsWatched: v.number(),
  completed: v.boolean(),
  completedAt: v.optional(v.number()),
});

/**
 * Saves a progress heartbeat, sent by the player every 15 s, on pause and when the tab is hidden, by a
 * student who may watch the session (`expertSessions.watch`). The server merges the reported ranges into the stored ones (clamped to
 * the duration, and limited to what the wall time since the previous heartbeat allows, see
 * {@link heartbeatAllowanceSeconds}) and marks completion once {@link COMPLETION_RATIO} of the
 * duration is covered. Jumping to the end only moves the resume position.
 * @param report.positionSeconds the player's current position; `watchedRanges` the ranges actually
 *   played (`video.played`), `[{ start, end }]`, all in seconds.
 * @returns the stored position, seconds watched and completion.
 * @param now epoch ms.
 * @throws ConvexError NOT_FOUND (missing, deleted, unpublished or not the student's), INVALID_ARGUMENT
 *   (not finite, negative-length or too many ranges).
 */
export async function recordHeartbeat(
  ctx: MutationCtx,
  viewer: Viewer,
  expertSessionId: Id<"expertSessions">,
  report: { positionSeconds: number; watchedRanges: Interval[] },
  now: number,
): Promise<Infer<typeof heartbeatResultValidator>> {
  const session = await ctx.db.get("expertSessions", expertSessionId);
  if (session === null || !(await canWatchExpertSession(ctx, viewer, session)) || session.durationSeconds === undefined) {
    throwError("NOT_FOUND", "That expert session does not exist.");
  }
  if (!Number.isFinite(report.positionSeconds)) {
    throwError("INVALID_ARGUMENT", "The playback position must be a number of seconds.", { field: "positionSeconds" });
  }
  if (report.watchedRanges.length > MAX_REPORTED_RANGES) {
    throwError("INVALID_ARGUMENT", `At most ${MAX_REPORTED_RANGES} watched ranges can be reported at once.`, { field: "watchedRanges" });
  }
  for (const range of report.watchedRanges) {
    if (!Number.isFinite(range.start) || !Number.isFinite(range.end) || range.end < range.start) {
      throwError("INVALID_ARGUMENT", "Each watched range needs a start before its end, in seconds.", { field: "watchedRanges" });
    }
  }
  const duration = session.durationSeconds;
  const existing = await progressRow(ctx, viewer._id, expertSessionId);
  const { intervals, secondsWatched } = mergeWatchedIntervals(
    existing?.watchedIntervals ?? [],
    report.watchedRanges,
    duration,
    heartbeatAllowanceSeconds(existing?.lastHeartbeatAt, now),
  );
  const lastPositionSeconds = Math.min(Math.max(report.positionSeconds, 0), duration);
  const completedAt = existing?.completedAt ?? (isCompletedWatch(secondsWatched, duration) ? now : undefined);
  const fields = {
    lastPositionSeconds,
    secondsWatched,
    watchedIntervals: intervals,
    lastHeartbeatAt: now,
    ...(completedAt !== undefined ? { completedAt } : {}),
  };
  if (existing === null) {
    await ctx.db.insert("expertSessionProgress", { studentId: viewer._id, expertSessionId, startedAt: now, ...fields });
  } else {
    await ctx.db.patch("expertSessionProgress", existing._id, fields);
  }
  return { lastPositionSeconds, secondsWatched, completed: completedAt !== undefined, ...(completedAt !== undefined ? { completedAt } : {}) };
}
