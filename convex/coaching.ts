import { v } from "convex/values";
import { requireCoachScheduleAccess } from "./model/access";
import { requireInstant } from "./model/validation";
import {
  coachingProductInputFields,
  coachingProductViewValidator,
  createCoachingProduct,
  listVisibleCoachingProducts,
  requireVisibleCoachingProduct,
  toCoachingProductView,
  updateCoachingProduct,
} from "./model/coaching/products";
import {
  bookSession,
  cancelSession,
  coachingSessionViewValidator,
  completeSession,
  freeSlotsValidator,
  listCoachSessions,
  listFreeSlots,
  listPersonSessions,
  requireVisibleSession,
  startAtStartTime as startSessionAtStartTime,
  startSession,
  toSessionView,
} from "./model/coaching/sessions";
import { internalMutation } from "./_generated/server";
import { permissionMutation, userMutation, userQuery } from "./model/functions";

/**
 * Coaching (SPEC §6): coaching products, free slots, booking and the session lifecycle. Discord
 * provisioning of each booking is scheduled by `book` and runs in `discordProvisioning.ts`.
 * Times are epoch milliseconds (UTC); durations are minutes.
 */

/**
 * The coaching products the caller may see: staff see all; coaches the ones they give; students the
 * active ones of products they hold active access to. Any signed-in user (others get an empty list).
 */
export const listProducts = userQuery({
  args: {},
  returns: v.array(coachingProductViewValidator),
  handler: (ctx) => listVisibleCoachingProducts(ctx, ctx.viewer),
});

/**
 * One coaching product with its coaches (`{ coachingProductId }`).
 * @throws ConvexError NOT_FOUND when it does not exist or the caller may not see it.
 */
export const getProduct = userQuery({
  args: { coachingProductId: v.id("coachingProducts") },
  returns: coachingProductViewValidator,
  handler: async (ctx, { coachingProductId }) =>
    await toCoachingProductView(ctx, await requireVisibleCoachingProduct(ctx, ctx.viewer, coachingProductId)),
});

/**
 * Creates a coaching product on a catalog product of kind `coaching`: `{ productId, title,
 * description?, durationMinutes (15–240, steps of 5), priceCents, coachIds, active }`.
 * `coaching.manage` (admin).
 * @throws ConvexError FORBIDDEN, NOT_FOUND, INVALID_ARGUMENT.
 */
export const createProduct = permissionMutation("coaching.manage")({
  args: coachingProductInputFields,
  returns: v.id("coachingProducts"),
  handler: (ctx, args) => createCoachingProduct(ctx, args),
});

/**
 * Replaces a coaching product's fields (same fields as `createProduct` plus `coachingProductId`).
 * `coaching.manage` (admin).
 * @throws ConvexError FORBIDDEN, NOT_FOUND, INVALID_ARGUMENT.
 */
export const updateProduct = permissionMutation("coaching.manage")({
  args: { coachingProductId: v.id("coachingProducts"), ...coachingProductInputFields },
  returns: v.null(),
  handler: async (ctx, { coachingProductId, ...input }) => {
    await updateCoachingProduct(ctx, coachingProductId, input);
    return null;
  },
});

/**
 * Free slots of a coaching product's coaches for the local days `fromDate` ("YYYY-MM-DD") …
 * `fromDate + days − 1` (1–31) in `timeZone` (IANA; default the caller's profile zone, else UTC),
 * optionally of one `coachId`. Each slot: `{ coachId, startTime, endTime, localDate }`. Any signed-in
 * user who may see the product.
 * @throws ConvexError NOT_FOUND (product not visible), INVALID_ARGUMENT.
 */
export const listSlots = userQuery({
  args: {
    coachingProductId: v.id("coachingProducts"),
    fromDate: v.string(),
    days: v.number(),
    timeZone: v.optional(v.string()),
    coachId: v.optional(v.id("users")),
    now: v.number(),
  },
  returns: freeSlotsValidator,
  handler: (ctx, { now, ...args }) => listFreeSlots(ctx, ctx.viewer, args, requireInstant("Now", now)),
});

/**
 * Books a session for the caller: `{ coachingProductId, coachId, startTime (epoch ms), notes? }`.
 * Re-checks product access, the coach, the future, the coach's availability and overlaps, then
 * schedules the private Discord space. `coaching.book` (students).
 * @returns the session id.
 * @throws ConvexError FORBIDDEN (not a student), NOT_FOUND (no access to the product),
 * INVALID_ARGUMENT (coach, past, outside availability), CONFLICT (overlap). Nothing is written then.
 */
export const book = permissionMutation("coaching.book")({
  args: {
    coachingProductId: v.id("coachingProducts"),
    coachId: v.id("users"),
    startTime: v.number(),
    notes: v.optional(v.string()),
  },
  returns: v.id("coachingSessions"),
  handler: (ctx, args) => bookSession(ctx, ctx.viewer, args, Date.now()),
});

/**
 * Cancels a session (`{ sessionId }`): the student their own future booking; the coach and staff
 * (`coachingSessions.manage`) any SCHEDULED or IN_PROGRESS one. Cleans up its Discord space at once.
 * @throws ConvexError NOT_FOUND, FORBIDDEN, FAILED_PRECONDITION.
 */
export const cancel = userMutation({
  args: { sessionId: v.id("coachingSessions") },
  returns: v.null(),
  handler: async (ctx, { sessionId }) => {
    await cancelSession(ctx, ctx.viewer, sessionId, Date.now());
    return null;
  },
});

/**
 * Marks a session IN_PROGRESS early (`{ sessionId }`; from 15 minutes before its start; at its start
 * time it moves by itself). Its coach or staff.
 * @throws ConvexError NOT_FOUND, FORBIDDEN, FAILED_PRECONDITION.
 */
export const start = userMutation({
  args: { sessionId: v.id("coachingSessions") },
  returns: v.null(),
  handler: async (ctx, { sessionId }) => {
    await startSession(ctx, ctx.viewer, sessionId, Date.now());
    return null;
  },
});

/**
 * Scheduled by `book` at the session's start time: a session still SCHEDULED becomes IN_PROGRESS.
 * Args: `{ sessionId }`. Internal: only the scheduler calls it.
 */
export const startAtStartTime = internalMutation({
  args: { sessionId: v.id("coachingSessions") },
  returns: v.null(),
  handler: async (ctx, { sessionId }) => {
    await startSessionAtStartTime(ctx, sessionId, Date.now());
    return null;
  },
});

/**
 * Marks a session COMPLETED (`{ sessionId }`; once it has started). Its coach or staff. Its Discord
 * space is cleaned up 5 minutes later.
 * @throws ConvexError NOT_FOUND, FORBIDDEN, FAILED_PRECONDITION.
 */
export const complete = userMutation({
  args: { sessionId: v.id("coachingSessions") },
  returns: v.null(),
  handler: async (ctx, { sessionId }) => {
    await completeSession(ctx, ctx.viewer, sessionId, Date.now());
    return null;
  },
});

/**
 * The caller's own bookings as a student: `scope` "upcoming" (not ended, soonest first) or "past"
 * (newest first), at most `limit` (default 50, max 200). Any signed-in user.
 */
export const myBookings = userQuery({
  args: { scope: v.union(v.literal("upcoming"), v.literal("past")), limit: v.optional(v.number()), now: v.number() },
  returns: v.array(coachingSessionViewValidator),
  handler: (ctx, { scope, limit, now }) =>
    listPersonSessions(ctx, ctx.viewer, "student", ctx.viewer._id, scope, requireInstant("Now", now), limit),
});

/**
 * A coach's past sessions (ended), newest first, at most `limit` (default 50, max 200), so a coach can
 * complete the ones they forgot. Args: `{ limit?, coachId? }`. Without `coachId`: the caller's own
 * (`coaching.coach`); another coach's: `sessions.readAll` or `coaching.manage`.
 * @throws ConvexError FORBIDDEN.
 */
export const coachPastSessions = userQuery({
  args: { limit: v.optional(v.number()), coachId: v.optional(v.id("users")), now: v.number() },
  returns: v.array(coachingSessionViewValidator),
  handler: async (ctx, { limit, coachId, now }) => {
    const target = coachId ?? ctx.viewer._id;
    requireCoachScheduleAccess(ctx.viewer, target);
    return await listPersonSessions(ctx, ctx.viewer, "coach", target, "past", requireInstant("Now", now), limit);
  },
});

/**
 * A coach's sessions starting in [`from`, `from` + `days` days) (epoch ms; days 1–62), soonest
 * first, with Discord state and channel links. Without `coachId`: the caller's own (`coaching.coach`);
 * another coach's: `sessions.readAll` or `coaching.manage`.
 * @throws ConvexError FORBIDDEN, INVALID_ARGUMENT.
 */
export const coachSessions = userQuery({
  args: { from: v.number(), days: v.number(), coachId: v.optional(v.id("users")), now: v.number() },
  returns: v.array(coachingSessionViewValidator),
  handler: async (ctx, { from, days, coachId, now }) => {
    const target = coachId ?? ctx.viewer._id;
    requireCoachScheduleAccess(ctx.viewer, target);
    return await listCoachSessions(ctx, ctx.viewer, target, from, days, requireInstant("Now", now));
  },
});

/**
 * One session (`{ sessionId }`) as the caller sees it: its student, its coach, and staff.
 * @throws ConvexError NOT_FOUND for anyone else (same as a missing session).
 */
export const getSession = userQuery({
  args: { sessionId: v.id("coachingSessions"), now: v.number() },
  returns: coachingSessionViewValidator,
  handler: async (ctx, { sessionId, now }) =>
    await toSessionView(ctx, ctx.viewer, await requireVisibleSession(ctx, ctx.viewer, sessionId), requireInstant("Now", now)),
});

