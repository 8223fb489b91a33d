import { v, type Infer } from "convex/values";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { watchedIntervalValidator } from "../tables/expertSessions";
import { canWatchExpertSession, isExpertSessionPublished, type Viewer } from "./access";
import { activeProductIdsOf, requireProduct } from "./catalog";
import { throwError } from "./errors";
import { optionalText, requireText } from "./validation";

/**
 * Expert sessions (SPEC §5): recorded talks linked to one or more products, their videos in Convex
 * file storage, and each student's watching progress. The public functions in
 * `convex/expertSessions.ts` are thin wrappers over these helpers.
 */

/** Largest video accepted, in bytes (2 GiB); the upload form checks it too. */
export const MAX_VIDEO_BYTES = 2 * 1024 * 1024 * 1024;
/** Longest video accepted, in seconds (12 hours). */
export const MAX_DURATION_SECONDS = 12 * 60 * 60;
/** Share of the duration a student must have watched for the session to count as completed. */
export const COMPLETION_RATIO = 0.9;
/** Fastest playback the player offers; a heartbeat may claim at most this much video per second of wall time. */
export const MAX_PLAYBACK_RATE = 2;
/** Watched seconds the first heartbeat of a student may claim (the player sends one within 15 s of playing). */
export const FIRST_HEARTBEAT_ALLOWANCE_SECONDS = 40;
/** Extra seconds every later heartbeat may claim on top of the wall time since the previous one. */
export const HEARTBEAT_SLACK_SECONDS = 5;
/** Most watched ranges one heartbeat may report. */
export const MAX_REPORTED_RANGES = 200;
/** Most products one expert session may be linked to. */
export const MAX_PRODUCTS_PER_SESSION = 50;
/** Upper bound of sessions in the staff and student lists. */
export const EXPERT_SESSION_LIST_LIMIT = 500;
/** Upper bound of progress rows the statistics read per session. */
export const STATS_READ_LIMIT = 2000;

// ---------------------------------------------------------------------------------------------------
// Watched intervals (seconds from the start of the video)

/** A stretch of video, in seconds (`start` <= `end`). */
export type Interval = Infer<typeof watchedIntervalValidator>;

/**
 * Clamps every interval to `[0, durationSeconds]`, drops empty ones, sorts them and merges those that
 * overlap or touch.
 */
export function normalizeIntervals(intervals: readonly Interval[], durationSeconds: number): Interval[] {
  const clamped = intervals
    .map((interval) => ({
      start: Math.min(Math.max(interval.start, 0), durationSeconds),
      end: Math.min(Math.max(interval.end, 0), durationSeconds),
    }))
    .filter((interval) => interval.end > interval.start)
    .sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of clamped) {
    const last = merged[merged.length - 1];
    if (last !== undefined && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

/** Total seconds covered by normalized (sorted, non-overlapping) intervals. */
export function totalSeconds(intervals: readonly Interval[]): number {
  return intervals.reduce((sum, interval) => sum + (interval.end - interval.start), 0);
}

/** The parts of `intervals` not covered by `covered` (both normalized); the result is normalized. */
export function subtractIntervals(intervals: readonly Interval[], covered: readonly Interval[]): Interval[] {
  const result: Interval[] = [];
  for (const interval of intervals) {
    let start = interval.start;
    for (const block of covered) {
      if (block.end <= start) continue;
      if (block.start >= interval.end) break;
      if (block.start > start) result.push({ start, end: block.start });
      start = Math.max(start, block.end);
      if (start >= interval.end) break;
    }
    if (start < interval.end) result.push({ start, end: interval.end });
  }
  return result;
}

/** The first `maxSeconds` of normalized intervals, in playback order (the last one cut short if needed). */
export function firstSecondsOf(intervals: readonly Interval[], maxSeconds: number): Interval[] {
  const result: Interval[] = [];
  let left = Math.max(0, maxSeconds);
  for (const interval of intervals) {
    if (left <= 0) break;
    const length = interval.end - interval.start;
    if (length <= left) {
      result.push({ ...interval });
      left -= length;
    } else {
      result.push({ start: interval.start, end: interval.start + left });
      left = 0;
    }
  }
  return result;
}

/**
 * Merges newly reported watched ranges into the stored ones. Ranges are clamped to the duration;
 * of the parts not yet stored, at most `allowanceSeconds` are accepted (earliest first), so a client
 * cannot claim more watching than the wall time since its previous heartbeat allows.
 * @returns the merged intervals and their total length in seconds.
 */
export function mergeWatchedIntervals(
  stored: readonly Interval[],
  reported: readonly Interval[],
  durationSeconds: number,
  allowanceSeconds: number,
): { intervals: Interval[]; secondsWatched: number } {
  const known = normalizeIntervals(stored, durationSeconds);
  const fresh = subtractIntervals(normalizeIntervals(reported, durationSeconds), known);
  const intervals = normalizeIntervals([...known, ...firstSecondsOf(fresh, allowanceSeconds)], durationSeconds);
  return { intervals, secondsWatched: totalSeconds(intervals) };
}

/**
 * Seconds of new watching a heartbeat at `now` may add: {@link FIRST_HEARTBEAT_ALLOWANCE_SECONDS} for
 * the first one, otherwise the wall time since the previous one at {@link MAX_PLAYBACK_RATE} plus
 * {@link HEARTBEAT_SLACK_SECONDS}.
 * @param lastHeartbeatAt epoch ms of the previous heartbeat, if any; `now` in epoch ms.
 */
export function heartbeatAllowanceSeconds(lastHeartbeatAt: number | undefined, now: number): number {
  if (lastHeartbeatAt === undefined) return FIRST_HEARTBEAT_ALLOWANCE_SECONDS;
  return (Math.max(0, now - lastHeartbeatAt) / 1000) * MAX_PLAYBACK_RATE + HEARTBEAT_SLACK_SECONDS;
}

/** True when `secondsWatched` reaches {@link COMPLETION_RATIO} of the duration. */
export function isCompletedWatch(secondsWatched: number, durationSeconds: number): boolean {
  return durationSeconds > 0 && secondsWatched + 1e-9 >= COMPLETION_RATIO * durationSeconds;
}

// ---------------------------------------------------------------------------------------------------
// Staff: create, edit, delete

/** The uploaded video named on save: its storage id and its length in seconds as the browser read it. */
export const videoInputValidator = v.object({ storageId: v.id("_storage"), durationSeconds: v.number() });
export type VideoInput = Infer<typeof videoInputValidator>;

/** What staff fill in on the form. */
export type ExpertSessionInput = {
  title: string;
  description?: string;
  productIds: Id<"products">[];
  active: boolean;
  video?: VideoInput;
};

/**
 * Checks the chosen products: at least one, none twice, each existing.
 * @throws ConvexError INVALID_ARGUMENT (none, too many, duplicates), NOT_FOUND (unknown product).
 */
export async function requireProductSelection(ctx: QueryCtx, productIds: readonly Id<"products">[]): Promise<Id<"products">[]> {
  if (productIds.length === 0) {
    throwError("INVALID_ARGUMENT", "Choose at least one product for this expert session.", { field: "productIds" });
  }
  if (productIds.length > MAX_PRODUCTS_PER_SESSION) {
    throwError("INVALID_ARGUMENT", `An expert session can belong to at most ${MAX_PRODUCTS_PER_SESSION} products.`, { field: "productIds" });
  }
  if (new Set(productIds).size !== productIds.length) {
    throwError("INVALID_ARGUMENT", "Each product can be chosen only once.", { field: "productIds" });
  }
  for (const productId of productIds) await requireProduct(ctx, productId);
  return [...productIds];
}

/**
 * Checks an uploaded video against its storage metadata (`_storage` system table): it exists, its
 * content type is `video/*`, it is at most {@link MAX_VIDEO_BYTES}, the duration is plausible and no
 * other expert session uses the file.
 * @param expertSessionId the session being edited (its own file is not a clash).
 * @throws ConvexError NOT_FOUND (no such upload), INVALID_ARGUMENT (type, size, duration), CONFLICT (file in use).
 */
export async function requireUploadedVideo(
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
 * Creates an expert session and its product links in one transaction. Every check runs before the
 * first write, and a failure rolls everything back.
 * @param now epoch ms.
 * @throws ConvexError INVALID_ARGUMENT, NOT_FOUND (product or upload), CONFLICT (file in use),
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
  });
  for (const productId of productIds) await ctx.db.insert("expertSessionProducts", { expertSessionId, productId });
  return expertSessionId;
}

/**
 * The session unless it is missing or soft-deleted.
 * @throws ConvexError NOT_FOUND.
 */
export async function requireLiveExpertSession(
  ctx: QueryCtx,
  expertSessionId: Id<"expertSessions">,
): Promise<Doc<"expertSessions">> {
  const session = await ctx.db.get("expertSessions", expertSessionId);
  if (session === null || session.deletedAt !== undefined) throwError("NOT_FOUND", "That expert session does not exist.");
  return session;
}

/** The product links of a session. */
async function linksOf(ctx: QueryCtx, expertSessionId: Id<"expertSessions">): Promise<Doc<"expertSessionProducts">[]> {
  return await ctx.db
    .query("expertSessionProducts")
    .withIndex("by_session_and_product", (q) => q.eq("expertSessionId", expertSessionId))
    .take(MAX_PRODUCTS_PER_SESSION * 2);
}

/** Which links an edit adds and removes, given the current links and the chosen products. */
export function diffProductLinks(
  current: readonly Pick<Doc<"expertSessionProducts">, "_id" | "productId">[],
  chosen: readonly Id<"products">[],
): { add: Id<"products">[]; remove: Id<"expertSessionProducts">[] } {
  const chosenSet = new Set<string>(chosen);
  const currentSet = new Set<string>(current.map((link) => link.productId));
  return {
    add: chosen.filter((productId) => !currentSet.has(productId)),
    remove: current.filter((link) => !chosenSet.has(link.productId)).map((link) => link._id),
  };
}

/**
 * Saves the edit form in one transaction: fields, optionally a new video (the replaced file is
 * deleted from storage), and the product links (only the differences are written).
 * @param input.video absent = keep the current video.
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
  });
  for (const linkId of remove) await ctx.db.delete("expertSessionProducts", linkId);
  for (const productId of add) await ctx.db.insert("expertSessionProducts", { expertSessionId, productId });
  if (replacesVideo && session.videoStorageId !== undefined) await ctx.storage.delete(session.videoStorageId);
  return { added: add.length, removed: remove.length };
}

/**
 * Soft-deletes a session: students stop seeing it at once; its links, video and progress rows stay.
 * @throws ConvexError NOT_FOUND (missing or already deleted).
 */
export async function softDeleteExpertSession(ctx: MutationCtx, expertSessionId: Id<"expertSessions">, now: number): Promise<void> {
  await requireLiveExpertSession(ctx, expertSessionId);
  await ctx.db.patch("expertSessions", expertSessionId, { deletedAt: now, updatedAt: now });
}

// ---------------------------------------------------------------------------------------------------
// Staff: list, detail, statistics

const productBadgeValidator = v.object({ _id: v.id("products"), title: v.string() });

export const staffExpertSessionValidator = v.object({
  _id: v.id("expertSessions"),
  _creationTime: v.number(),
  title: v.string(),
  description: v.string(),
  active: v.boolean(),
  hasVideo: v.boolean(),
  durationSeconds: v.optional(v.number()),
  updatedAt: v.number(),
  /** The linked products, by title. */
  products: v.array(productBadgeValidator),
});
export type StaffExpertSession = Infer<typeof staffExpertSessionValidator>;

async function productBadges(ctx: QueryCtx, productIds: readonly Id<"products">[]) {
  const badges: Infer<typeof productBadgeValidator>[] = [];
  for (const productId of productIds) {
    const product = await ctx.db.get("products", productId);
    if (product !== null) badges.push({ _id: product._id, title: product.title });
  }
  return badges.sort((a, b) => a.title.localeCompare(b.title));
}

async function staffSummary(ctx: QueryCtx, session: Doc<"expertSessions">): Promise<StaffExpertSession> {
  const links = await linksOf(ctx, session._id);
  return {
    _id: session._id,
    _creationTime: session._creationTime,
    title: session.title,
    description: session.description,
    active: session.active,
    hasVideo: session.videoStorageId !== undefined,
    ...(session.durationSeconds !== undefined ? { durationSeconds: session.durationSeconds } : {}),
    updatedAt: session.updatedAt,
    products: await productBadges(ctx, links.map((link) => link.productId)),
  };
}

/**
 * The not-deleted sessions, newest first, each with its product badges; only those linked to
 * `productId` when given.
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
      .withIndex("by_product_and_session", (q) => q.eq("productId", productId))
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
});

/** The edit form's data of a not-deleted session, or null when it is missing or deleted. */
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
export type ExpertSessionStats = Infer<typeof expertSessionStatsValidator>;

/**
 * Per-session statistics from its progress rows (kept after a soft delete).
 * @throws ConvexError NOT_FOUND for an unknown session.
 */
export async function expertSessionStats(ctx: QueryCtx, expertSessionId: Id<"expertSessions">): Promise<ExpertSessionStats> {
  const session = await ctx.db.get("expertSessions", expertSessionId);
  if (session === null) throwError("NOT_FOUND", "That expert session does not exist.");
  const rows = await ctx.db
    .query("expertSessionProgress")
    .withIndex("by_session", (q) => q.eq("expertSessionId", expertSessionId))
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

// ---------------------------------------------------------------------------------------------------
// Students: list, player, progress

export const progressValidator = v.object({
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
  /** The student's own products that carry this session. */
  products: v.array(productBadgeValidator),
  progress: v.union(progressValidator, v.null()),
});
export type StudentExpertSession = Infer<typeof studentExpertSessionValidator>;

function progressView(row: Doc<"expertSessionProgress"> | null): Infer<typeof progressValidator> | null {
  if (row === null) return null;
  return {
    lastPositionSeconds: row.lastPositionSeconds,
    secondsWatched: row.secondsWatched,
    ...(row.completedAt !== undefined ? { completedAt: row.completedAt } : {}),
  };
}

/** The student's progress row for a session, if any. */
export async function progressRow(
  ctx: QueryCtx,
  studentId: Id<"users">,
  expertSessionId: Id<"expertSessions">,
): Promise<Doc<"expertSessionProgress"> | null> {
  return await ctx.db
    .query("expertSessionProgress")
    .withIndex("by_student_and_session", (q) => q.eq("studentId", studentId).eq("expertSessionId", expertSessionId))
    .unique();
}

/**
 * The published sessions of the products `viewer` holds active access to, each once however many of
 * their products carry it, newest first, with the student's progress.
 */
export async function listExpertSessionsForStudent(ctx: QueryCtx, viewer: Viewer): Promise<StudentExpertSession[]> {
  const productsBySession = new Map<Id<"expertSessions">, Id<"products">[]>();
  for (const productId of await activeProductIdsOf(ctx, viewer._id)) {
    const links = await ctx.db
      .query("expertSessionProducts")
      .withIndex("by_product_and_session", (q) => q.eq("productId", productId))
      .take(EXPERT_SESSION_LIST_LIMIT);
    for (const link of links) {
      productsBySession.set(link.expertSessionId, [...(productsBySession.get(link.expertSessionId) ?? []), productId]);
    }
  }
  const result: StudentExpertSession[] = [];
  for (const [expertSessionId, productIds] of productsBySession) {
    const session = await ctx.db.get("expertSessions", expertSessionId);
    if (session === null || !isExpertSessionPublished(session) || session.durationSeconds === undefined) continue;
    result.push({
      _id: session._id,
      _creationTime: session._creationTime,
      title: session.title,
      description: session.description,
      durationSeconds: session.durationSeconds,
      products: await productBadges(ctx, productIds),
      progress: progressView(await progressRow(ctx, viewer._id, session._id)),
    });
  }
  return result.sort((a, b) => b._creationTime - a._creationTime);
}

export const studentExpertSessionDetailValidator = v.object({
  ...studentExpertSessionValidator.fields,
  videoUrl: v.string(),
});

/**
 * The player page's data: the session, a playable video URL and the student's progress; null when
 * the session is missing or the viewer may not watch it (`access.ts#canWatchExpertSession`).
 */
export async function getExpertSessionForStudent(ctx: QueryCtx, viewer: Viewer, expertSessionId: Id<"expertSessions">) {
  const session = await ctx.db.get("expertSessions", expertSessionId);
  if (session === null || !(await canWatchExpertSession(ctx, viewer, session))) return null;
  if (session.videoStorageId === undefined || session.durationSeconds === undefined) return null;
  const videoUrl = await ctx.storage.getUrl(session.videoStorageId);
  if (videoUrl === null) return null;
  const studentProducts = new Set<string>(await activeProductIdsOf(ctx, viewer._id));
  const links = await linksOf(ctx, expertSessionId);
  return {
    _id: session._id,
    _creationTime: session._creationTime,
    title: session.title,
    description: session.description,
    durationSeconds: session.durationSeconds,
    products: await productBadges(
      ctx,
      links.map((link) => link.productId).filter((productId) => studentProducts.has(productId)),
    ),
    progress: progressView(await progressRow(ctx, viewer._id, expertSessionId)),
    videoUrl,
  };
}

export const heartbeatResultValidator = v.object({
  lastPositionSeconds: v.number(),
  secondsWatched: v.number(),
  completed: v.boolean(),
  completedAt: v.optional(v.number()),
});

/**
 * Saves a progress heartbeat. The server merges the reported ranges into the stored ones (clamped to
 * the duration, and limited to what the wall time since the previous heartbeat allows, see
 * {@link heartbeatAllowanceSeconds}) and marks completion once {@link COMPLETION_RATIO} of the
 * duration is covered. Jumping to the end only moves the resume position.
 * @param report.positionSeconds the player's current position; `watchedRanges` the ranges actually played.
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
