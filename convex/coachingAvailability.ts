import { v } from "convex/values";
import { canReadAllCoachSchedules, requireCoachScheduleAccess, requireCoachScheduleEdit } from "./model/access";
import {
  addDateOverrides,
  bookingInTimeOffValidator,
  bookingsInsideTimeOff,
  dateOverrideInputValidator,
  dateOverrideViewValidator,
  listDateOverrides,
  removeDateOverride,
} from "./model/coaching/overrides";
import { coachSettingsOf, coachSettingsValidator, setCoachSettings } from "./model/coaching/policy";
import { instantArg, listArg, textArg, wholeNumberArg } from "./model/validation";
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
import { permissionMutation, permissionQuery, userMutation, userQuery } from "./model/functions";

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

/**
 * Date overrides (time off, extra hours) of a coach on `days` local dates from `fromDate`; without
 * `coachId` the caller's own. See `listDateOverrides` in `model/coaching/overrides.ts`; readers as `ofCoach`.
 */
export const overrides = userQuery({
  args: { fromDate: textArg("From date", 10), days: wholeNumberArg("Days", 1, 366), coachId: v.optional(v.id("users")) },
  returns: v.array(dateOverrideViewValidator),
  handler: async (ctx, { fromDate, days, coachId }) => {
    const target = coachId ?? ctx.viewer._id;
    requireCoachScheduleAccess(ctx.viewer, target);
    return await listDateOverrides(ctx, target, fromDate, days);
  },
});

/**
 * Adds time off or extra hours on dates of a coach (the coach or `coaching.manage`); see
 * `addDateOverrides` in `model/coaching/overrides.ts`.
 */
export const addOverrides = userMutation({
  args: { ...dateOverrideInputValidator, coachId: v.optional(v.id("users")) },
  returns: v.object({ overrideIds: v.array(v.id("coachDateOverrides")), bookingsInside: v.array(bookingInTimeOffValidator) }),
  handler: async (ctx, { coachId, ...input }) => {
    const target = coachId ?? ctx.viewer._id;
    requireCoachScheduleEdit(ctx.viewer, target);
    return await addDateOverrides(ctx, target, input, Date.now());
  },
});

/** Removes one date override of a coach (the coach or `coaching.manage`); see `removeDateOverride` in `model/coaching/overrides.ts`. */
export const removeOverride = userMutation({
  args: { overrideId: v.id("coachDateOverrides"), coachId: v.optional(v.id("users")) },
  returns: v.null(),
  handler: async (ctx, { overrideId, coachId }) => {
    const target = coachId ?? ctx.viewer._id;
    requireCoachScheduleEdit(ctx.viewer, target);
    await removeDateOverride(ctx, target, overrideId);
    return null;
  },
});

/**
 * A coach's bookings inside their time off (`now` epoch ms from the page); see
 * `bookingsInsideTimeOff` in `model/coaching/overrides.ts`; readers as `ofCoach`.
 */
export const bookingsInTimeOff = userQuery({
  args: { now: instantArg("Now"), coachId: v.optional(v.id("users")) },
  returns: v.array(bookingInTimeOffValidator),
  handler: async (ctx, { now, coachId }) => {
    const target = coachId ?? ctx.viewer._id;
    requireCoachScheduleAccess(ctx.viewer, target);
    return await bookingsInsideTimeOff(ctx, target, now);
  },
});

/** A coach's buffers and daily limit; see `coachSettingsOf` in `model/coaching/policy.ts`; readers as `ofCoach`. */
export const settings = userQuery({
  args: { coachId: v.optional(v.id("users")) },
  returns: coachSettingsValidator,
  handler: async (ctx, { coachId }) => {
    const target = coachId ?? ctx.viewer._id;
    requireCoachScheduleAccess(ctx.viewer, target);
    return await coachSettingsOf(ctx, target);
  },
});

/** Stores a coach's buffers and daily limit (the coach or `coaching.manage`); see `setCoachSettings` in `model/coaching/policy.ts`. */
export const setSettings = userMutation({
  args: { ...coachSettingsValidator.fields, coachId: v.optional(v.id("users")) },
  returns: coachSettingsValidator,
  handler: async (ctx, { coachId, ...settings }) => {
    const target = coachId ?? ctx.viewer._id;
    requireCoachScheduleEdit(ctx.viewer, target);
    return await setCoachSettings(ctx, target, settings);
  },
});
