import { v, type Infer } from "convex/values";
import type { Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { canReadAllCoachSchedules, requireCoachScheduleAccess, type Viewer } from "../access";
import { throwError } from "../errors";
import { requireTimeZone, wholeNumberArg } from "../validation";
import { formatMinute, type WeeklyWindow } from "./time";
import { DAY_MINUTES } from "../time/units";
import { requireActiveCoach } from "./coaches";
import { publicUserValidator } from "../users/accounts";

/** Weekly availability of coaches (SPEC §6): one row per window, all in the coach's time zone. */

/** Most windows a coach may publish (7 days × a few blocks). */
export const MAX_WINDOWS_PER_COACH = 50;
/** Window boundaries are whole multiples of this many minutes. */
export const AVAILABILITY_GRANULARITY_MINUTES = 5;

const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

export const weeklyWindowValidator = v.object({
  weekday: wholeNumberArg("Weekday", 0, 6),
  startMinute: wholeNumberArg("Start minute", 0, 24 * 60),
  endMinute: wholeNumberArg("End minute", 0, 24 * 60),
});

/** A coach's weekly availability as the API returns it. */
export const availabilityValidator = v.object({
  coachId: v.id("users"),
  /** null when the coach has not published any availability yet. */
  timeZone: v.union(v.string(), v.null()),
  windows: v.array(weeklyWindowValidator),
});

type Availability = { coachId: Id<"users">; timeZone: string | null; windows: WeeklyWindow[] };

/**
 * Checks and normalises windows: weekday 0–6, minutes whole multiples of 5 with
 * 0 ≤ start < end ≤ 1440, no two windows of a day overlapping. Returns them sorted by day and start.
 * @throws ConvexError INVALID_ARGUMENT naming the offending window.
 */
export function normalizeWindows(windows: WeeklyWindow[]): WeeklyWindow[] {
  if (windows.length > MAX_WINDOWS_PER_COACH) {
    throwError("INVALID_ARGUMENT", `At most ${MAX_WINDOWS_PER_COACH} availability windows are allowed.`, { field: "windows" });
  }
  for (const window of windows) {
    const { weekday, startMinute, endMinute } = window;
    if (!Number.isInteger(weekday) || weekday < 0 || weekday > 6) {
      throwError("INVALID_ARGUMENT", "Weekday must be 0 (Sunday) to 6 (Saturday).", { field: "weekday" });
    }
    const label = `${WEEKDAY_NAMES[weekday]} ${formatMinute(Math.max(0, startMinute))}–${formatMinute(Math.max(0, endMinute))}`;
    const aligned = (minute: number) => Number.isInteger(minute) && minute % AVAILABILITY_GRANULARITY_MINUTES === 0;
    if (!aligned(startMinute) || !aligned(endMinute) || startMinute < 0 || endMinute > DAY_MINUTES) {
      throwError(
        "INVALID_ARGUMENT",
        `${label}: times must lie between 00:00 and 24:00 in steps of ${AVAILABILITY_GRANULARITY_MINUTES} minutes.`,
        { field: "windows" },
      );
    }
    if (endMinute <= startMinute) {
      throwError("INVALID_ARGUMENT", `${label}: the end must be after the start.`, { field: "windows" });
    }
  }
  const sorted = [...windows].sort((a, b) => a.weekday - b.weekday || a.startMinute - b.startMinute);
  for (let index = 1; index < sorted.length; index += 1) {
    const previous = sorted[index - 1];
    const current = sorted[index];
    if (previous.weekday === current.weekday && current.startMinute < previous.endMinute) {
      throwError(
        "INVALID_ARGUMENT",
        `${WEEKDAY_NAMES[current.weekday]}: ${formatMinute(previous.startMinute)}–${formatMinute(previous.endMinute)} and ${formatMinute(current.startMinute)}–${formatMinute(current.endMinute)} overlap.`,
        { field: "windows" },
      );
    }
  }
  return sorted.map(({ weekday, startMinute, endMinute }) => ({ weekday, startMinute, endMinute }));
}

/** Most coaches {@link listCoachesOverview} returns. */
const COACH_OVERVIEW_LIMIT = 200;

/** One coach in the staff overview: who they are and how much they can be booked each week. */
export const coachOverviewValidator = publicUserValidator.pick("name", "email").extend({
  coachId: v.id("users"),
  /** Time zone of their published hours; null before they publish any. */
  timeZone: v.union(v.string(), v.null()),
  /** The time zone of their profile (the natural default for new hours); null when unset. */
  profileTimeZone: v.union(v.string(), v.null()),
  /** Sum of their weekly windows, in minutes. */
  weeklyMinutes: v.number(),
  /** Days of the week (0 = Sunday … 6) with at least one window, ascending. */
  weekdays: v.array(v.number()),
  discordLinked: v.boolean(),
});
type CoachOverview = Infer<typeof coachOverviewValidator>;

/**
 * Every active coach (at most {@link COACH_OVERVIEW_LIMIT}, by the `userRoles.by_role` index), sorted
 * by name, with their hours' time zone, weekly minutes, weekdays with hours and whether Discord is
 * linked. Staff with `coaching.manage` or `sessions.readAll` (`canReadAllCoachSchedules`).
 * @throws ConvexError FORBIDDEN.
 */
export async function listCoachesOverview(ctx: QueryCtx, viewer: Viewer): Promise<CoachOverview[]> {
  if (!canReadAllCoachSchedules(viewer)) throwError("FORBIDDEN", "Only staff can see every coach's hours.");
  const roleRows = await ctx.db
    .query("userRoles")
    .withIndex("by_role", (q) => q.eq("role", "coach"))
    .take(COACH_OVERVIEW_LIMIT);
  const coaches = await Promise.all(
    roleRows.map(async ({ userId }) => {
      const user = await ctx.db.get("users", userId);
      if (user === null || !user.active) return null;
      const availability = await availabilityOf(ctx, userId);
      return {
        coachId: userId,
        name: user.name,
        email: user.email,
        timeZone: availability.timeZone,
        profileTimeZone: user.timeZone ?? null,
        weeklyMinutes: availability.windows.reduce((sum, window) => sum + window.endMinute - window.startMinute, 0),
        weekdays: [...new Set(availability.windows.map((window) => window.weekday))].sort((a, b) => a - b),
        discordLinked: Boolean(user.discordUserId),
      };
    }),
  );
  return coaches.filter((coach) => coach !== null).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A coach's weekly availability for a reader: the coach themself, or staff with `coaching.manage`
 * or `sessions.readAll` (`canReadCoachSchedule`). See {@link availabilityOf}.
 * @throws ConvexError FORBIDDEN.
 */
export async function availabilityForViewer(ctx: QueryCtx, viewer: Viewer, coachId: Id<"users">): Promise<Availability> {
  requireCoachScheduleAccess(viewer, coachId);
  return await availabilityOf(ctx, coachId);
}

/**
 * Reads every window of a coach (at most {@link MAX_WINDOWS_PER_COACH} rows, by index): `timeZone`
 * is null before the first save.
 */
export async function availabilityOf(ctx: QueryCtx, coachId: Id<"users">): Promise<Availability> {
  const rows = await ctx.db
    .query("coachAvailability")
    .withIndex("by_coachId_and_weekday", (q) => q.eq("coachId", coachId))
    .take(MAX_WINDOWS_PER_COACH + 1);
  return {
    coachId,
    timeZone: rows[0]?.timeZone ?? null,
    windows: rows.map(({ weekday, startMinute, endMinute }) => ({ weekday, startMinute, endMinute })),
  };
}

/**
 * Replaces a coach's weekly availability with `windows` in `timeZone` (IANA, e.g. "Europe/London").
 * Existing bookings are kept even when they no longer fall inside the new windows. The coach
 * themself (`coaching.coach`) or, on their behalf, `coaching.manage`: the public function checks
 * the permission.
 * @returns the stored availability.
 * @throws ConvexError NOT_FOUND (no such user), INVALID_ARGUMENT (not a coach, bad zone or windows).
 */
export async function replaceAvailability(
  ctx: MutationCtx,
  coachId: Id<"users">,
  timeZone: string,
  windows: WeeklyWindow[],
): Promise<Availability> {
  await requireActiveCoach(ctx, coachId);
  const zone = requireTimeZone(timeZone.trim());
  const normalized = normalizeWindows(windows);
  const existing = await ctx.db
    .query("coachAvailability")
    .withIndex("by_coachId_and_weekday", (q) => q.eq("coachId", coachId))
    .take(MAX_WINDOWS_PER_COACH + 1);
  for (const row of existing) await ctx.db.delete("coachAvailability", row._id);
  for (const window of normalized) await ctx.db.insert("coachAvailability", { coachId, timeZone: zone, ...window });
  return { coachId, timeZone: zone, windows: normalized };
}
