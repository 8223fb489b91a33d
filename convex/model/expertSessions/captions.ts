import { v, type Infer } from "convex/values";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { type Viewer } from "../access";
import { throwError } from "../errors";
import { textArg } from "../validation";
import {
  canonicalLanguageTag,
  isWebVttContentType,
  MAX_CAPTIONS_BYTES,
  MAX_LANGUAGE_TAG_LENGTH,
  startsWithWebVttSignature,
  WEBVTT_SIGNATURE_BYTES,
} from "./files";

// Expert sessions (SPEC §5): captions (WebVTT) files.
//
// Design: a mutation cannot read a stored file's bytes (only actions can, with `ctx.storage.get`),
// yet create/update must stay single mutations so the form saves atomically. So the bytes are
// checked once, right after the upload, by the action `expertSessions.checkCaptionsUpload`: it
// checks the storage metadata (type `text/vtt`, at most MAX_CAPTIONS_BYTES), reads the first bytes,
// requires the WebVTT signature and records the file in `expertSessionCheckedCaptions`. Create and
// update accept a new captions file only with such a record (and check the metadata again), and
// consume the record when they attach the file. Stored files never change, so the check stays true.

/**
 * The captions named on save: a WebVTT upload (checked by `expertSessions.checkCaptionsUpload`, or
 * the session's current captions file) and its BCP 47 language tag.
 */
export const captionsInputValidator = v.object({ storageId: v.id("_storage"), language: textArg("Captions language", MAX_LANGUAGE_TAG_LENGTH) });
export type CaptionsInput = Infer<typeof captionsInputValidator>;

/**
 * @returns the canonical language tag (see {@link canonicalLanguageTag}).
 * @throws ConvexError INVALID_ARGUMENT (field "captionsLanguage") when it is not a BCP 47 tag.
 */
function requireCaptionsLanguage(tag: string): string {
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
