import { defineTable } from "convex/server";
import { v, type Infer } from "convex/values";
import { literals } from "convex-helpers/validators";

/** Lifecycle of a coaching session (SPEC §6). */
export const coachingSessionStatusValidator = literals("SCHEDULED", "IN_PROGRESS", "COMPLETED", "CANCELLED");
export type CoachingSessionStatus = Infer<typeof coachingSessionStatusValidator>;

/**
 * Where a session's private Discord space stands:
 * - `pending`: nothing created yet; provisioning is scheduled (at the start of the lead window, or now);
 * - `waiting_for_window`: the guild is at a limit (roles, channels, channels per category, or Discord's
 *   role-creation cap); provisioning resumes when cleanup frees room or the cap resets;
 * - `provisioning`: a run is creating the role / channel / role grants;
 * - `ready`: role and channel exist (role grants may still wait for a participant to link Discord);
 * - `failed`: gave up (permission problem, or transient errors past the retry limit); an admin can retry;
 * - `cleaning`: deleting the channel and role;
 * - `cleaned`: nothing of the session is left in the guild;
 * - `not_configured`: Discord is not configured on this deployment.
 */
export const provisioningStateValidator = literals("pending", "waiting_for_window", "provisioning", "ready", "failed", "cleaning", "cleaned", "not_configured");
export type ProvisioningState = Infer<typeof provisioningStateValidator>;

/**
 * The latest batch of a route bucket (`model/discord/rateLimits.ts#reserveSend`): the requests whose
 * send times belong to our window `window` (that window's `until`, epoch ms), which leave at
 * `leavesAt`, and the end of the Discord window they opened (`endsAt`, Discord's `X-RateLimit-Reset`)
 * once an answer told it.
 */
const discordBatchValidator = v.object({ window: v.number(), leavesAt: v.number(), endsAt: v.optional(v.number()) });

export const discordResourceKindValidator = literals("role", "channel");
export type DiscordResourceKind = Infer<typeof discordResourceKindValidator>;

export const reconciliationTriggerValidator = literals("cron", "admin");

/** One resource in a reconciliation report. */
export const reconciledResourceValidator = v.object({ id: v.string(), name: v.string() });

/** The fields of a reconciliation report (table, the mutation that stores it, and the admin view). */
export const reconciliationReportFields = {
  trigger: reconciliationTriggerValidator,
  /** Epoch milliseconds when the pass started / finished. */
  startedAt: v.number(),
  finishedAt: v.number(),
  outcome: literals("ok", "partial", "failed", "not_configured"),
  deletedRoles: v.array(reconciledResourceValidator),
  deletedChannels: v.array(reconciledResourceValidator),
  /** Problems met on the way (resources that could not be deleted, listing failures). */
  errors: v.array(v.string()),
  /** Totals in the guild when the pass listed it, before deletions. */
  guildRoleCount: v.number(),
  guildChannelCount: v.number(),
  /** Roles / channels in the guild that this system does not own (the limits' share it cannot use). */
  foreignRoleCount: v.number(),
  foreignChannelCount: v.number(),
  foreignChannelsInCategory: v.number(),
};

/**
 * Discord fields that `coachingSessions` carried before the space moved to `discordSpaces`. Optional
 * only so that existing rows stay valid until the `migrations:moveDiscordSpaces` migration has copied
 * them into `discordSpaces` and removed them; no code writes them. Drop them once it has run everywhere.
 */
export const legacyDiscordFields = {
  discordKey: v.optional(v.string()),
  discordRoleId: v.optional(v.string()),
  discordChannelId: v.optional(v.string()),
  discordSetupComplete: v.optional(v.boolean()),
  discordRoleGrantedTo: v.optional(v.array(v.string())),
  discordRoleCreateAttempted: v.optional(v.boolean()),
  discordChannelCreateAttempted: v.optional(v.boolean()),
  provisioningState: v.optional(provisioningStateValidator),
  provisioningAttempts: v.optional(v.number()),
  provisioningLastError: v.optional(v.string()),
  provisioningNextAttemptAt: v.optional(v.number()),
  provisioningLeaseId: v.optional(v.string()),
  provisioningLeaseExpiresAt: v.optional(v.number()),
  discordHeldSlots: v.optional(v.array(v.object({ bucket: v.string(), at: v.number() }))),
  provisionedAt: v.optional(v.number()),
  cleanedAt: v.optional(v.number()),
};

/**
 * `startsAt`/`endsAt` of `coachingSessions` and `discordSpaces`: epoch milliseconds (UTC), the same
 * instants as their legacy names `startTime`/`endTime` (release 1 of the rename in DEVELOPERS.md,
 * "Names of indexes and time fields"). Every writer writes both names through `sessionTimes`
 * (`model/coaching/timeNames.ts`). Optional until the `copySessionTimeNames` and
 * `copyDiscordSpaceTimeNames` migrations have filled them on every deployment; release 2 makes them
 * required and drops the legacy names.
 */
const newTimeFields = {
  startsAt: v.optional(v.number()),
  endsAt: v.optional(v.number()),
};

/** Coaching products, coach availability, coaching sessions and their Discord bookkeeping (SPEC §6). */
export const coachingTables = {
  /**
   * A bookable coaching offer. It belongs to a catalog product of kind `coaching`: a student may book
   * it while they hold active access (`productAccess`) to that product.
   */
  coachingProducts: defineTable({
    productId: v.id("products"),
    title: v.string(),
    description: v.string(),
    /** Length of one session, in minutes (15–240). */
    durationMinutes: v.number(),
    /** Price of one session in cents (informational; payment happens elsewhere). */
    priceCents: v.number(),
    /** Users with the `coach` role who give this product. */
    coachIds: v.array(v.id("users")),
    active: v.boolean(),
    /**
     * Booking and cancellation policy (`model/coaching/policy.ts`); a missing field takes its default
     * there. Buffers in minutes of free time kept before / after each session of this product
     * (0–240); minimum notice in hours (no booking that starts sooner, 0–720); booking horizon in days
     * (no booking further ahead, 1–365); cancellation window in hours (a student may cancel or
     * reschedule until this long before the start, 0–720).
     */
    bufferBeforeMinutes: v.optional(v.number()),
    bufferAfterMinutes: v.optional(v.number()),
    minimumNoticeHours: v.optional(v.number()),
    bookingHorizonDays: v.optional(v.number()),
    cancellationWindowHours: v.optional(v.number()),
  })
    .index("by_productId", ["productId"])
    .index("by_active", ["active"]),

  /**
   * One weekly availability window of a coach: every `weekday` from `startMinute` to `endMinute`
   * (minutes after local midnight) in the coach's IANA `timeZone`. All windows of a coach share one zone.
   */
  coachAvailability: defineTable({
    coachId: v.id("users"),
    /** 0 = Sunday … 6 = Saturday (as `Date#getDay`). */
    weekday: v.number(),
    /** Minutes after local midnight, 0–1439. */
    startMinute: v.number(),
    /** Minutes after local midnight, 1–1440, greater than `startMinute`. */
    endMinute: v.number(),
    timeZone: v.string(),
  }).index("by_coachId_and_weekday", ["coachId", "weekday"]),

  /**
   * A coach's own scheduling rules (`model/coaching/policy.ts`): buffers in minutes kept free before
   * / after each of their sessions (0–240; the larger of this and the product's applies) and the
   * most sessions they take on one local day in their availability's zone (1–48; absent = no limit).
   */
  coachSchedulingSettings: defineTable({
    coachId: v.id("users"),
    bufferBeforeMinutes: v.number(),
    bufferAfterMinutes: v.number(),
    dailyLimit: v.optional(v.number()),
  }).index("by_coachId", ["coachId"]),

  /**
   * A date override of a coach's weekly availability, on local `date` ("YYYY-MM-DD") in the IANA
   * `timeZone`: `time_off` removes [startMinute, endMinute) of that day (0–1440 for the whole day),
   * `extra_hours` adds it. Minutes after local midnight, steps of 5.
   */
  coachDateOverrides: defineTable({
    coachId: v.id("users"),
    date: v.string(),
    kind: literals("time_off", "extra_hours"),
    startMinute: v.number(),
    endMinute: v.number(),
    timeZone: v.string(),
    note: v.string(),
  }).index("by_coachId_and_date", ["coachId", "date"]),

  /** A booked 1:1 coaching session (its Discord space lives in `discordSpaces`). */
  coachingSessions: defineTable({
    coachId: v.id("users"),
    studentId: v.id("users"),
    coachingProductId: v.id("coachingProducts"),
    /** The catalog product the booking was made under (its access rules apply). */
    productId: v.id("products"),
    /** Legacy name of `startsAt` (see `newTimeFields`): epoch milliseconds (UTC). */
    startTime: v.number(),
    /** Legacy name of `endsAt`: epoch milliseconds (UTC); `startTime + durationMinutes`. */
    endTime: v.number(),
    ...newTimeFields,
    durationMinutes: v.number(),
    status: coachingSessionStatusValidator,
    notes: v.string(),
    reminderSent: v.boolean(),
    bookedBy: v.id("users"),
    cancelledAt: v.optional(v.number()),
    cancelledBy: v.optional(v.id("users")),
    completedAt: v.optional(v.number()),
    completedBy: v.optional(v.id("users")),
    /** Cancelled after the product's cancellation window closed (only the coach or staff can). */
    lateCancellation: v.optional(v.boolean()),
    /** The coach (or staff) marked that the student did not come; the session is COMPLETED. */
    noShow: v.optional(v.boolean()),
    /** The booking used one session of the student's allowance on the product access. */
    usedAllowance: v.optional(v.boolean()),
    /** Times the session was moved; the calendar SEQUENCE grows with it (same UID). */
    rescheduleCount: v.optional(v.number()),
    rescheduledAt: v.optional(v.number()),
    rescheduledBy: v.optional(v.id("users")),
    ...legacyDiscordFields,
  })
    .index("by_coachId_and_startTime", ["coachId", "startTime"])
    .index("by_studentId_and_startTime", ["studentId", "startTime"])
    .index("by_startTime", ["startTime"])
    .index("by_status_and_startTime", ["status", "startTime"])
    // The same ranges on the new names; readers switch to them in release 2 of the rename.
    .index("by_coachId_and_startsAt", ["coachId", "startsAt"])
    .index("by_studentId_and_startsAt", ["studentId", "startsAt"])
    .index("by_startsAt", ["startsAt"])
    .index("by_status_and_startsAt", ["status", "startsAt"]),

  /**
   * The private Discord space of one coaching session (SPEC §6): its role and voice channel, who holds
   * the role, and the bookkeeping of the runs that create and delete them. One row per session that
   * needs one, inserted with the booking; only provisioning, cleanup and the admin dashboard write it,
   * so their writes never re-run the booking and free-slot queries that read `coachingSessions`.
   */
  discordSpaces: defineTable({
    sessionId: v.id("coachingSessions"),
    /**
     * Copies of the session's times (epoch ms), kept in step by `moveDiscordSpace`, for the indexes
     * below; `startTime`/`endTime` are the legacy names (see `newTimeFields`).
     */
    startTime: v.number(),
    endTime: v.number(),
    ...newTimeFields,
    /** Set when the session is cancelled or completed (`finishDiscordSpace`); cleanup follows. */
    finishedAs: v.optional(v.union(v.literal("CANCELLED"), v.literal("COMPLETED"))),
    /**
     * The session moved to a start outside the provisioning lead window while its role or channel
     * existed (`model/discord/move.ts`): cleanup deletes them and the space starts over as `pending`.
     */
    releaseRequested: v.optional(v.literal(true)),
    /**
     * The 8 characters in the space's Discord names (`Session <key>`, `coaching-<key>`): the last 8
     * characters of the session id, lower-cased (another deterministic 8 characters derived from the id
     * when a live space already uses that suffix). Never changes.
     */
    key: v.string(),
    state: provisioningStateValidator,
    roleId: v.optional(v.string()),
    channelId: v.optional(v.string()),
    /** True once role and channel exist and both participants hold the role. */
    setupComplete: v.boolean(),
    /** Discord user ids that were given the session role. */
    roleGrantedTo: v.array(v.string()),
    /** A run asked Discord to create the role / channel; a re-run looks it up by name before creating. */
    roleCreateAttempted: v.boolean(),
    channelCreateAttempted: v.boolean(),
    /** Consecutive failed attempts of the current provisioning or cleanup (reset on success / admin retry). */
    attempts: v.number(),
    lastError: v.optional(v.string()),
    /** Epoch milliseconds of the next scheduled provisioning or cleanup attempt, if one is scheduled. */
    nextAttemptAt: v.optional(v.number()),
    /** The run currently working on the space and until when (epoch ms) its claim holds (`model/discord/lease.ts`). */
    leaseId: v.optional(v.string()),
    leaseExpiresAt: v.optional(v.number()),
    /**
     * Legacy, no longer read or written: send times the hand-written pacing held for a space's next
     * run. Declared until the `clearDiscordHeldSlots` migration has removed it from every row.
     */
    heldSlots: v.optional(v.array(v.object({ bucket: v.string(), at: v.number() }))),
    /** Epoch ms when the space was first ready / when it was cleaned up. */
    provisionedAt: v.optional(v.number()),
    cleanedAt: v.optional(v.number()),
  })
    .index("by_sessionId", ["sessionId"])
    .index("by_state_and_startTime", ["state", "startTime"])
    .index("by_state_and_endTime", ["state", "endTime"])
    // The same ranges on the new names; readers switch to them in release 2 of the rename.
    .index("by_state_and_startsAt", ["state", "startsAt"])
    .index("by_state_and_endsAt", ["state", "endsAt"])
    .index("by_finishedAs_and_state", ["finishedAs", "state"])
    .index("by_key", ["key"]),

  /**
   * Ledger of every Discord resource this system created (or adopted), used to count what it holds
   * against the guild's limits. `live` turns false when the resource is deleted (or found gone).
   */
  discordResources: defineTable({
    kind: discordResourceKindValidator,
    discordId: v.string(),
    name: v.string(),
    sessionId: v.optional(v.id("coachingSessions")),
    /** Category the channel was created in (channels only; null = no category). */
    categoryId: v.optional(v.union(v.string(), v.null())),
    live: v.boolean(),
    /** Epoch milliseconds. */
    createdAt: v.number(),
    deletedAt: v.optional(v.number()),
  })
    .index("by_discordId", ["discordId"])
    .index("by_sessionId", ["sessionId"]),

  /**
   * Route rate limits Discord's `X-RateLimit-*` headers told (`model/discord/rateLimits.ts`), one row
   * per route bucket such as "POST /guilds/:id/roles": `limit` requests per `windowMs` ms. The pacing
   * sizes its buckets in the shared rate limiter from these.
   */
  discordRouteRateLimits: defineTable({
    route: v.string(),
    limit: v.number(),
    windowMs: v.number(),
    /** The route's latest batch of requests (see `discordBatchValidator`). */
    lastBatch: v.optional(discordBatchValidator),
  }).index("by_route", ["route"]),

  /**
   * Running totals of the ledger and the guild's share used by others (one row, `key` "guild"), so
   * that a capacity check reads one document: live roles and channels this system holds (channels
   * also per category id) and, from the last reconciliation, the roles / channels others hold.
   */
  discordGuildTotals: defineTable({
    key: v.literal("guild"),
    liveRoles: v.number(),
    liveChannels: v.number(),
    liveChannelsByCategory: v.record(v.string(), v.number()),
    foreignRoles: v.number(),
    foreignChannels: v.number(),
    foreignChannelsInCategory: v.number(),
  }).index("by_key", ["key"]),

  /** Result of one reconciliation pass over the guild. */
  discordReconciliationReports: defineTable(reconciliationReportFields).index("by_finishedAt", ["finishedAt"]),

  /**
   * Single-use OAuth2 `state` values of Discord account linking (43 random URL-safe characters),
   * bound to the user who started linking. A row is deleted when the callback uses it and is
   * refused after `expiresAt`.
   */
  discordOAuthStates: defineTable({
    state: v.string(),
    userId: v.id("users"),
    /** Hex SHA-256 of the nonce the starting browser keeps; absent only on states made before it existed. */
    browserBinding: v.optional(v.string()),
    /** Epoch milliseconds. */
    createdAt: v.number(),
    expiresAt: v.number(),
  })
    .index("by_state", ["state"])
    .index("by_expiresAt", ["expiresAt"]),
};
