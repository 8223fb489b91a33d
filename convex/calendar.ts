import { v } from "convex/values";
import { instantArg, textArg } from "./model/validation";
import { internalQuery } from "./_generated/server";
import { throwError } from "./model/errors";
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

/**
 * The caller's feed: `{ createdAt, rotatedAt }` (epoch ms; rotatedAt null if never rotated), or null
 * when they have none. The token itself is never readable again. Any signed-in user.
 */
export const myFeed = userQuery({
  args: {},
  returns: v.union(v.object({ createdAt: v.number(), rotatedAt: v.union(v.number(), v.null()) }), v.null()),
  handler: (ctx) => feedStatus(ctx, ctx.viewer._id),
});

/**
 * Get-or-create the caller's feed. Creates it and returns `{ token, url }` (url =
 * `<CONVEX_SITE_URL>/calendar/<token>.ics`, null if the site URL is unknown); returns null when a feed
 * already exists (rotate it to get a new address). Any signed-in user.
 */
export const createMyFeed = userMutation({
  args: {},
  returns: v.union(issuedFeedValidator, v.null()),
  handler: (ctx) => createFeed(ctx, ctx.viewer._id, Date.now()),
});

/**
 * Gives the caller's feed a new token (creating the feed if needed) and returns `{ token, url }`.
 * The previous URL answers 404 from now on. Any signed-in user.
 */
export const rotateMyFeed = userMutation({
  args: {},
  returns: issuedFeedValidator,
  handler: (ctx) => rotateFeed(ctx, ctx.viewer._id, Date.now()),
});

/**
 * "Add to calendar": one session as an `.ics` file `{ filename, content }` (METHOD:PUBLISH, the same
 * UID and SEQUENCE as in feeds). Any signed-in user who may see the session.
 * @param kind `"success"` or `"coaching"`; sessionId the session's id.
 * @throws ConvexError NOT_FOUND when the session does not exist or the caller may not see it.
 */
export const sessionIcs = userQuery({
  args: { kind: sessionKindValidator, sessionId: textArg("Session", 100), now: instantArg("Now") },
  returns: v.object({ filename: v.string(), content: v.string() }),
  handler: async (ctx, { kind, sessionId, now }) => {
    const file = await sessionIcsForViewer(ctx, ctx.viewer, kind, sessionId, now);
    if (file === null) throwError("NOT_FOUND", "This session does not exist or is not visible to you.");
    return file;
  },
});

/** The feed document for a token's SHA-256 (hex), or null (unknown / rotated token, inactive user). */
export const feedForTokenHash = internalQuery({
  args: { tokenHash: v.string(), now: v.number() },
  returns: v.union(v.string(), v.null()),
  handler: (ctx, { tokenHash, now }) => feedIcsForTokenHash(ctx, tokenHash, now),
});
