import { v } from "convex/values";
import { hasPermission } from "./model/access";
import { userMutation, userQuery } from "./model/functions";
import { attendanceSummariesEnabled, setAttendanceSummaries as setAttendanceSummariesOf } from "./model/notifications/attendanceSummary";

/**
 * The caller's email preferences (see `model/notifications/attendanceSummary.ts#attendanceSummariesEnabled`).
 */
export const mine = userQuery({
  args: {},
  returns: v.object({ attendanceSummaries: v.boolean(), hostsSessions: v.boolean() }),
  handler: async (ctx) => ({
    attendanceSummaries: attendanceSummariesEnabled(ctx.viewer),
    hostsSessions: hasPermission(ctx.viewer, "successSessions.host"),
  }),
});

/** See `model/notifications/attendanceSummary.ts#setAttendanceSummaries`. */
export const setAttendanceSummaries = userMutation({
  args: { enabled: v.boolean() },
  returns: v.null(),
  handler: (ctx, { enabled }) => setAttendanceSummariesOf(ctx, ctx.viewer._id, enabled),
});
