import { v } from "convex/values";
import { userQuery } from "./model/functions";
import { navigationFactsFor, navigationFactsValidator, scheduleFor, scheduleValidator } from "./model/schedule/items";

/** "My schedule": the caller's time-bound items in a range; see `model/schedule/items.ts#scheduleFor`. */
export const mine = userQuery({
  args: { from: v.number(), to: v.number(), timeZone: v.string(), now: v.number() },
  returns: scheduleValidator,
  handler: async (ctx, { from, to, timeZone, now }) => await scheduleFor(ctx, ctx.viewer, { from, to, timeZone }, now),
});

/** What the navigation shows beyond roles; see `model/schedule/items.ts#navigationFactsFor`. */
export const navigationFacts = userQuery({
  args: {},
  returns: navigationFactsValidator,
  handler: async (ctx) => await navigationFactsFor(ctx, ctx.viewer),
});
