import { v } from "convex/values";
import { internal } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import {
  canCancelCoachingSessionAsStudent,
  canManageCoachingSession,
  canMarkCoachingNoShow,
  canRescheduleCoachingSession,
  canViewCoachingSession,
  hasPermission,
  hasRole,
  type Viewer,
} from "../access";
import { hasActiveProductAccess } from "../catalog/lookups";
import { throwError } from "../errors";
import { optionalText, requireTimeZone } from "../validation";
import { configuredGuildId } from "../discord/config";
import { discordChannelUrl } from "../discord/names";
import { COMPLETED_CLEANUP_DELAY_MS, finishDiscordSpace } from "../discord/cleanup";
import { spaceFromLegacyFields } from "../discord/spaceMigration";
import { createDiscordSpace, spaceOf } from "../discord/spaces";
import { notifySessionEvent } from "../notifications/sessionNotices";
import { coachingSessionStatusValidator, provisioningStateValidator } from "../../tables/coaching";
import { sessionTimes } from "./timeNames";
import { returnAllowance, useAllowance } from "./allowances";
import { availabilityOf } from "./availability";
import { moveDiscordSpace } from "./discordSpace";
import { overridesAround } from "./overrides";
import { bookingRules, coachSettingsOf, productPolicyOf, studentChangeDeadline, type BookingRules } from "./policy";
import { MAX_DURATION_MINUTES, requireVisibleCoachingProduct } from "./products";
import { availableIntervals, candidateSlots, isInsideIntervals, overlaps, type Interval } from "./time";
import { addDays, formatLocalDate, localDateOf, localMinuteToInstant, parseLocalDate } from "../time/localDates";
import { MINUTE_MS } from "../time/units";
import { requireDocument } from "../documents";

/** Coaching sessions (SPEC §6): free slots, booking, status transitions and what each viewer sees. */

/** Offered start times are this many minutes apart inside each availability window. */
const SLOT_STEP_MINUTES = 30;
/** Longest range of the slots query, in days. */
export const MAX_SLOT_RANGE_DAYS = 31;
/** A coach (or staff) may mark a session in progress at most this many minutes before it starts. */
const START_EARLY_MINUTES = 15;
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
  /** Cancelled after the product's cancellation window closed. */
  lateCancellation: v.boolean(),
  /** The coach marked that the student did not come (the session is COMPLETED). */
  noShow: v.boolean(),
  /** Until when (epoch ms) the student may still cancel or reschedule it themself. */
  studentChangeDeadline: v.number(),
  /** Times it was moved. */
  rescheduleCount: v.number(),
  viewerCan: v.object({
    cancel: v.boolean(),
    start: v.boolean(),
    complete: v.boolean(),
    reschedule: v.boolean(),
    markNoShow: v.boolean(),
  }),
});

export type CoachingSessionView = typeof coachingSessionViewValidator.type;

/** True when the session is over for good (cancelled or completed). */
function isFinished(session: Pick<Doc<"coachingSessions">, "status">): boolean {
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

function canCancel(viewer: Viewer, session: Doc<"coachingSessions">, deadline: number, now: number): boolean {
  if (session.status !== "SCHEDULED" && session.status !== "IN_PROGRESS") return false;
  return canManageCoachingSession(viewer, session) || canCancelCoachingSessionAsStudent(viewer, session, deadline, now);
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
  const deadline = studentChangeDeadline(
    session.startTime,
    product === null ? 0 : productPolicyOf(product).cancellationWindowHours,
  );
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
    lateCancellation: session.lateCancellation === true,
    noShow: session.noShow === true,
    studentChangeDeadline: deadline,
    rescheduleCount: session.rescheduleCount ?? 0,
    viewerCan: {
      cancel: canCancel(viewer, session, deadline, now),
      start: canStart(viewer, session, now),
      complete: canComplete(viewer, session, now),
      reschedule: canRescheduleCoachingSession(viewer, session, deadline, now),
      markNoShow: canMarkCoachingNoShow(viewer, session, now),
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
  return await requireDocument(ctx, "coachingSessions", sessionId, "That coaching session does not exist.", (session) => canViewCoachingSession(viewer, session));
}

/**
 * Non-cancelled sessions of a coach (`field` = "coachId") or student (`"studentId"`) that overlap
 * `interval` (epoch ms), except `excludeId`. Reads by index only the sessions starting in
 * (start − 240 min, end).
 */
async function overlappingSessions(
  ctx: QueryCtx,
  field: "coachId" | "studentId",
  userId: Id<"users">,
  interval: Interval,
  excludeId?: Id<"coachingSessions">,
): Promise<Doc<"coachingSessions">[]> {
  const rows =
    field === "coachId"
      ? await ctx.db
          .query("coachingSessions")
          .withIndex("by_coachId_and_startTime", (q) =>
            q.eq("coachId", userId).gt("startTime", interval.start - MAX_DURATION_MS).lt("startTime", interval.end),
          )
          .take(SESSION_READ_LIMIT)
      : await ctx.db
          .query("coachingSessions")
          .withIndex("by_studentId_and_startTime", (q) =>
            q.eq("studentId", userId).gt("startTime", interval.start - MAX_DURATION_MS).lt("startTime", interval.end),
          )
          .take(SESSION_READ_LIMIT);
  return rows.filter(
    (session) =>
      session._id !== excludeId &&
      session.status !== "CANCELLED" &&
      overlaps(interval, { start: session.startTime, end: session.endTime }),
  );
}

/** A free slot as the slots query returns it. */
const freeSlotValidator = v.object({
  coachId: v.id("users"),
  /** Epoch ms. */
  startTime: v.number(),
  endTime: v.number(),
  /** The slot's calendar day in the requested time zone, "YYYY-MM-DD". */
  localDate: v.string(),
});

export const freeSlotsValidator = v.object({ timeZone: v.string(), slots: v.array(freeSlotValidator) });

/** The zone a coach's day (daily limit) is counted in: their hours' zone, else their profile's, else UTC. */
function coachDayZone(availabilityZone: string | null, coach: Doc<"users">): string {
  return availabilityZone ?? coach.timeZone ?? "UTC";
}

/** [local midnight, next local midnight) of the day holding `instant` in `timeZone`, epoch ms. */
function localDayOf(instant: number, timeZone: string): Interval {
  const date = localDateOf(instant, timeZone);
  return { start: localMinuteToInstant(date, 0, timeZone), end: localMinuteToInstant(addDays(date, 1), 0, timeZone) };
}

/**
 * True when `candidate` comes too close to one of the `busy` sessions: the buffers keep free time
 * before and after every session, the new one and those already booked, so the gap between two
 * sessions is at least the larger of the buffer after the first and the buffer before the second
 * (both taken from `rules`: the larger of the product's and the coach's).
 */
function clashes(candidate: Interval, rules: Pick<BookingRules, "bufferBeforeMs" | "bufferAfterMs">, busy: Interval[]): boolean {
  const widen = (interval: Interval) => ({ start: interval.start - rules.bufferBeforeMs, end: interval.end + rules.bufferAfterMs });
  return busy.some((interval) => overlaps(widen(candidate), interval) || overlaps(candidate, widen(interval)));
}

/**
 * Free slots of a coaching product's coaches whose start falls on the local days `fromDate` …
 * `fromDate + days − 1` in `timeZone` (default: the viewer's zone, else UTC). A slot is free when:
 * it lies in the coach's availability (weekly hours plus extra hours minus time off, each at its
 * wall-clock time in the coach's zone); it starts no sooner than the product's minimum notice after
 * `now` and no later than its booking horizon; it keeps the buffers (the larger of the product's and
 * the coach's on each side) to each of the coach's non-cancelled sessions (see `clashes`); it
 * overlaps none of the viewer's own (for a student); and the coach's local day is below their daily
 * limit. The same rules as {@link bookSession}, which re-checks them.
 * Reads per coach: the user, settings and weekly hours, overrides of the range, and the sessions of
 * the range's local days (indexes), so the cost follows the range, not the table. Any signed-in user
 * who may see the product; each slot is `{ coachId, startTime, endTime, localDate }`.
 * @param args `{ coachingProductId, fromDate ("YYYY-MM-DD"), days (1–31), timeZone? (IANA), coachId? }`.
 * @param now epoch ms, passed by the caller (queries never read the clock).
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
    ? (await overlappingSessions(ctx, "studentId", viewer._id, { start: rangeStart, end: rangeEnd + MAX_DURATION_MS })).map(toInterval)
    : [];
  const slots: Array<typeof freeSlotValidator.type> = [];
  for (const coachId of product.coachIds) {
    if (args.coachId !== undefined && args.coachId !== coachId) continue;
    const coach = await ctx.db.get("users", coachId);
    if (coach === null || !coach.active || !hasRole(coach, "coach")) continue;
    const rules = bookingRules(product, await coachSettingsOf(ctx, coachId), now);
    const start = Math.max(rangeStart, rules.earliestStart);
    const end = Math.min(rangeEnd, rules.latestStart + 1);
    if (start >= end) continue;
    const availability = await availabilityOf(ctx, coachId);
    const overrides = await overridesAround(ctx, coachId, start, end + MAX_DURATION_MS);
    const intervals = availableIntervals(availability.windows, availability.timeZone, overrides, start, end);
    const candidates = candidateSlots(intervals, start, end, product.durationMinutes, SLOT_STEP_MINUTES);
    if (candidates.length === 0) continue;
    // The coach's sessions of every local day holding a candidate: enough for overlaps with buffers
    // (at most 240 minutes each) and for the daily limit.
    const dayZone = coachDayZone(availability.timeZone, coach);
    const reach = Math.max(rules.bufferBeforeMs, rules.bufferAfterMs);
    const readFrom = Math.min(localDayOf(candidates[0].start, dayZone).start, candidates[0].start - reach);
    const readTo = Math.max(localDayOf(candidates[candidates.length - 1].start, dayZone).end, candidates[candidates.length - 1].end + reach);
    const coachSessions = await overlappingSessions(ctx, "coachId", coachId, { start: readFrom, end: readTo });
    const coachBusy = coachSessions.map(toInterval);
    const perDay = new Map<string, number>();
    for (const session of coachSessions) {
      const key = formatLocalDate(localDateOf(session.startTime, dayZone));
      perDay.set(key, (perDay.get(key) ?? 0) + 1);
    }
    for (const candidate of candidates) {
      if (clashes(candidate, rules, coachBusy) || studentBusy.some((interval) => overlaps(candidate, interval))) continue;
      if (rules.dailyLimit !== null && (perDay.get(formatLocalDate(localDateOf(candidate.start, dayZone))) ?? 0) >= rules.dailyLimit) continue;
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

function toInterval(session: Doc<"coachingSessions">): Interval {
  return { start: session.startTime, end: session.endTime };
}

/**
 * Checks every booking rule for [startTime, startTime + product duration) with `coach` for
 * `studentId`, ignoring the session `excludeId` (the one being moved). Shared by
 * {@link bookSession} and {@link rescheduleSession}; reads only, so a refusal writes nothing. In
 * order:
 * - `startTime` is a whole minute (INVALID_ARGUMENT);
 * - it is in the future, no sooner than the minimum notice and no later than the horizon
 *   (INVALID_ARGUMENT);
 * - the session lies inside the coach's availability with date overrides (INVALID_ARGUMENT);
 * - it keeps the buffers to each of the coach's non-cancelled sessions (CONFLICT; see `clashes`);
 * - it overlaps none of the student's non-cancelled sessions (CONFLICT);
 * - the coach's local day is below their daily limit (CONFLICT).
 * @param now epoch ms.
 * @returns the session's interval.
 */
async function requireBookableTime(
  ctx: QueryCtx,
  args: {
    product: Doc<"coachingProducts">;
    coach: Doc<"users">;
    studentId: Id<"users">;
    startTime: number;
    excludeId?: Id<"coachingSessions">;
    studentIsViewer: boolean;
  },
  now: number,
): Promise<Interval> {
  const { product, coach, startTime } = args;
  if (!Number.isInteger(startTime) || startTime % MINUTE_MS !== 0) {
    throwError("INVALID_ARGUMENT", "The start time must be a whole minute.", { field: "startTime" });
  }
  if (startTime <= now) {
    throwError("INVALID_ARGUMENT", "That time is in the past. Pick a future slot.", { field: "startTime" });
  }
  const rules = bookingRules(product, await coachSettingsOf(ctx, coach._id), now);
  const policy = productPolicyOf(product);
  if (startTime < rules.earliestStart) {
    throwError("INVALID_ARGUMENT", `Sessions must be booked at least ${policy.minimumNoticeHours} hours ahead. Pick a later slot.`, {
      field: "startTime",
    });
  }
  if (startTime > rules.latestStart) {
    throwError("INVALID_ARGUMENT", `Bookings can be made at most ${policy.bookingHorizonDays} days ahead.`, { field: "startTime" });
  }
  const endTime = startTime + product.durationMinutes * MINUTE_MS;
  const availability = await availabilityOf(ctx, coach._id);
  const overrides = await overridesAround(ctx, coach._id, startTime, endTime);
  const intervals = availableIntervals(availability.windows, availability.timeZone, overrides, startTime, endTime);
  if (!isInsideIntervals(intervals, startTime, endTime)) {
    throwError("INVALID_ARGUMENT", `That time is outside ${coach.name}'s availability. Pick one of the free slots.`, {
      field: "startTime",
    });
  }
  const interval = { start: startTime, end: endTime };
  const reach = Math.max(rules.bufferBeforeMs, rules.bufferAfterMs);
  const nearby = await overlappingSessions(ctx, "coachId", coach._id, { start: startTime - reach, end: endTime + reach }, args.excludeId);
  if (clashes(interval, rules, nearby.map(toInterval))) {
    throwError("CONFLICT", `${coach.name} already has a session at that time. Pick another slot.`, { field: "startTime" });
  }
  if ((await overlappingSessions(ctx, "studentId", args.studentId, interval, args.excludeId)).length > 0) {
    throwError(
      "CONFLICT",
      args.studentIsViewer ? "You already have a coaching session at that time." : "The student already has a coaching session at that time.",
      { field: "startTime" },
    );
  }
  if (rules.dailyLimit !== null) {
    const day = localDayOf(startTime, coachDayZone(availability.timeZone, coach));
    const sameDay = (await overlappingSessions(ctx, "coachId", coach._id, day, args.excludeId)).filter(
      (session) => session.startTime >= day.start && session.startTime < day.end,
    );
    if (sameDay.length >= rules.dailyLimit) {
      throwError("CONFLICT", `${coach.name} takes at most ${rules.dailyLimit} sessions a day and that day is full. Pick another day.`, {
        field: "startTime",
      });
    }
  }
  return interval;
}

/**
 * Books a session for the viewer (a student). Re-checks everything itself, in one transaction, and
 * on any failure writes and schedules nothing:
 * - the coaching product is active and the student holds active access to its catalog product
 *   (NOT_FOUND otherwise, the same answer as for a product that does not exist);
 * - the coach gives this product (INVALID_ARGUMENT);
 * - the time passes every booking rule (see `requireBookableTime`: notice, horizon, availability
 *   with date overrides, buffers, overlaps, daily limit; INVALID_ARGUMENT or CONFLICT);
 * - the student's allowance on the product has a session left (FAILED_PRECONDITION), and uses one.
 * Two students racing for the last slot: Convex runs the mutations serially on the data they read,
 * so the second sees the first's booking and gets CONFLICT.
 * Then inserts the session (SCHEDULED; the only write to it until it changes), inserts its Discord
 * space and schedules its provisioning (`model/discord/spaces.ts`), and the booking confirmation
 * with its invite to the student and the coach.
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
  const { start: startTime, end: endTime } = await requireBookableTime(
    ctx,
    { product, coach, studentId: viewer._id, startTime: args.startTime, studentIsViewer: true },
    now,
  );
  const usedAllowance = await useAllowance(ctx, viewer._id, product.productId);

  const sessionId = await ctx.db.insert("coachingSessions", {
    coachId: coach._id,
    studentId: viewer._id,
    coachingProductId: product._id,
    productId: product.productId,
    ...sessionTimes(startTime, endTime),
    durationMinutes: product.durationMinutes,
    status: "SCHEDULED",
    notes,
    reminderSent: false,
    bookedBy: viewer._id,
    usedAllowance,
  });
  await createDiscordSpace(ctx, { _id: sessionId, startTime, endTime }, now);
  await ctx.scheduler.runAt(startTime, internal.coaching.startAtStartTime, { sessionId });
  await notifySessionEvent(ctx, { kind: "coaching", entityId: sessionId, event: "booked" });
  return sessionId;
}

/**
 * Moves a SCHEDULED session to `startTime` (epoch ms, same coach and length), keeping its identity
 * (id, calendar UID, Discord key). Who may: the student until the product's cancellation window
 * closes (`studentChangeDeadline`); the coach and staff until it starts (access module,
 * `canRescheduleCoachingSession`). The new time passes every booking rule (`requireBookableTime`,
 * ignoring the session itself). Then: the session's calendar SEQUENCE grows (`rescheduleCount`),
 * its start-time job is planned again, one "rescheduled" email with an updated invite (same UID)
 * goes to the student and the coach, reminders move (by the notice), and its Discord space follows
 * (`moveDiscordSpace`).
 * @param now epoch ms.
 * @throws ConvexError NOT_FOUND (not visible), FAILED_PRECONDITION (not SCHEDULED, or the student's
 * window closed), FORBIDDEN (may see but not move), INVALID_ARGUMENT / CONFLICT (the new time).
 * Nothing is written then.
 */
export async function rescheduleSession(
  ctx: MutationCtx,
  viewer: Viewer,
  sessionId: Id<"coachingSessions">,
  startTime: number,
  now: number,
): Promise<void> {
  const session = await requireVisibleSession(ctx, viewer, sessionId);
  if (session.status !== "SCHEDULED") {
    throwError("FAILED_PRECONDITION", `Only a scheduled session can be moved; this one is ${session.status.toLowerCase().replace("_", " ")}.`);
  }
  const product = await ctx.db.get("coachingProducts", session.coachingProductId);
  const coach = await ctx.db.get("users", session.coachId);
  if (product === null || coach === null || !coach.active) {
    throwError("FAILED_PRECONDITION", "This session's product or coach no longer exists, so it cannot be moved. Cancel it instead.");
  }
  const deadline = studentChangeDeadline(session.startTime, productPolicyOf(product).cancellationWindowHours);
  if (!canRescheduleCoachingSession(viewer, session, deadline, now)) {
    if (!canManageCoachingSession(viewer, session) && session.studentId !== viewer._id) {
      throwError("FORBIDDEN", "Only the student, the coach or staff can move this session.");
    }
    throwError(
      "FAILED_PRECONDITION",
      session.studentId === viewer._id && now < session.startTime
        ? "It is too late to move this session yourself. Ask your coach to move it."
        : "This session has already started and can no longer be moved.",
    );
  }
  if (startTime === session.startTime) throwError("INVALID_ARGUMENT", "Pick a different time to move the session to.", { field: "startTime" });
  const interval = await requireBookableTime(
    ctx,
    { product: { ...product, durationMinutes: session.durationMinutes }, coach, studentId: session.studentId, startTime, excludeId: session._id, studentIsViewer: session.studentId === viewer._id },
    now,
  );
  await ctx.db.patch("coachingSessions", sessionId, {
    ...sessionTimes(interval.start, interval.end),
    rescheduleCount: (session.rescheduleCount ?? 0) + 1,
    rescheduledAt: now,
    rescheduledBy: viewer._id,
    reminderSent: false,
  });
  await ctx.scheduler.runAt(interval.start, internal.coaching.startAtStartTime, { sessionId });
  await notifySessionEvent(ctx, {
    kind: "coaching",
    entityId: sessionId,
    event: "rescheduled",
    changes: { previousStartsAt: session.startTime, previousEndsAt: session.endTime },
  });
  const moved = await ctx.db.get("coachingSessions", sessionId);
  if (moved !== null) await moveDiscordSpace(ctx, moved, now);
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
 * Cancels a session under its product's cancellation policy. The student may cancel their own
 * SCHEDULED booking until the cancellation window closes (`studentChangeDeadline`); later only its
 * coach and staff (`coachingSessions.manage`, `coaching.manage`) may, for any SCHEDULED or
 * IN_PROGRESS session, and a cancellation after the window is marked `lateCancellation`. A
 * cancellation that is not late gives the used session back to the student's allowance. Schedules
 * the Discord cleanup at once (a provisioning run in flight stops at its next step), and the
 * cancellation email (METHOD:CANCEL invite) to both.
 * @throws ConvexError NOT_FOUND (not visible), FAILED_PRECONDITION (already finished, or a student
 * past the window), FORBIDDEN (may see but not cancel).
 */
export async function cancelSession(ctx: MutationCtx, viewer: Viewer, sessionId: Id<"coachingSessions">, now: number) {
  const session = await requireVisibleSession(ctx, viewer, sessionId);
  if (isFinished(session)) {
    throwError("FAILED_PRECONDITION", `This session is already ${session.status.toLowerCase()}.`);
  }
  const product = await ctx.db.get("coachingProducts", session.coachingProductId);
  const deadline = studentChangeDeadline(session.startTime, product === null ? 0 : productPolicyOf(product).cancellationWindowHours);
  if (!canManageCoachingSession(viewer, session)) {
    if (session.studentId !== viewer._id) throwError("FORBIDDEN", "Only the student, the coach or staff can cancel this session.");
    if (!canCancelCoachingSessionAsStudent(viewer, session, deadline, now)) {
      throwError(
        "FAILED_PRECONDITION",
        now < session.startTime
          ? "It is too late to cancel this session yourself. Ask your coach; it will count as a late cancellation."
          : "This session has already started. Ask your coach to cancel it.",
      );
    }
  }
  const late = now > deadline;
  await ctx.db.patch("coachingSessions", sessionId, {
    status: "CANCELLED",
    cancelledAt: now,
    cancelledBy: viewer._id,
    ...(late ? { lateCancellation: true } : {}),
  });
  if (!late) await returnAllowance(ctx, session);
  await finishDiscordSpace(ctx, sessionId, "CANCELLED", 0, now);
  await notifySessionEvent(ctx, { kind: "coaching", entityId: sessionId, event: "cancelled" });
}

/**
 * Marks that the student did not come: the session becomes COMPLETED with `noShow` (its coach or
 * staff, once it has started; the allowance session stays used). Its Discord space is cleaned up
 * 5 minutes later, as after completing.
 * @param now epoch ms.
 * @throws ConvexError NOT_FOUND, FORBIDDEN, FAILED_PRECONDITION (finished, or not started yet).
 */
export async function markNoShow(ctx: MutationCtx, viewer: Viewer, sessionId: Id<"coachingSessions">, now: number) {
  const session = await requireVisibleSession(ctx, viewer, sessionId);
  if (!canManageCoachingSession(viewer, session)) throwError("FORBIDDEN", "Only the coach or staff can mark a no-show.");
  if (isFinished(session)) throwError("FAILED_PRECONDITION", `This session is already ${session.status.toLowerCase()}.`);
  if (now < session.startTime) throwError("FAILED_PRECONDITION", "A no-show can be marked once the session has started.");
  await ctx.db.patch("coachingSessions", sessionId, { status: "COMPLETED", completedAt: now, completedBy: viewer._id, noShow: true });
  await finishDiscordSpace(ctx, sessionId, "COMPLETED", COMPLETED_CLEANUP_DELAY_MS, now);
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
 * Marks a SCHEDULED session IN_PROGRESS early (its coach or staff; from 15 minutes before the start;
 * at the start time {@link startAtStartTime} moves it by itself).
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
      .withIndex("by_studentId_and_startTime", (q) =>
        "after" in bound ? q.eq("studentId", personId).gt("startTime", bound.after) : q.eq("studentId", personId).lt("startTime", bound.before),
      );
  }
  return ctx.db
    .query("coachingSessions")
    .withIndex("by_coachId_and_startTime", (q) =>
      "after" in bound ? q.eq("coachId", personId).gt("startTime", bound.after) : q.eq("coachId", personId).lt("startTime", bound.before),
    );
}

/**
 * One person's coaching sessions on one side of them: as the student (`side` "student") or as the
 * coach ("coach"). `scope` "upcoming": not yet ended, soonest first; "past": ended, newest first.
 * At most `limit` (default 50, clamped to 1–200). Reads through `by_studentId_and_startTime` or
 * `by_coachId_and_startTime`, so the cost depends on the limit, not on the table's size.
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
 * `days` days (1–62), soonest first, with Discord state and channel links. The caller decides who may
 * read `coachId`'s sessions (the public query: the coach themself with `coaching.coach`, or
 * `sessions.readAll` / `coaching.manage`, see `access.ts#requireCoachScheduleAccess`).
 * @throws ConvexError INVALID_ARGUMENT (days out of range).
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
    .withIndex("by_coachId_and_startTime", (q) =>
      q.eq("coachId", coachId).gte("startTime", from).lt("startTime", from + days * 24 * 60 * MINUTE_MS),
    )
    .take(SESSION_READ_LIMIT);
  return await Promise.all(rows.map((session) => toSessionView(ctx, viewer, session, now)));
}

