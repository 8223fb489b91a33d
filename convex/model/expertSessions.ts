import { v, type Infer } from "convex/values";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { canWatchExpertSession, isExpertSessionPublished, type Viewer } from "./access";
import { activeProductIdsOf, requireProduct } from "./catalog";
import { throwError } from "./errors";
import {
  canonicalLanguageTag,
  isWebVttContentType,
  MAX_CAPTIONS_BYTES,
  MAX_LANGUAGE_TAG_LENGTH,
  MAX_VIDEO_BYTES,
  startsWithWebVttSignature,
  WEBVTT_SIGNATURE_BYTES,
} from "./expertSessionFiles";
import { optionalText, requireText, numberArg, textArg, MAX_VIDEO_SECONDS } from "./validation";
import { heartbeatAllowanceSeconds, isCompletedWatch, mergeWatchedIntervals, type Interval } from "./watchProgress";

/**
 * Expert sessions (SPEC §5): recorded talks linked to one or more products, their videos and
 * captions in Convex file storage, and each student's watching progress. The public functions in
 * `convex/expertSessions.ts` are thin wrappers over these helpers; the file rules shared with the
 * upload form live in `expertSessionFiles.ts`, the watched-interval math in `watchProgress.ts`.
 */

/** Longest video accepted, in seconds (12 hours). */
export const MAX_DURATION_SECONDS = 12 * 60 * 60;
/** Most watched ranges one heartbeat may report. */
export const MAX_REPORTED_RANGES = 200;
/** Most products one expert session may be linked to. */
export const MAX_PRODUCTS_PER_SESSION = 50;
/** Upper bound of sessions in the staff and student lists. */
export const EXPERT_SESSION_LIST_LIMIT = 500;
/** Upper bound of progress rows the statistics read per session. */
export const STATS_READ_LIMIT = 2000;

// ---------------------------------------------------------------------------------------------------
// Captions (WebVTT)
//
// Design: a mutation cannot read a stored file's bytes (only actions can, with `ctx.storage.get`),
// yet create/update must stay single mutations so the form saves atomically. So the bytes are
// checked once, right after the upload, by the action `expertSessions.checkCaptionsUpload`: it
// checks the storage metadata (type `text/vtt`, at most MAX_CAPTIONS_BYTES), reads the first bytes,
// requires the WebVTT signature and records the file in `expertSessionCheckedCaptions`. Create and
// update accept a new captions file only with such a record (and check the metadata again), and
// consume the record when they attach the file. Stored files never change, so the check stays true.

/**
 * @returns the canonical language tag (see {@link canonicalLanguageTag}).
 * @throws ConvexError INVALID_ARGUMENT (field "captionsLanguage") when it is not a BCP 47 tag.
 */
export function requireCaptionsLanguage(tag: string): string {
  const canonical = canonicalLanguageTag(tag);
  if (canonical === null) {
    const shown = tag.trim().slice(0, MAX_LANGUAGE_TAG_LENGTH);
    throwError(
      "INVALID_ARGUMENT",
      `${shown === "" ? "The captions language is required." : `"${shown}" is not a language tag.`} Use a BCP 47 tag such as "en", "en-GB" or "pt-BR".`,
      { field: "captionsLanguage" },
    );
  }
  return canonical;
}

/**
 * Checks a captions upload against its storage metadata: it exists, its content type is `text/vtt`,
 * it is at most {@link MAX_CAPTIONS_BYTES} and no other expert session uses it as captions.
 * @param expertSessionId the session being edited (its own file is not a clash).
 * @throws ConvexError NOT_FOUND (no such upload), INVALID_ARGUMENT (type, size), CONFLICT (file in use).
 */
export async function requireCaptionsFileMetadata(
  ctx: QueryCtx,
  storageId: Id<"_storage">,
  expertSessionId?: Id<"expertSessions">,
): Promise<void> {
  const metadata = await ctx.db.system.get("_storage", storageId);
  if (metadata === null) throwError("NOT_FOUND", "The uploaded captions file was not found. Please upload it again.", { field: "captions" });
  if (!isWebVttContentType(metadata.contentType)) {
    throwError("INVALID_ARGUMENT", "The captions file must be a WebVTT file (.vtt, text/vtt).", { field: "captions" });
  }
  if (metadata.size > MAX_CAPTIONS_BYTES) {
    throwError("INVALID_ARGUMENT", "The captions file is larger than 2 MB. Please upload a smaller file.", { field: "captions" });
  }
  const users = await ctx.db
    .query("expertSessions")
    .withIndex("by_captionsStorageId", (q) => q.eq("captionsStorageId", storageId))
    .take(2);
  if (users.some((session) => session._id !== expertSessionId)) {
    throwError("CONFLICT", "This captions file already belongs to another expert session.", { field: "captions" });
  }
}

/**
 * Reads the start of a stored captions file and requires the WebVTT signature
 * ({@link startsWithWebVttSignature}). For actions (`ctx.storage.get`); the size was checked
 * against the metadata before, and only the first bytes are read.
 * @param file the stored file, or null when it no longer exists.
 * @throws ConvexError NOT_FOUND (file gone), INVALID_ARGUMENT (not WebVTT).
 */
export async function requireWebVttBytes(file: Blob | null): Promise<void> {
  if (file === null) throwError("NOT_FOUND", "The uploaded captions file was not found. Please upload it again.", { field: "captions" });
  const start = new Uint8Array(await file.slice(0, WEBVTT_SIGNATURE_BYTES).arrayBuffer());
  if (!startsWithWebVttSignature(start)) {
    throwError(
      "INVALID_ARGUMENT",
      "This file is not WebVTT: its first line must be \"WEBVTT\". Convert SRT or other captions to WebVTT first.",
      { field: "captions" },
    );
  }
}

/**
 * Records that `viewer` uploaded `storageId` and its bytes were found to be WebVTT (the action read
 * them), after checking the metadata again. Idempotent: a second check of the same file adds nothing.
 * @param now epoch ms.
 * @throws ConvexError as {@link requireCaptionsFileMetadata}.
 */
export async function recordCheckedCaptions(ctx: MutationCtx, viewer: Viewer, storageId: Id<"_storage">, now: number): Promise<void> {
  await requireCaptionsFileMetadata(ctx, storageId);
  const existing = await checkedCaptionsRow(ctx, storageId);
  if (existing === null) await ctx.db.insert("expertSessionCheckedCaptions", { storageId, checkedBy: viewer._id, checkedAt: now });
}

/** The record of a checked captions upload, if any (index `by_storageId`). */
export async function checkedCaptionsRow(
  ctx: QueryCtx,
  storageId: Id<"_storage">,
): Promise<Doc<"expertSessionCheckedCaptions"> | null> {
  return await ctx.db
    .query("expertSessionCheckedCaptions")
    .withIndex("by_storageId", (q) => q.eq("storageId", storageId))
    .first();
}

/** Captions ready to be written: the file, its canonical language and the check record to consume. */
type CheckedCaptions = {
  storageId: Id<"_storage">;
  language: string;
  /** The `expertSessionCheckedCaptions` row to delete on save; null when the file is already the session's. */
  checkId: Id<"expertSessionCheckedCaptions"> | null;
};

/**
 * Checks the captions named on save, before anything is written. The session's current captions
 * file needs only a valid language; any other file must pass {@link requireCaptionsFileMetadata} and
 * have been checked as WebVTT (`expertSessions.checkCaptionsUpload`).
 * @param current the session being edited (absent on create).
 * @throws ConvexError INVALID_ARGUMENT (language, type, size, not checked as WebVTT), NOT_FOUND (upload), CONFLICT.
 */
export async function requireCaptions(
  ctx: QueryCtx,
  captions: CaptionsInput,
  current?: Doc<"expertSessions">,
): Promise<CheckedCaptions> {
  const language = requireCaptionsLanguage(captions.language);
  if (current !== undefined && current.captionsStorageId === captions.storageId) {
    return { storageId: captions.storageId, language, checkId: null };
  }
  await requireCaptionsFileMetadata(ctx, captions.storageId, current?._id);
  const check = await checkedCaptionsRow(ctx, captions.storageId);
  if (check === null) {
    throwError("INVALID_ARGUMENT", "The captions file has not been checked as WebVTT. Please choose it again.", { field: "captions" });
  }
  return { storageId: captions.storageId, language, checkId: check._id };
}

// ---------------------------------------------------------------------------------------------------
// Staff: create, edit, delete

/** The uploaded video named on save: its storage id and its length in seconds as the browser read it. */
export const videoInputValidator = v.object({ storageId: v.id("_storage"), durationSeconds: numberArg("Video length (seconds)", 0, MAX_VIDEO_SECONDS) });
export type VideoInput = Infer<typeof videoInputValidator>;

/**
 * The captions named on save: a WebVTT upload (checked by `expertSessions.checkCaptionsUpload`, or
 * the session's current captions file) and its BCP 47 language tag.
 */
export const captionsInputValidator = v.object({ storageId: v.id("_storage"), language: textArg("Captions language", MAX_LANGUAGE_TAG_LENGTH) });
export type CaptionsInput = Infer<typeof captionsInputValidator>;

/** What staff fill in on the form. */
export type ExpertSessionInput = {
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
 * Creates an expert session and its product links in one transaction, with its video and captions
 * when given (`input.captions` null or absent = none). Every check runs before the first write, and
 * a failure rolls everything back.
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
 * deleted from storage), the captions (attached, replaced or removed; a replaced or removed file is
 * deleted from storage) and the product links (only the differences are written).
 * @param input.video absent = keep the current video.
 * @param input.captions absent = keep the current captions; null = remove them; see {@link ExpertSessionInput}.
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
  /** True when a WebVTT captions file is attached. */
  hasCaptions: v.boolean(),
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
    hasCaptions: session.captionsStorageId !== undefined,
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

/** The edit form's data of a not-deleted session (with its captions), or null when it is missing or deleted. */
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
  /** True when the video has captions. */
  hasCaptions: v.boolean(),
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
      hasCaptions: session.captionsStorageId !== undefined,
      products: await productBadges(ctx, productIds),
      progress: progressView(await progressRow(ctx, viewer._id, session._id)),
    });
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
 * rule as the video URL.
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
  return {
    _id: session._id,
    _creationTime: session._creationTime,
    title: session.title,
    description: session.description,
    durationSeconds: session.durationSeconds,
    hasCaptions: session.captionsStorageId !== undefined,
    products: await productBadges(
      ctx,
      links.map((link) => link.productId).filter((productId) => studentProducts.has(productId)),
    ),
    progress: progressView(await progressRow(ctx, viewer._id, expertSessionId)),
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
