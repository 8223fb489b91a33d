import { instantArg, textArg } from "./model/validation";
import { userQuery } from "./model/functions";
import { navigationFactsFor, navigationFactsValidator, scheduleFor, scheduleValidator } from "./model/schedule/items";

/** "My schedule": the caller's time-bound items in a range; see `model/schedule/items.ts#scheduleFor`. */
export const mine = userQuery({
  args: { from: instantArg("From"), to: instantArg("To"), timeZone: textArg("Time zone", 100), now: instantArg("Now") },
  returns: scheduleValidator,
  handler: async (ctx, { from, to, timeZone, now }) => await scheduleFor(ctx, ctx.viewer, { from, to, timeZone }, now),
});

/** What the navigation shows beyond roles; see `model/schedule/items.ts#navigationFactsFor`. */
export const navigationFacts = userQuery({
  args: {},
  returns: navigationFactsValidator,
  handler: async (ctx) => await navigationFactsFor(ctx, ctx.viewer),
});
