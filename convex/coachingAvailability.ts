import { v } from "convex/values";
import { textArg, listArg } from "./model/validation";
import { canReadAllCoachSchedules, requireCoachScheduleAccess } from "./model/access";
import {
  availabilityOf,
  availabilityValidator,
  coachOverviewValidator,
  listCoachesOverview,
  replaceAvailability,
  weeklyWindowValidator,
  MAX_WINDOWS_PER_COACH,
} from "./model/coaching/availability";
import { throwError } from "./model/errors";
import { permissionMutation, permissionQuery, userQuery } from "./model/functions";

/**
 * Weekly coach availability (SPEC §6): windows `{ weekday (0 = Sunday … 6), startMinute, endMinute }`
 * (minutes after local midnight, steps of 5, end ≤ 1440) in the coach's IANA time zone. Students
 * never read windows directly; they get free slots from `coaching:listSlots`.
 */

/** The caller's own weekly availability (`coaching.coach`). `timeZone` is null before the first save. */
export const mine = permissionQuery("coaching.coach")({
  args: {},
  returns: availabilityValidator,
  handler: (ctx) => availabilityOf(ctx, ctx.viewer._id),
});

/**
 * Replaces the caller's weekly availability: `{ timeZone: "Europe/London", windows: [...] }`
 * (`coaching.coach`). Existing bookings stay.
 * @throws ConvexError FORBIDDEN, INVALID_ARGUMENT (zone, overlapping or malformed windows).
 */
export const setMine = permissionMutation("coaching.coach")({
  args: { timeZone: textArg("Time zone", 100), windows: listArg("Weekly windows", weeklyWindowValidator, MAX_WINDOWS_PER_COACH) },
  returns: availabilityValidator,
  handler: (ctx, { timeZone, windows }) => replaceAvailability(ctx, ctx.viewer._id, timeZone, windows),
});

/**
 * A coach's weekly availability (`{ coachId }`): the coach themself, or staff with `coaching.manage`
 * or `sessions.readAll` (`canReadCoachSchedule` in the access module).
 * @throws ConvexError FORBIDDEN.
 */
export const ofCoach = userQuery({
  args: { coachId: v.id("users") },
  returns: availabilityValidator,
  handler: async (ctx, { coachId }) => {
    requireCoachScheduleAccess(ctx.viewer, coachId);
    return await availabilityOf(ctx, coachId);
  },
});

/**
 * Every active coach (up to 200, by name) with their hours' time zone, weekly minutes, weekdays with
 * hours and whether Discord is linked. Staff with `coaching.manage` or `sessions.readAll`.
 * @throws ConvexError FORBIDDEN.
 */
export const coaches = userQuery({
  args: {},
  returns: v.array(coachOverviewValidator),
  handler: async (ctx) => {
    if (!canReadAllCoachSchedules(ctx.viewer)) throwError("FORBIDDEN", "Only staff can see every coach's hours.");
    return await listCoachesOverview(ctx);
  },
});

/**
 * Replaces a coach's weekly availability on their behalf: `{ coachId, timeZone, windows }`
 * (`coaching.manage`).
 * @throws ConvexError FORBIDDEN, NOT_FOUND, INVALID_ARGUMENT (not a coach, zone, windows).
 */
export const setForCoach = permissionMutation("coaching.manage")({
  args: { coachId: v.id("users"), timeZone: textArg("Time zone", 100), windows: listArg("Weekly windows", weeklyWindowValidator, MAX_WINDOWS_PER_COACH) },
  returns: availabilityValidator,
  handler: (ctx, { coachId, timeZone, windows }) => replaceAvailability(ctx, coachId, timeZone, windows),
});
