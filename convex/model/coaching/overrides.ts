import { v } from "convex/values";
import { literals } from "convex-helpers/validators";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { requireCoachScheduleAccess, requireCoachScheduleEdit, type Viewer } from "../access";
import { throwError } from "../errors";
import { listArg, optionalText, requireTimeZone, textArg, wholeNumberArg } from "../validation";
import { AVAILABILITY_GRANULARITY_MINUTES } from "./availability";
import { MAX_DURATION_MINUTES } from "./products";
import { overlaps, overrideInterval, type DateOverride } from "./time";
import { addDays, formatLocalDate, localDateOf, parseLocalDate } from "../time/localDates";
import { DAY_MINUTES, MINUTE_MS } from "../time/units";
import { requireActiveCoach } from "./coaches";

/**
 * Date overrides of a coach's weekly availability (issue #15): time off (a holiday, a sick day, a
 * few hours) and extra hours on one date, each in wall-clock minutes of a local date in the coach's
 * zone. Adding time off never cancels a booking: the bookings inside it are returned and listed to
 * the coach and staff ({@link bookingsInsideTimeOff}) until someone moves or cancels them.
 */

/** Most dates one call may add, and most overrides one read returns. */
const MAX_OVERRIDE_DATES_PER_CALL = 62;
const OVERRIDE_READ_LIMIT = 400;
/** Sessions read per time-off override when looking for bookings inside it. */
const SESSIONS_PER_OVERRIDE_LIMIT = 100;

const dateOverrideKindValidator = literals("time_off", "extra_hours");

export const dateOverrideInputValidator = {
  /** Local dates "YYYY-MM-DD" (1–62, each gets one override). */
  dates: listArg("Dates", textArg("Date", 10), 62),
  kind: dateOverrideKindValidator,
  /** Minutes after local midnight, steps of 5; 0 and 1440 for a whole day. */
  startMinute: wholeNumberArg("The start (minutes after midnight)", 0, 1440),
  endMinute: wholeNumberArg("The end (minutes after midnight)", 0, 1440),
  /** IANA zone of the wall-clock times (the coach's). */
  timeZone: v.string(),
  note: v.optional(v.string()),
};

export const dateOverrideViewValidator = v.object({
  _id: v.id("coachDateOverrides"),
  coachId: v.id("users"),
  date: v.string(),
  kind: dateOverrideKindValidator,
  startMinute: v.number(),
  endMinute: v.number(),
  timeZone: v.string(),
  note: v.string(),
  /** The override's instants, epoch ms. */
  startTime: v.number(),
  endTime: v.number(),
});
type DateOverrideView = typeof dateOverrideViewValidator.type;

/** A booking that lies (partly) inside a coach's time off. */
export const bookingInTimeOffValidator = v.object({
  sessionId: v.id("coachingSessions"),
  overrideId: v.id("coachDateOverrides"),
  studentId: v.id("users"),
  studentName: v.string(),
  startTime: v.number(),
  endTime: v.number(),
});
type BookingInTimeOff = typeof bookingInTimeOffValidator.type;

function toView(row: Doc<"coachDateOverrides">): DateOverrideView {
  const interval = overrideInterval(row);
  return {
    _id: row._id,
    coachId: row.coachId,
    date: row.date,
    kind: row.kind,
    startMinute: row.startMinute,
    endMinute: row.endMinute,
    timeZone: row.timeZone,
    note: row.note,
    startTime: interval.start,
    endTime: interval.end,
  };
}

/**
 * A coach's overrides on local dates `fromDate` … `toDate` (inclusive, "YYYY-MM-DD"), by date, read
 * through `by_coachId_and_date` (at most {@link OVERRIDE_READ_LIMIT}).
 */
async function overridesBetween(
  ctx: QueryCtx,
  coachId: Id<"users">,
  fromDate: string,
  toDate: string,
): Promise<Doc<"coachDateOverrides">[]> {
  return await ctx.db
    .query("coachDateOverrides")
    .withIndex("by_coachId_and_date", (q) => q.eq("coachId", coachId).gte("date", fromDate).lte("date", toDate))
    .take(OVERRIDE_READ_LIMIT);
}

/**
 * The overrides that may touch [start, end) (epoch ms): those dated from the day before the start
 * to the day after the end in UTC (no zone is more than 14 hours from UTC).
 */
export async function overridesAround(ctx: QueryCtx, coachId: Id<"users">, start: number, end: number): Promise<DateOverride[]> {
  const from = formatLocalDate(addDays(localDateOf(start, "UTC"), -1));
  const to = formatLocalDate(addDays(localDateOf(end, "UTC"), 1));
  return await overridesBetween(ctx, coachId, from, to);
}

/**
 * A coach's date overrides (time off, extra hours) on `days` local dates from `fromDate`
 * (`YYYY-MM-DD`), as the API returns them. `coachId` undefined means the viewer's own. Readers: the
 * coach themself, or staff with `coaching.manage` or `sessions.readAll` (`canReadCoachSchedule`).
 * @throws ConvexError FORBIDDEN, INVALID_ARGUMENT (days not 1–366, malformed date).
 */
export async function listDateOverrides(
  ctx: QueryCtx,
  viewer: Viewer,
  coachId: Id<"users"> | undefined,
  fromDate: string,
  days: number,
): Promise<DateOverrideView[]> {
  coachId ??= viewer._id;
  requireCoachScheduleAccess(viewer, coachId);
  if (!Number.isInteger(days) || days < 1 || days > 366) {
    throwError("INVALID_ARGUMENT", "Days must be a whole number from 1 to 366.", { field: "days" });
  }
  const from = parseLocalDate(fromDate, "From date");
  const rows = await overridesBetween(ctx, coachId, formatLocalDate(from), formatLocalDate(addDays(from, days - 1)));
  return rows.map(toView);
}

/**
 * Non-cancelled, not yet ended sessions of a coach that overlap `interval`, by index.
 * @param now epoch ms.
 */
async function liveSessionsInside(ctx: QueryCtx, coachId: Id<"users">, start: number, end: number, now: number) {
  const rows = await ctx.db
    .query("coachingSessions")
    .withIndex("by_coachId_and_startTime", (q) =>
      q.eq("coachId", coachId).gt("startTime", start - MAX_DURATION_MINUTES * MINUTE_MS).lt("startTime", end),
    )
    .take(SESSIONS_PER_OVERRIDE_LIMIT);
  return rows.filter(
    (session) =>
      (session.status === "SCHEDULED" || session.status === "IN_PROGRESS") &&
      session.endTime > now &&
      overlaps({ start, end }, { start: session.startTime, end: session.endTime }),
  );
}

async function describeBookings(
  ctx: QueryCtx,
  override: Doc<"coachDateOverrides">,
  now: number,
): Promise<BookingInTimeOff[]> {
  const interval = overrideInterval(override);
  const sessions = await liveSessionsInside(ctx, override.coachId, interval.start, interval.end, now);
  return await Promise.all(
    sessions.map(async (session) => ({
      sessionId: session._id,
      overrideId: override._id,
      studentId: session.studentId,
      studentName: (await ctx.db.get("users", session.studentId))?.name ?? "Former student",
      startTime: session.startTime,
      endTime: session.endTime,
    })),
  );
}

/**
 * Adds one override per date in `input.dates` for `coachId` (undefined: the viewer's own). The coach
 * themself or staff with `coaching.manage` (`canEditCoachSchedule`). Bookings already inside new
 * time off stay booked.
 * @param input `{ dates: ["YYYY-MM-DD", …], kind: "time_off" | "extra_hours", startMinute, endMinute,
 *   timeZone, note? }`; minutes after local midnight in the IANA `timeZone`.
 * @param now epoch ms.
 * @returns the new override ids and the bookings (not ended, not cancelled) inside the new time off.
 * @throws ConvexError FORBIDDEN, NOT_FOUND (no such coach), INVALID_ARGUMENT (not a coach; no dates, more than
 * 62, a malformed or repeated date; minutes outside 0–1440 or not in steps of 5; an end not after
 * the start; an unknown zone). Nothing is written then.
 */
export async function addDateOverrides(
  ctx: MutationCtx,
  viewer: Viewer,
  coachId: Id<"users"> | undefined,
  input: { dates: string[]; kind: "time_off" | "extra_hours"; startMinute: number; endMinute: number; timeZone: string; note?: string },
  now: number,
): Promise<{ overrideIds: Id<"coachDateOverrides">[]; bookingsInside: BookingInTimeOff[] }> {
  coachId ??= viewer._id;
  requireCoachScheduleEdit(viewer, coachId);
  await requireActiveCoach(ctx, coachId);
  if (input.dates.length === 0 || input.dates.length > MAX_OVERRIDE_DATES_PER_CALL) {
    throwError("INVALID_ARGUMENT", `Pick from 1 to ${MAX_OVERRIDE_DATES_PER_CALL} dates.`, { field: "dates" });
  }
  const dates = input.dates.map((date) => formatLocalDate(parseLocalDate(date, "Date")));
  if (new Set(dates).size !== dates.length) throwError("INVALID_ARGUMENT", "Each date may be picked once.", { field: "dates" });
  const { startMinute, endMinute } = input;
  const aligned = (minute: number) => Number.isInteger(minute) && minute % AVAILABILITY_GRANULARITY_MINUTES === 0;
  if (!aligned(startMinute) || !aligned(endMinute) || startMinute < 0 || endMinute > DAY_MINUTES) {
    throwError(
      "INVALID_ARGUMENT",
      `Times must lie between 00:00 and 24:00 in steps of ${AVAILABILITY_GRANULARITY_MINUTES} minutes.`,
      { field: "startMinute" },
    );
  }
  if (endMinute <= startMinute) throwError("INVALID_ARGUMENT", "The end must be after the start.", { field: "endMinute" });
  const timeZone = requireTimeZone(input.timeZone.trim());
  const note = optionalText("Note", input.note, 200);

  const overrideIds: Id<"coachDateOverrides">[] = [];
  const bookingsInside: BookingInTimeOff[] = [];
  for (const date of dates) {
    const overrideId = await ctx.db.insert("coachDateOverrides", { coachId, date, kind: input.kind, startMinute, endMinute, timeZone, note });
    overrideIds.push(overrideId);
    if (input.kind === "time_off") {
      const row = await ctx.db.get("coachDateOverrides", overrideId);
      if (row !== null) bookingsInside.push(...(await describeBookings(ctx, row, now)));
    }
  }
  return { overrideIds, bookingsInside };
}

/**
 * Deletes one override of `coachId` (undefined: the viewer's own). The coach themself or staff with
 * `coaching.manage` (`canEditCoachSchedule`).
 * @throws ConvexError FORBIDDEN; NOT_FOUND when it does not exist or belongs to another coach.
 */
export async function removeDateOverride(
  ctx: MutationCtx,
  viewer: Viewer,
  coachId: Id<"users"> | undefined,
  overrideId: Id<"coachDateOverrides">,
): Promise<void> {
  coachId ??= viewer._id;
  requireCoachScheduleEdit(viewer, coachId);
  const row = await ctx.db.get("coachDateOverrides", overrideId);
  if (row === null || row.coachId !== coachId) throwError("NOT_FOUND", "That date override does not exist.");
  await ctx.db.delete("coachDateOverrides", overrideId);
}

/**
 * The coach's bookings (not ended, not cancelled) inside their time off dated from the UTC day
 * before `now` on, soonest first: what the coach or staff still have to move or cancel.
 * Reads the time-off overrides by index (at most {@link OVERRIDE_READ_LIMIT}) and, per override,
 * the coach's sessions starting in it (by index). `coachId` undefined means the viewer's own.
 * Readers: the coach themself, or staff with `coaching.manage` or `sessions.readAll`.
 * @param now epoch ms (passed by the page; queries never read the clock).
 * @throws ConvexError FORBIDDEN.
 */
export async function bookingsInsideTimeOff(
  ctx: QueryCtx,
  viewer: Viewer,
  coachId: Id<"users"> | undefined,
  now: number,
): Promise<BookingInTimeOff[]> {
  coachId ??= viewer._id;
  requireCoachScheduleAccess(viewer, coachId);
  const fromDate = formatLocalDate(addDays(localDateOf(now, "UTC"), -1));
  const rows = await ctx.db
    .query("coachDateOverrides")
    .withIndex("by_coachId_and_date", (q) => q.eq("coachId", coachId).gte("date", fromDate))
    .take(OVERRIDE_READ_LIMIT);
  const found = new Map<Id<"coachingSessions">, BookingInTimeOff>();
  for (const row of rows) {
    if (row.kind !== "time_off") continue;
    for (const booking of await describeBookings(ctx, row, now)) {
      if (!found.has(booking.sessionId)) found.set(booking.sessionId, booking);
    }
  }
  return [...found.values()].sort((a, b) => a.startTime - b.startTime);
}
