import { v } from "convex/values";
import {
  addDateOverrides,
  bookingInTimeOffValidator,
  bookingsInsideTimeOff,
  dateOverrideInputValidator,
  dateOverrideViewValidator,
  listDateOverrides,
  removeDateOverride,
} from "./model/coaching/overrides";
import { coachSettingsForViewer, coachSettingsValidator, setCoachSettings } from "./model/coaching/policy";
import { instantArg, listArg, textArg, wholeNumberArg } from "./model/validation";
import {
  availabilityForViewer,
  availabilityOf,
  availabilityValidator,
  coachOverviewValidator,
  listCoachesOverview,
  replaceAvailability,
  weeklyWindowValidator,
  MAX_WINDOWS_PER_COACH,
} from "./model/coaching/availability";
import { permissionMutation, permissionQuery, userMutation, userQuery } from "./model/functions";

/**
 * Weekly coach availability (SPEC §6): windows `{ weekday (0 = Sunday … 6), startMinute, endMinute }`
 * (minutes after local midnight, steps of 5, end ≤ 1440) in the coach's IANA time zone. Students
 * never read windows directly; they get free slots from `coaching:listSlots`.
 */

/** The caller's own weekly availability; see `availabilityOf` in `model/coaching/availability.ts`. */
export const mine = permissionQuery("coaching.coach")({
  args: {},
  returns: availabilityValidator,
  handler: (ctx) => availabilityOf(ctx, ctx.viewer._id),
});

/** Replaces the caller's weekly availability; see `replaceAvailability` in `model/coaching/availability.ts`. */
export const setMine = permissionMutation("coaching.coach")({
  args: { timeZone: textArg("Time zone", 100), windows: listArg("Weekly windows", weeklyWindowValidator, MAX_WINDOWS_PER_COACH) },
  returns: availabilityValidator,
  handler: (ctx, { timeZone, windows }) => replaceAvailability(ctx, ctx.viewer._id, timeZone, windows),
});

/** A coach's weekly availability; see `availabilityForViewer` in `model/coaching/availability.ts`. */
export const ofCoach = userQuery({
  args: { coachId: v.id("users") },
  returns: availabilityValidator,
  handler: (ctx, { coachId }) => availabilityForViewer(ctx, ctx.viewer, coachId),
});

/** Every active coach with a summary of their hours; see `listCoachesOverview` in `model/coaching/availability.ts`. */
export const coaches = userQuery({
  args: {},
  returns: v.array(coachOverviewValidator),
  handler: (ctx) => listCoachesOverview(ctx, ctx.viewer),
});

/** Replaces a coach's weekly availability on their behalf; see `replaceAvailability` in `model/coaching/availability.ts`. */
export const setForCoach = permissionMutation("coaching.manage")({
  args: { coachId: v.id("users"), timeZone: textArg("Time zone", 100), windows: listArg("Weekly windows", weeklyWindowValidator, MAX_WINDOWS_PER_COACH) },
  returns: availabilityValidator,
  handler: (ctx, { coachId, timeZone, windows }) => replaceAvailability(ctx, coachId, timeZone, windows),
});

/** Date overrides of a coach; see `listDateOverrides` in `model/coaching/overrides.ts`. */
export const overrides = userQuery({
  args: { fromDate: textArg("From date", 10), days: wholeNumberArg("Days", 1, 366), coachId: v.optional(v.id("users")) },
  returns: v.array(dateOverrideViewValidator),
  handler: (ctx, { fromDate, days, coachId }) => listDateOverrides(ctx, ctx.viewer, coachId, fromDate, days),
});

/** Adds time off or extra hours on dates of a coach; see `addDateOverrides` in `model/coaching/overrides.ts`. */
export const addOverrides = userMutation({
  args: { ...dateOverrideInputValidator, coachId: v.optional(v.id("users")) },
  returns: v.object({ overrideIds: v.array(v.id("coachDateOverrides")), bookingsInside: v.array(bookingInTimeOffValidator) }),
  handler: (ctx, { coachId, ...input }) => addDateOverrides(ctx, ctx.viewer, coachId, input, Date.now()),
});

/** Removes one date override of a coach; see `removeDateOverride` in `model/coaching/overrides.ts`. */
export const removeOverride = userMutation({
  args: { overrideId: v.id("coachDateOverrides"), coachId: v.optional(v.id("users")) },
  returns: v.null(),
  handler: (ctx, { overrideId, coachId }) => removeDateOverride(ctx, ctx.viewer, coachId, overrideId),
});

/** A coach's bookings inside their time off; see `bookingsInsideTimeOff` in `model/coaching/overrides.ts`. */
export const bookingsInTimeOff = userQuery({
  args: { now: instantArg("Now"), coachId: v.optional(v.id("users")) },
  returns: v.array(bookingInTimeOffValidator),
  handler: (ctx, { now, coachId }) => bookingsInsideTimeOff(ctx, ctx.viewer, coachId, now),
});

/** A coach's buffers and daily limit; see `coachSettingsForViewer` in `model/coaching/policy.ts`. */
export const settings = userQuery({
  args: { coachId: v.optional(v.id("users")) },
  returns: coachSettingsValidator,
  handler: (ctx, { coachId }) => coachSettingsForViewer(ctx, ctx.viewer, coachId),
});

/** Stores a coach's buffers and daily limit; see `setCoachSettings` in `model/coaching/policy.ts`. */
export const setSettings = userMutation({
  args: { ...coachSettingsValidator.fields, coachId: v.optional(v.id("users")) },
  returns: coachSettingsValidator,
  handler: (ctx, { coachId, ...settings }) => setCoachSettings(ctx, ctx.viewer, coachId, settings),
});
