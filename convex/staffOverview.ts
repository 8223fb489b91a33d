import { v } from "convex/values";
import { permissionQuery } from "./model/functions";
import { staffOverviewFor, staffOverviewValidator } from "./model/schedule/staffOverview";

/** The staff overview of today; see `model/schedule/staffOverview.ts#staffOverviewFor`. */
export const get = permissionQuery("sessions.readAll")({
  args: { dayStart: v.number(), dayEnd: v.number(), now: v.number() },
  returns: staffOverviewValidator,
  handler: async (ctx, { dayStart, dayEnd, now }) => await staffOverviewFor(ctx, ctx.viewer, { dayStart, dayEnd }, now),
});
