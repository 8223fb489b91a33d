import { defineTable } from "convex/server";
import { v } from "convex/values";

/** A watched stretch of a video, in seconds from its start (`start` < `end`). */
export const watchedIntervalValidator = v.object({ start: v.number(), end: v.number() });

/** Recorded expert sessions, their products and each student's progress (SPEC §5). */
export const expertSessionTables = {
  expertSessions: defineTable({
    title: v.string(),
    description: v.string(),
    /**
     * The uploaded video in Convex file storage. Absent until staff upload one (the demo seed has no
     * video files, so its sessions are drafts). A session can only be active with a video.
     */
    videoStorageId: v.optional(v.id("_storage")),
    /** Length of the video in seconds, read from the file by the uploader's browser; set with the video. */
    durationSeconds: v.optional(v.number()),
    /**
     * The WebVTT captions file in Convex file storage (`text/vtt`, checked to start with "WEBVTT"
     * before it could be attached). Absent = no captions. Set and cleared together with
     * `captionsLanguage`.
     */
    captionsStorageId: v.optional(v.id("_storage")),
    /** BCP 47 language tag of the captions ("en", "pt-BR"), canonical case; set with `captionsStorageId`. */
    captionsLanguage: v.optional(v.string()),
    /** Published to students (only possible with a video). */
    active: v.boolean(),
    /** Epoch milliseconds of the soft delete; absent = not deleted. Progress rows are kept. */
    deletedAt: v.optional(v.number()),
    createdBy: v.id("users"),
    /** Epoch milliseconds of the last edit. */
    updatedAt: v.number(),
  })
    .index("by_deletedAt", ["deletedAt"])
    .index("by_videoStorageId", ["videoStorageId"])
    .index("by_captionsStorageId", ["captionsStorageId"]),

  /**
   * Captions uploads whose bytes the server has read and found to be WebVTT
   * (`expertSessions.checkCaptionsUpload`, an action, since only actions can read file contents).
   * Saving the form accepts a new captions file only with a row here, and consumes the row. Rows of
   * files never saved are deleted with the file by the orphan sweep.
   */
  expertSessionCheckedCaptions: defineTable({
    storageId: v.id("_storage"),
    /** The admin who uploaded and checked the file. */
    checkedBy: v.id("users"),
    /** Epoch milliseconds of the check. */
    checkedAt: v.number(),
  }).index("by_storageId", ["storageId"]),

  /** One row per expert session × product (unique pair). */
  expertSessionProducts: defineTable({
    expertSessionId: v.id("expertSessions"),
    productId: v.id("products"),
  })
    .index("by_expertSessionId_and_productId", ["expertSessionId", "productId"])
    .index("by_productId_and_expertSessionId", ["productId", "expertSessionId"]),

  /** One row per student × expert session, created by the first progress heartbeat. */
  expertSessionProgress: defineTable({
    studentId: v.id("users"),
    expertSessionId: v.id("expertSessions"),
    /** Where playback should resume, in seconds. */
    lastPositionSeconds: v.number(),
    /** Total length of `watchedIntervals`, in seconds. */
    secondsWatched: v.number(),
    /** Sorted, non-overlapping stretches the student actually played (merged on the server). */
    watchedIntervals: v.array(watchedIntervalValidator),
    /** Epoch milliseconds of the first heartbeat. */
    startedAt: v.number(),
    /** Epoch milliseconds of the latest heartbeat (bounds how much new watching the next one may claim). */
    lastHeartbeatAt: v.number(),
    /** Epoch milliseconds when 90% of the video had been watched; never unset. */
    completedAt: v.optional(v.number()),
  })
    .index("by_studentId_and_expertSessionId", ["studentId", "expertSessionId"])
    .index("by_expertSessionId", ["expertSessionId"]),

  /**
   * Checkpoint of the daily sweep of orphaned video uploads (`convex/expertSessionStorage.ts`): at
   * most one row, created by the first sweep. Files in `_storage` created at or before
   * `checkedThroughCreationTime` have been examined and are never examined again.
   */
  expertSessionVideoSweeps: defineTable({
    /** `_creationTime` (epoch ms) of the last `_storage` file the sweep examined. */
    checkedThroughCreationTime: v.number(),
    /** Orphaned files deleted by all sweeps so far. */
    filesDeleted: v.number(),
    /** Epoch milliseconds of the latest sweep page. */
    updatedAt: v.number(),
  }),
};
