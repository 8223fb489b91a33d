import type { Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import type { SessionKind } from "../../tables/notifications";
import { canViewCoachingSession, canViewSuccessSession, type Viewer } from "../access";
import { throwError } from "../errors";
import { calendarEventsForUser, feedWindow, toCalendarEvent } from "./calendarSources";
import { calendarFeedUrl } from "./config";
import { hashFeedToken, newFeedToken } from "./feedTokens";
import { buildFeedIcs, buildInviteIcs } from "./ics";
import { coachingSessionSnapshot, successSessionSnapshot, type SessionSnapshot } from "./sessionKinds";

/**
 * Private calendar feeds (SPEC §7) and single-session `.ics` downloads.
 *
 * A feed URL is `${CONVEX_SITE_URL}/calendar/<token>.ics`. The token (256 random bits) is returned
 * only by {@link createFeed} and {@link rotateFeed}; the database keeps its SHA-256, so nobody (staff
 * included) can read it back. Rotating replaces the hash: the old URL answers 404 at once.
 */

/** Metadata of a user's feed (never the token). */
interface FeedStatus {
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms of the last rotation, or null. */
  rotatedAt: number | null;
}

/** A freshly issued feed address. */
interface IssuedFeed {
  token: string;
  /** The subscription URL, or null when the deployment's CONVEX_SITE_URL is unknown. */
  url: string | null;
}

async function feedOf(ctx: QueryCtx, userId: Id<"users">) {
  return await ctx.db
    .query("calendarFeeds")
    .withIndex("by_userId", (q) => q.eq("userId", userId))
    .unique();
}

/**
 * The status of `userId`'s feed: `{ createdAt, rotatedAt }` (epoch ms; `rotatedAt` null if never
 * rotated), or null when they have none. The token itself is never readable again. Any signed-in
 * user, for their own feed.
 */
export async function feedStatus(ctx: QueryCtx, userId: Id<"users">): Promise<FeedStatus | null> {
  const feed = await feedOf(ctx, userId);
  return feed === null ? null : { createdAt: feed.createdAt, rotatedAt: feed.rotatedAt ?? null };
}

/**
 * Get-or-create: creates `userId`'s feed and returns `{ token, url }` (url =
 * `<CONVEX_SITE_URL>/calendar/<token>.ics`, null if the site URL is unknown), or returns null when a
 * feed already exists (its token cannot be shown again; use {@link rotateFeed} for a new address).
 * Any signed-in user, for their own feed. `now` is epoch ms.
 */
export async function createFeed(ctx: MutationCtx, userId: Id<"users">, now: number): Promise<IssuedFeed | null> {
  if ((await feedOf(ctx, userId)) !== null) return null;
  const token = newFeedToken();
  await ctx.db.insert("calendarFeeds", { userId, tokenHash: hashFeedToken(token), createdAt: now });
  return { token, url: calendarFeedUrl(token) };
}

/**
 * Replaces `userId`'s feed token (creating the feed if needed) and returns `{ token, url }` as
 * {@link createFeed}; the previous URL answers 404 from now on. Any signed-in user, for their own
 * feed. `now` is epoch ms.
 */
export async function rotateFeed(ctx: MutationCtx, userId: Id<"users">, now: number): Promise<IssuedFeed> {
  const token = newFeedToken();
  const tokenHash = hashFeedToken(token);
  const feed = await feedOf(ctx, userId);
  if (feed === null) await ctx.db.insert("calendarFeeds", { userId, tokenHash, createdAt: now });
  else await ctx.db.patch("calendarFeeds", feed._id, { tokenHash, rotatedAt: now });
  return { token, url: calendarFeedUrl(token) };
}

/**
 * The feed's `.ics` content for the token whose SHA-256 (hex) is `tokenHash`, or null for an
 * unknown or rotated token or a deactivated user. Internal: `GET /calendar/<token>.ics` in `http.ts`.
 * `now` (epoch ms) sets the window of events and the DTSTAMP.
 */
export async function feedIcsForTokenHash(ctx: QueryCtx, tokenHash: string, now: number): Promise<string | null> {
  const feed = await ctx.db
    .query("calendarFeeds")
    .withIndex("by_tokenHash", (q) => q.eq("tokenHash", tokenHash))
    .unique();
  if (feed === null) return null;
  const user = await ctx.db.get("users", feed.userId);
  if (user === null || !user.active) return null;
  const events = await calendarEventsForUser(ctx, user, feedWindow(now));
  return buildFeedIcs({
    name: `Sessions Hub – ${user.name}`,
    description: "Your sessions in Sessions Hub (private feed: do not share its address).",
    events,
    now,
  });
}

/**
 * A session `viewer` may see, as a snapshot; null when it does not exist or they may not see it
 * (the access module's rules: `canViewSuccessSession`, `canViewCoachingSession`).
 */
async function visibleSessionSnapshot(
  ctx: QueryCtx,
  viewer: Viewer,
  kind: SessionKind,
  sessionId: string,
): Promise<SessionSnapshot | null> {
  if (kind === "success") {
    const id = ctx.db.normalizeId("successSessions", sessionId);
    const session = id === null ? null : await ctx.db.get("successSessions", id);
    if (session === null || !(await canViewSuccessSession(ctx, viewer, session))) return null;
    return await successSessionSnapshot(ctx, session);
  }
  const id = ctx.db.normalizeId("coachingSessions", sessionId);
  const session = id === null ? null : await ctx.db.get("coachingSessions", id);
  if (session === null || !canViewCoachingSession(viewer, session)) return null;
  return await coachingSessionSnapshot(ctx, session);
}

/**
 * "Add to calendar": one session as an `.ics` download (METHOD:PUBLISH, same UID and SEQUENCE as
 * the feed). Any signed-in user who may see the session. `now` (epoch ms) is the file's DTSTAMP: a
 * query never reads the clock, the caller passes it.
 *
 * @param kind `"success"` or `"coaching"`.
 * @param sessionId the session's id as text (from a page URL).
 * @returns `{ filename, content }`.
 * @throws ConvexError NOT_FOUND when the session does not exist or `viewer` may not see it.
 */
export async function sessionIcsForViewer(
  ctx: QueryCtx,
  viewer: Viewer,
  kind: SessionKind,
  sessionId: string,
  now: number,
): Promise<{ filename: string; content: string }> {
  const session = await visibleSessionSnapshot(ctx, viewer, kind, sessionId);
  if (session === null) throwError("NOT_FOUND", "This session does not exist or is not visible to you.");
  const event = toCalendarEvent(session, viewer._id);
  const slug = event.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return {
    filename: `${slug || "session"}.ics`,
    content: buildInviteIcs({ method: "PUBLISH", event, now }),
  };
}
