import { v } from "convex/values";
import { instantArg, textArg } from "./model/validation";
import { internalQuery } from "./_generated/server";
import { userMutation, userQuery } from "./model/functions";
import {
  createFeed,
  feedIcsForTokenHash,
  feedStatus,
  rotateFeed,
  sessionIcsForViewer,
} from "./model/notifications/calendarFeeds";
import { sessionKindValidator } from "./tables/notifications";

/**
 * Calendars (SPEC §7): the caller's private feed (`GET /calendar/<token>.ics`, see `http.ts`) and
 * "Add to calendar" downloads of single sessions.
 */

const issuedFeedValidator = v.object({ token: v.string(), url: v.union(v.string(), v.null()) });

/** The caller's feed status, or null; see `feedStatus` in `model/notifications/calendarFeeds.ts`. */
export const myFeed = userQuery({
  args: {},
  returns: v.union(v.object({ createdAt: v.number(), rotatedAt: v.union(v.number(), v.null()) }), v.null()),
  handler: (ctx) => feedStatus(ctx, ctx.viewer._id),
});

/** Get-or-create the caller's feed; see `createFeed` in `model/notifications/calendarFeeds.ts`. */
export const createMyFeed = userMutation({
  args: {},
  returns: v.union(issuedFeedValidator, v.null()),
  handler: (ctx) => createFeed(ctx, ctx.viewer._id, Date.now()),
});

/** Gives the caller's feed a new address; see `rotateFeed` in `model/notifications/calendarFeeds.ts`. */
export const rotateMyFeed = userMutation({
  args: {},
  returns: issuedFeedValidator,
  handler: (ctx) => rotateFeed(ctx, ctx.viewer._id, Date.now()),
});

/** "Add to calendar" for one session; see `sessionIcsForViewer` in `model/notifications/calendarFeeds.ts`. */
export const sessionIcs = userQuery({
  args: { kind: sessionKindValidator, sessionId: textArg("Session", 100), now: instantArg("Now") },
  returns: v.object({ filename: v.string(), content: v.string() }),
  handler: (ctx, { kind, sessionId, now }) => sessionIcsForViewer(ctx, ctx.viewer, kind, sessionId, now),
});

/** A feed's `.ics` content by token hash, or null; see `feedIcsForTokenHash` in `model/notifications/calendarFeeds.ts`. */
export const feedForTokenHash = internalQuery({
  args: { tokenHash: v.string(), now: v.number() },
  returns: v.union(v.string(), v.null()),
  handler: (ctx, { tokenHash, now }) => feedIcsForTokenHash(ctx, tokenHash, now),
});
