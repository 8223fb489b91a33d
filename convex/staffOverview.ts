import { instantArg } from "./model/validation";
import { permissionQuery } from "./model/functions";
import { staffOverviewFor, staffOverviewValidator } from "./model/schedule/staffOverview";

/** The staff overview of today; see `model/schedule/staffOverview.ts#staffOverviewFor`. */
export const get = permissionQuery("sessions.readAll")({
  args: { dayStart: instantArg("Day start"), dayEnd: instantArg("Day end"), now: instantArg("Now") },
  returns: staffOverviewValidator,
  handler: async (ctx, { dayStart, dayEnd, now }) => await staffOverviewFor(ctx, ctx.viewer, { dayStart, dayEnd }, now),
});
