import { v } from "convex/values";
import { internal } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import {
  canCancelCoachingSessionAsStudent,
  canManageCoachingSession,
  canViewCoachingSession,
  hasPermission,
  hasRole,
  type Viewer,
} from "../access";
import { hasActiveProductAccess } from "../catalog";
import { throwError } from "../errors";
import { optionalText, requireTimeZone } from "../validation";
import { configuredGuildId } from "../discord/config";
import { discordChannelUrl } from "../discord/names";
import { COMPLETED_CLEANUP_DELAY_MS, finishDiscordSpace } from "../discord/cleanup";
import { spaceFromLegacyFields } from "../discord/spaceMigration";
import { createDiscordSpace, spaceOf } from "../discord/spaces";
import { notifySessionEvent } from "../notifications/sessionNotices";
import { coachingSessionStatusValidator, provisioningStateValidator } from "../../tables/coaching";
import { availabilityOf } from "./availability";
import { MAX_DURATION_MINUTES, requireVisibleCoachingProduct } from "./products";
import {
  addDays,
  candidateSlots,
  formatLocalDate,
  isInsideWeeklyWindows,
  localDateOf,
  localMinuteToInstant,
  MINUTE_MS,
  overlaps,
  parseLocalDate,
  type Interval,
} from "./time";

/** Coaching sessions (SPEC §6): free slots, booking, status transitions and what each viewer sees. */

/** Offered start times are this many minutes apart inside each availability window. */
export const SLOT_STEP_MINUTES = 30;
/** Longest range of the slots query, in days. */
export const MAX_SLOT_RANGE_DAYS = 31;
/** Bookings may be made at most this many days ahead. */
export const MAX_BOOKING_HORIZON_DAYS = 180;
/** A coach (or staff) may mark a session in progress at most this many minutes before it starts. */
export const START_EARLY_MINUTES = 15;
const MAX_DURATION_MS = MAX_DURATION_MINUTES * MINUTE_MS;
/** Upper bound of sessions read for one person and range (a coach's busiest month is far below it). */
const SESSION_READ_LIMIT = 500;

/** A coaching session as the API returns it to one viewer. */
export const coachingSessionViewValidator = v.object({
  _id: v.id("coachingSessions"),
  coachingProductId: v.id("coachingProducts"),
  productTitle: v.string(),
  /** `timeZone`: the person's saved IANA zone, or null (the UI shows the other party's zone on hover). */
  coach: v.object({ _id: v.id("users"), name: v.string(), discordLinked: v.boolean(), timeZone: v.union(v.string(), v.null()) }),
  student: v.object({ _id: v.id("users"), name: v.string(), discordLinked: v.boolean(), timeZone: v.union(v.string(), v.null()) }),
  startTime: v.number(),
  endTime: v.number(),
  durationMinutes: v.number(),
  status: coachingSessionStatusValidator,
  notes: v.string(),
  provisioningState: provisioningStateValidator,
  discordSetupComplete: v.boolean(),
  /** `https://discord.com/channels/<guild>/<channel>` once the channel exists (participants and staff). */
  discordChannelUrl: v.union(v.string(), v.null()),
  /** Last provisioning or cleanup error; only for holders of `discord.manage`. */
  provisioningLastError: v.union(v.string(), v.null()),
  provisioningAttempts: v.number(),
  provisioningNextAttemptAt: v.union(v.number(), v.null()),
  viewerCan: v.object({ cancel: v.boolean(), start: v.boolean(), complete: v.boolean() }),
});

export type CoachingSessionView = typeof coachingSessionViewValidator.type;

/** True when the session is over for good (cancelled or completed). */
export function isFinished(session: Pick<Doc<"coachingSessions">, "status">): boolean {
  return session.status === "CANCELLED" || session.status === "COMPLETED";
}

function canStart(viewer: Viewer, session: Doc<"coachingSessions">, now: number): boolean {
  return (
    canManageCoachingSession(viewer, session) &&
    session.status === "SCHEDULED" &&
    now >= session.startTime - START_EARLY_MINUTES * MINUTE_MS
  );
}

function canComplete(viewer: Viewer, session: Doc<"coachingSessions">, now: number): boolean {
  return (
    canManageCoachingSession(viewer, session) &&
    (session.status === "SCHEDULED" || session.status === "IN_PROGRESS") &&
    now >= session.startTime
  );
}

function canCancel(viewer: Viewer, session: Doc<"coachingSessions">, now: number): boolean {
  if (session.status !== "SCHEDULED" && session.status !== "IN_PROGRESS") return false;
  return canManageCoachingSession(viewer, session) || canCancelCoachingSessionAsStudent(viewer, session, now);
}

/**
 * The session as `viewer` sees it (call only when {@link canViewCoachingSession} is true).
 * @param now epoch ms, for the actions offered.
 */
export async function toSessionView(
  ctx: QueryCtx,
  viewer: Viewer,
  session: Doc<"coachingSessions">,
  now: number,
): Promise<CoachingSessionView> {
  const [coach, student, product, storedSpace] = await Promise.all([
    ctx.db.get("users", session.coachId),
    ctx.db.get("users", session.studentId),
    ctx.db.get("coachingProducts", session.coachingProductId),
    spaceOf(ctx, session._id),
  ]);
  // A session booked before spaces existed shows what its fields say until the migration moves them.
  const space = storedSpace ?? spaceFromLegacyFields(session);
  const guildId = configuredGuildId();
  const channelUsable = space.state === "ready" || space.state === "provisioning";
  return {
    _id: session._id,
    coachingProductId: session.coachingProductId,
    productTitle: product?.title ?? "Coaching",
    coach: {
      _id: session.coachId,
      name: coach?.name ?? "Former coach",
      discordLinked: Boolean(coach?.discordUserId),
      timeZone: coach?.timeZone ?? null,
    },
    student: {
      _id: session.studentId,
      name: student?.name ?? "Former student",
      discordLinked: Boolean(student?.discordUserId),
      timeZone: student?.timeZone ?? null,
    },
    startTime: session.startTime,
    endTime: session.endTime,
    durationMinutes: session.durationMinutes,
    status: session.status,
    notes: session.notes,
    provisioningState: space.state,
    discordSetupComplete: space.setupComplete,
    discordChannelUrl:
      guildId !== null && space.channelId !== undefined && channelUsable && !isFinished(session)
        ? discordChannelUrl(guildId, space.channelId)
        : null,
    provisioningLastError: hasPermission(viewer, "discord.manage") ? (space.lastError ?? null) : null,
    provisioningAttempts: space.attempts,
    provisioningNextAttemptAt: space.nextAttemptAt ?? null,
    viewerCan: {
      cancel: canCancel(viewer, session, now),
      start: canStart(viewer, session, now),
      complete: canComplete(viewer, session, now),
    },
  };
}

/**
 * The session when `viewer` may see it.
 * @throws ConvexError NOT_FOUND otherwise (same answer as for a session that does not exist).
 */
export async function requireVisibleSession(
  ctx: QueryCtx,
  viewer: Viewer,
  sessionId: Id<"coachingSessions">,
): Promise<Doc<"coachingSessions">> {
  const session = await ctx.db.get("coachingSessions", sessionId);
  if (session === null || !canViewCoachingSession(viewer, session)) {
    throwError("NOT_FOUND", "That coaching session does not exist.");
  }
  return session;
}

/**
 * Non-cancelled sessions of a coach (`field` = "coachId") or student (`"studentId"`) that overlap
 * `interval` (epoch ms). Reads by index only the sessions starting in (start − 240 min, end).
 */
export async function overlappingSessions(
  ctx: QueryCtx,
  field: "coachId" | "studentId",
  userId: Id<"users">,
  interval: Interval,
): Promise<Doc<"coachingSessions">[]> {
  const rows =
    field === "coachId"
      ? await ctx.db
          .query("coachingSessions")
          .withIndex("by_coach_and_startTime", (q) =>
            q.eq("coachId", userId).gt("startTime", interval.start - MAX_DURATION_MS).lt("startTime", interval.end),
          )
          .take(SESSION_READ_LIMIT)
      : await ctx.db
          .query("coachingSessions")
          .withIndex("by_student_and_startTime", (q) =>
            q.eq("studentId", userId).gt("startTime", interval.start - MAX_DURATION_MS).lt("startTime", interval.end),
          )
          .take(SESSION_READ_LIMIT);
  return rows.filter(
    (session) => session.status !== "CANCELLED" && overlaps(interval, { start: session.startTime, end: session.endTime }),
  );
}

/** A free slot as the slots query returns it. */
export const freeSlotValidator = v.object({
  coachId: v.id("users"),
  /** Epoch ms. */
  startTime: v.number(),
  endTime: v.number(),
  /** The slot's calendar day in the requested time zone, "YYYY-MM-DD". */
  localDate: v.string(),
});

export const freeSlotsValidator = v.object({ timeZone: v.string(), slots: v.array(freeSlotValidator) });

/**
 * Free slots of a coaching product's coaches whose start falls on the local days `fromDate` …
 * `fromDate + days − 1` in `timeZone` (default: the viewer's zone, else UTC). A slot is free when it
 * lies in the coach's weekly availability (in the coach's zone), starts after `now`, and overlaps
 * none of the coach's non-cancelled sessions nor (for a student) the viewer's own.
 * @throws ConvexError NOT_FOUND (product not visible), INVALID_ARGUMENT (date, days 1–31, zone).
 */
export async function listFreeSlots(
  ctx: QueryCtx,
  viewer: Viewer,
  args: { coachingProductId: Id<"coachingProducts">; fromDate: string; days: number; timeZone?: string; coachId?: Id<"users"> },
  now: number,
): Promise<typeof freeSlotsValidator.type> {
  const product = await requireVisibleCoachingProduct(ctx, viewer, args.coachingProductId);
  const timeZone = requireTimeZone(args.timeZone ?? viewer.timeZone ?? "UTC");
  if (!Number.isInteger(args.days) || args.days < 1 || args.days > MAX_SLOT_RANGE_DAYS) {
    throwError("INVALID_ARGUMENT", `Days must be a whole number from 1 to ${MAX_SLOT_RANGE_DAYS}.`, { field: "days" });
  }
  const from = parseLocalDate(args.fromDate, "From date");
  const rangeStart = localMinuteToInstant(from, 0, timeZone);
  const rangeEnd = localMinuteToInstant(addDays(from, args.days), 0, timeZone);
  if (!product.active) return { timeZone, slots: [] };

  const studentBusy = hasRole(viewer, "student")
    ? await overlappingSessions(ctx, "studentId", viewer._id, { start: rangeStart, end: rangeEnd + MAX_DURATION_MS })
    : [];
  const slots: Array<typeof freeSlotValidator.type> = [];
  for (const coachId of product.coachIds) {
    if (args.coachId !== undefined && args.coachId !== coachId) continue;
    const coach = await ctx.db.get("users", coachId);
    if (coach === null || !coach.active || !hasRole(coach, "coach")) continue;
    const availability = await availabilityOf(ctx, coachId);
    if (availability.timeZone === null || availability.windows.length === 0) continue;
    const candidates = candidateSlots(
      availability.windows,
      availability.timeZone,
      Math.max(rangeStart, now),
      rangeEnd,
      product.durationMinutes,
      SLOT_STEP_MINUTES,
    );
    if (candidates.length === 0) continue;
    const coachBusy = await overlappingSessions(ctx, "coachId", coachId, {
      start: candidates[0].start,
      end: candidates[candidates.length - 1].end,
    });
    const busy = [...coachBusy, ...studentBusy].map((session) => ({ start: session.startTime, end: session.endTime }));
    for (const candidate of candidates) {
      if (candidate.start <= now || busy.some((interval) => overlaps(candidate, interval))) continue;
      slots.push({
        coachId,
        startTime: candidate.start,
        endTime: candidate.end,
        localDate: formatLocalDate(localDateOf(candidate.start, timeZone)),
      });
    }
  }
  slots.sort((a, b) => a.startTime - b.startTime || a.coachId.localeCompare(b.coachId));
  return { timeZone, slots };
}

/**
 * Books a session for the viewer (a student). Re-checks everything itself, in this order, and on any
 * failure writes and schedules nothing:
 * - the coaching product is active and the student holds active access to its catalog product
 *   (NOT_FOUND otherwise, the same answer as for a product that does not exist);
 * - the coach gives this product (INVALID_ARGUMENT);
 * - `startTime` is a whole minute in the future, at most 180 days ahead (INVALID_ARGUMENT);
 * - [startTime, startTime + duration) lies inside the coach's weekly availability in the coach's
 *   time zone (INVALID_ARGUMENT);
 * - it overlaps none of the coach's non-cancelled sessions (CONFLICT) nor the student's (CONFLICT).
 * Then inserts the session (SCHEDULED; the only write to it until it changes), inserts its Discord
 * space and schedules its provisioning (`model/discord/spaces.ts`), and the booking confirmation with its invite to the student and the coach.
 * @param now epoch ms.
 * @returns the new session id.
 */
export async function bookSession(
  ctx: MutationCtx,
  viewer: Viewer,
  args: { coachingProductId: Id<"coachingProducts">; coachId: Id<"users">; startTime: number; notes?: string },
  now: number,
): Promise<Id<"coachingSessions">> {
  const product = await ctx.db.get("coachingProducts", args.coachingProductId);
  const catalogProduct = product === null ? null : await ctx.db.get("products", product.productId);
  if (
    product === null ||
    !product.active ||
    catalogProduct === null ||
    catalogProduct.status !== "active" ||
    !(await hasActiveProductAccess(ctx, viewer._id, product.productId))
  ) {
    throwError(
      "NOT_FOUND",
      "This coaching product does not exist or is not one of your products. Ask the team to give you access to book it.",
      { field: "coachingProductId" },
    );
  }
  const coach = await ctx.db.get("users", args.coachId);
  if (coach === null || !coach.active || !hasRole(coach, "coach") || !product.coachIds.includes(args.coachId)) {
    throwError("INVALID_ARGUMENT", `That coach does not give "${product.title}". Pick one of its coaches.`, { field: "coachId" });
  }
  if (coach._id === viewer._id) throwError("INVALID_ARGUMENT", "You cannot book a session with yourself.", { field: "coachId" });
  const notes = optionalText("Notes", args.notes, 2000);
  const { startTime } = args;
  if (!Number.isInteger(startTime) || startTime % MINUTE_MS !== 0) {
    throwError("INVALID_ARGUMENT", "The start time must be a whole minute.", { field: "startTime" });
  }
  if (startTime <= now) {
    throwError("INVALID_ARGUMENT", "That time is in the past. Pick a future slot.", { field: "startTime" });
  }
  if (startTime > now + MAX_BOOKING_HORIZON_DAYS * 24 * 60 * MINUTE_MS) {
    throwError("INVALID_ARGUMENT", `Bookings can be made at most ${MAX_BOOKING_HORIZON_DAYS} days ahead.`, { field: "startTime" });
  }
  const endTime = startTime + product.durationMinutes * MINUTE_MS;
  const availability = await availabilityOf(ctx, coach._id);
  if (
    availability.timeZone === null ||
    !isInsideWeeklyWindows(availability.windows, availability.timeZone, startTime, endTime)
  ) {
    throwError("INVALID_ARGUMENT", `That time is outside ${coach.name}'s availability. Pick one of the free slots.`, {
      field: "startTime",
    });
  }
  const interval = { start: startTime, end: endTime };
  if ((await overlappingSessions(ctx, "coachId", coach._id, interval)).length > 0) {
    throwError("CONFLICT", `${coach.name} already has a session at that time. Pick another slot.`, { field: "startTime" });
  }
  if ((await overlappingSessions(ctx, "studentId", viewer._id, interval)).length > 0) {
    throwError("CONFLICT", "You already have a coaching session at that time.", { field: "startTime" });
  }

  const sessionId = await ctx.db.insert("coachingSessions", {
    coachId: coach._id,
    studentId: viewer._id,
    coachingProductId: product._id,
    productId: product.productId,
    startTime,
    endTime,
    durationMinutes: product.durationMinutes,
    status: "SCHEDULED",
    notes,
    reminderSent: false,
    bookedBy: viewer._id,
  });
  await createDiscordSpace(ctx, { _id: sessionId, startTime, endTime }, now);
  await ctx.scheduler.runAt(startTime, internal.coaching.startAtStartTime, { sessionId });
  await notifySessionEvent(ctx, { kind: "coaching", entityId: sessionId, event: "booked" });
  return sessionId;
}

/**
 * Moves a session that is still SCHEDULED to IN_PROGRESS when its start time has come (the job
 * {@link bookSession} schedules for `startTime`), so student and coach see it running without the
 * coach pressing Start. Sessions already started early, completed or cancelled stay as they are.
 * @param now epoch ms; a job that runs early changes nothing.
 */
export async function startAtStartTime(ctx: MutationCtx, sessionId: Id<"coachingSessions">, now: number): Promise<void> {
  const session = await ctx.db.get("coachingSessions", sessionId);
  if (session === null || session.status !== "SCHEDULED" || now < session.startTime) return;
  await ctx.db.patch("coachingSessions", sessionId, { status: "IN_PROGRESS" });
}

/**
 * Cancels a session. The student may cancel their own booking while it is SCHEDULED and in the
 * future; its coach and staff (`coachingSessions.manage`, `coaching.manage`) may cancel any session
 * that is SCHEDULED or IN_PROGRESS. Schedules the Discord cleanup at once (a provisioning run in
 * flight stops at its next step), and the cancellation
 * email (METHOD:CANCEL invite) to the student and the coach.
 * @throws ConvexError NOT_FOUND (not visible), FAILED_PRECONDITION (already finished, or a student
 * cancelling a started session), FORBIDDEN (may see but not cancel).
 */
export async function cancelSession(ctx: MutationCtx, viewer: Viewer, sessionId: Id<"coachingSessions">, now: number) {
  const session = await requireVisibleSession(ctx, viewer, sessionId);
  if (isFinished(session)) {
    throwError("FAILED_PRECONDITION", `This session is already ${session.status.toLowerCase()}.`);
  }
  if (!canManageCoachingSession(viewer, session)) {
    if (session.studentId !== viewer._id) throwError("FORBIDDEN", "Only the student, the coach or staff can cancel this session.");
    if (!canCancelCoachingSessionAsStudent(viewer, session, now)) {
      throwError("FAILED_PRECONDITION", "This session has already started. Ask your coach to cancel it.");
    }
  }
  await ctx.db.patch("coachingSessions", sessionId, { status: "CANCELLED", cancelledAt: now, cancelledBy: viewer._id });
  await finishDiscordSpace(ctx, sessionId, "CANCELLED", 0, now);
  await notifySessionEvent(ctx, { kind: "coaching", entityId: sessionId, event: "cancelled" });
}

/**
 * Marks a session COMPLETED (its coach or staff; only once it has started). Schedules the Discord
 * cleanup 5 minutes later.
 * @throws ConvexError NOT_FOUND, FORBIDDEN, FAILED_PRECONDITION (finished, or not started yet).
 */
export async function completeSession(ctx: MutationCtx, viewer: Viewer, sessionId: Id<"coachingSessions">, now: number) {
  const session = await requireVisibleSession(ctx, viewer, sessionId);
  if (!canManageCoachingSession(viewer, session)) throwError("FORBIDDEN", "Only the coach or staff can complete this session.");
  if (isFinished(session)) throwError("FAILED_PRECONDITION", `This session is already ${session.status.toLowerCase()}.`);
  if (now < session.startTime) throwError("FAILED_PRECONDITION", "A session cannot be completed before it starts.");
  await ctx.db.patch("coachingSessions", sessionId, { status: "COMPLETED", completedAt: now, completedBy: viewer._id });
  await finishDiscordSpace(ctx, sessionId, "COMPLETED", COMPLETED_CLEANUP_DELAY_MS, now);
}

/**
 * Marks a SCHEDULED session IN_PROGRESS (its coach or staff; from 15 minutes before the start).
 * @throws ConvexError NOT_FOUND, FORBIDDEN, FAILED_PRECONDITION.
 */
export async function startSession(ctx: MutationCtx, viewer: Viewer, sessionId: Id<"coachingSessions">, now: number) {
  const session = await requireVisibleSession(ctx, viewer, sessionId);
  if (!canManageCoachingSession(viewer, session)) throwError("FORBIDDEN", "Only the coach or staff can start this session.");
  if (session.status !== "SCHEDULED") throwError("FAILED_PRECONDITION", `This session is ${session.status.toLowerCase()}.`);
  if (now < session.startTime - START_EARLY_MINUTES * MINUTE_MS) {
    throwError("FAILED_PRECONDITION", `A session can be started at most ${START_EARLY_MINUTES} minutes early.`);
  }
  await ctx.db.patch("coachingSessions", sessionId, { status: "IN_PROGRESS" });
}

/** `personId`'s sessions as student or coach that start after or before a time (epoch ms), by index. */
function sessionsOf(ctx: QueryCtx, side: "student" | "coach", personId: Id<"users">, bound: { after: number } | { before: number }) {
  if (side === "student") {
    return ctx.db
      .query("coachingSessions")
      .withIndex("by_student_and_startTime", (q) =>
        "after" in bound ? q.eq("studentId", personId).gt("startTime", bound.after) : q.eq("studentId", personId).lt("startTime", bound.before),
      );
  }
  return ctx.db
    .query("coachingSessions")
    .withIndex("by_coach_and_startTime", (q) =>
      "after" in bound ? q.eq("coachId", personId).gt("startTime", bound.after) : q.eq("coachId", personId).lt("startTime", bound.before),
    );
}

/**
 * One person's coaching sessions on one side of them: as the student (`side` "student") or as the
 * coach ("coach"). `scope` "upcoming": not yet ended, soonest first; "past": ended, newest first.
 * At most `limit` (default 50, clamped to 1–200). Reads through `by_student_and_startTime` or
 * `by_coach_and_startTime`, so the cost depends on the limit, not on the table's size.
 * The caller decides who may read `personId`'s sessions.
 * @param now epoch ms.
 */
export async function listPersonSessions(
  ctx: QueryCtx,
  viewer: Viewer,
  side: "student" | "coach",
  personId: Id<"users">,
  scope: "upcoming" | "past",
  now: number,
  limit = 50,
): Promise<CoachingSessionView[]> {
  const take = Math.min(Math.max(1, Math.floor(limit)), 200);
  const rows =
    scope === "upcoming"
      ? (await sessionsOf(ctx, side, personId, { after: now - MAX_DURATION_MS }).take(take + 50))
          .filter((session) => session.endTime > now)
          .slice(0, take)
      : (await sessionsOf(ctx, side, personId, { before: now }).order("desc").take(take + 50))
          .filter((session) => session.endTime <= now)
          .slice(0, take);
  return await Promise.all(rows.map((session) => toSessionView(ctx, viewer, session, now)));
}

/**
 * A coach's sessions starting from `from` (epoch ms, e.g. the start of the coach's today) for
 * `days` days (1–62), soonest first.
 */
export async function listCoachSessions(
  ctx: QueryCtx,
  viewer: Viewer,
  coachId: Id<"users">,
  from: number,
  days: number,
  now: number,
): Promise<CoachingSessionView[]> {
  if (!Number.isInteger(days) || days < 1 || days > 62) {
    throwError("INVALID_ARGUMENT", "Days must be a whole number from 1 to 62.", { field: "days" });
  }
  const rows = await ctx.db
    .query("coachingSessions")
    .withIndex("by_coach_and_startTime", (q) =>
      q.eq("coachId", coachId).gte("startTime", from).lt("startTime", from + days * 24 * 60 * MINUTE_MS),
    )
    .take(SESSION_READ_LIMIT);
  return await Promise.all(rows.map((session) => toSessionView(ctx, viewer, session, now)));
}

