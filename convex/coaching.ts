import { v } from "convex/values";
import { literals } from "convex-helpers/validators";
import { requireCoachScheduleAccess } from "./model/access";
import { textArg, optionalArg, instantArg, wholeNumberArg } from "./model/validation";
import {
  coachingProductInputFields,
  coachingProductViewValidator,
  createCoachingProduct,
  listVisibleCoachingProducts,
  requireVisibleCoachingProduct,
  toCoachingProductView,
  updateCoachingProduct,
} from "./model/coaching/products";
import { allowanceOf, allowanceValidator, MAX_SESSION_ALLOWANCE, setSessionAllowance } from "./model/coaching/allowances";
import { productPolicyValidator, setProductPolicy } from "./model/coaching/policy";
import {
  bookSession,
  cancelSession,
  coachingSessionViewValidator,
  completeSession,
  freeSlotsValidator,
  listCoachSessions,
  listFreeSlots,
  listPersonSessions,
  markNoShow as markSessionNoShow,
  MAX_SLOT_RANGE_DAYS,
  requireVisibleSession,
  rescheduleSession,
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

/** The coaching products the caller may see; see `model/coaching/products.ts#listVisibleCoachingProducts`. */
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

/** Creates a coaching product; see `model/coaching/products.ts#createCoachingProduct`. */
export const createProduct = permissionMutation("coaching.manage")({
  args: coachingProductInputFields,
  returns: v.id("coachingProducts"),
  handler: (ctx, args) => createCoachingProduct(ctx, args),
});

/** Replaces a coaching product's fields; see `model/coaching/products.ts#updateCoachingProduct`. */
export const updateProduct = permissionMutation("coaching.manage")({
  args: { coachingProductId: v.id("coachingProducts"), ...coachingProductInputFields },
  returns: v.null(),
  handler: (ctx, { coachingProductId, ...input }) => updateCoachingProduct(ctx, coachingProductId, input),
});

/** Replaces a coaching product's booking and cancellation policy; see `setProductPolicy` in `model/coaching/policy.ts`. */
export const setPolicy = permissionMutation("coaching.manage")({
  args: { coachingProductId: v.id("coachingProducts"), policy: productPolicyValidator },
  returns: v.null(),
  handler: (ctx, { coachingProductId, policy }) => setProductPolicy(ctx, coachingProductId, policy),
});

/**
 * The caller's session allowance on a coaching product they may see (`{ coachingProductId }`); see
 * `allowanceOf` in `model/coaching/allowances.ts`.
 */
export const myAllowance = userQuery({
  args: { coachingProductId: v.id("coachingProducts") },
  returns: allowanceValidator,
  handler: async (ctx, { coachingProductId }) => {
    const product = await requireVisibleCoachingProduct(ctx, ctx.viewer, coachingProductId);
    return await allowanceOf(ctx, ctx.viewer._id, product.productId);
  },
});

/** Sets how many coaching sessions a product access includes; see `setSessionAllowance` in `model/coaching/allowances.ts`. */
export const setSessionAllowanceOfAccess = permissionMutation("enrollments.manage")({
  args: { accessId: v.id("productAccess"), allowance: v.union(wholeNumberArg("The session allowance", 0, MAX_SESSION_ALLOWANCE), v.null()) },
  returns: allowanceValidator,
  handler: (ctx, { accessId, allowance }) => setSessionAllowance(ctx, accessId, allowance),
});

/** Free slots of a coaching product's coaches; see `model/coaching/sessions.ts#listFreeSlots`. */
export const listSlots = userQuery({
  args: {
    coachingProductId: v.id("coachingProducts"),
    fromDate: textArg("From date", 10),
    days: wholeNumberArg("Days", 1, MAX_SLOT_RANGE_DAYS),
    timeZone: optionalArg(textArg("Time zone", 100)),
    coachId: v.optional(v.id("users")),
    now: instantArg("Now"),
  },
  returns: freeSlotsValidator,
  handler: (ctx, { now, ...args }) => listFreeSlots(ctx, ctx.viewer, args, now),
});

/** Books a session for the caller (`coaching.book`): `{ coachingProductId, coachId, startTime, notes? }`; see `bookSession` in `model/coaching/sessions.ts`. */
export const book = permissionMutation("coaching.book")({
  args: {
    coachingProductId: v.id("coachingProducts"),
    coachId: v.id("users"),
    startTime: instantArg("Start time"),
    notes: optionalArg(textArg("Notes", 2000)),
  },
  returns: v.id("coachingSessions"),
  handler: (ctx, args) => bookSession(ctx, ctx.viewer, args, Date.now()),
});

/** Cancels a session under its product's cancellation policy (`{ sessionId }`); see `cancelSession` in `model/coaching/sessions.ts`. */
export const cancel = userMutation({
  args: { sessionId: v.id("coachingSessions") },
  returns: v.null(),
  handler: (ctx, { sessionId }) => cancelSession(ctx, ctx.viewer, sessionId, Date.now()),
});

/** Moves a booked session to another free time (`{ sessionId, startTime }`); see `rescheduleSession` in `model/coaching/sessions.ts`. */
export const reschedule = userMutation({
  args: { sessionId: v.id("coachingSessions"), startTime: v.number() },
  returns: v.null(),
  handler: (ctx, { sessionId, startTime }) => rescheduleSession(ctx, ctx.viewer, sessionId, startTime, Date.now()),
});

/** Marks that the student did not come (`{ sessionId }`); see `markNoShow` in `model/coaching/sessions.ts`. */
export const markNoShow = userMutation({
  args: { sessionId: v.id("coachingSessions") },
  returns: v.null(),
  handler: (ctx, { sessionId }) => markSessionNoShow(ctx, ctx.viewer, sessionId, Date.now()),
});

/** Starts a session early; see `model/coaching/sessions.ts#startSession`. */
export const start = userMutation({
  args: { sessionId: v.id("coachingSessions") },
  returns: v.null(),
  handler: (ctx, { sessionId }) => startSession(ctx, ctx.viewer, sessionId, Date.now()),
});

/** Starts a session at its start time (scheduled by `book`); see `model/coaching/sessions.ts#startAtStartTime`. */
export const startAtStartTime = internalMutation({
  args: { sessionId: v.id("coachingSessions") },
  returns: v.null(),
  handler: (ctx, { sessionId }) => startSessionAtStartTime(ctx, sessionId, Date.now()),
});

/** Marks a session completed; see `model/coaching/sessions.ts#completeSession`. */
export const complete = userMutation({
  args: { sessionId: v.id("coachingSessions") },
  returns: v.null(),
  handler: (ctx, { sessionId }) => completeSession(ctx, ctx.viewer, sessionId, Date.now()),
});

/**
 * The caller's own bookings as a student: `scope` "upcoming" (not ended, soonest first) or "past"
 * (newest first), at most `limit` (default 50, max 200). Any signed-in user.
 */
export const myBookings = userQuery({
  args: { scope: literals("upcoming", "past"), limit: optionalArg(wholeNumberArg("Limit", 1, 200)), now: instantArg("Now") },
  returns: v.array(coachingSessionViewValidator),
  handler: (ctx, { scope, limit, now }) =>
    listPersonSessions(ctx, ctx.viewer, "student", ctx.viewer._id, scope, now, limit),
});

/**
 * A coach's past sessions (ended), newest first, at most `limit` (default 50, max 200), so a coach can
 * complete the ones they forgot. Args: `{ limit?, coachId? }`. Without `coachId`: the caller's own
 * (`coaching.coach`); another coach's: `sessions.readAll` or `coaching.manage`.
 * @throws ConvexError FORBIDDEN.
 */
export const coachPastSessions = userQuery({
  args: { limit: optionalArg(wholeNumberArg("Limit", 1, 200)), coachId: v.optional(v.id("users")), now: instantArg("Now") },
  returns: v.array(coachingSessionViewValidator),
  handler: async (ctx, { limit, coachId, now }) => {
    const target = coachId ?? ctx.viewer._id;
    requireCoachScheduleAccess(ctx.viewer, target);
    return await listPersonSessions(ctx, ctx.viewer, "coach", target, "past", now, limit);
  },
});

/** A coach's sessions in a range of days; see `model/coaching/sessions.ts#listCoachSessions`. */
export const coachSessions = userQuery({
  args: { from: instantArg("From"), days: wholeNumberArg("Days", 1, 62), coachId: v.optional(v.id("users")), now: instantArg("Now") },
  returns: v.array(coachingSessionViewValidator),
  handler: async (ctx, { from, days, coachId, now }) => {
    const target = coachId ?? ctx.viewer._id;
    requireCoachScheduleAccess(ctx.viewer, target);
    return await listCoachSessions(ctx, ctx.viewer, target, from, days, now);
  },
});

/**
 * One session (`{ sessionId }`) as the caller sees it: its student, its coach, and staff.
 * @throws ConvexError NOT_FOUND for anyone else (same as a missing session).
 */
export const getSession = userQuery({
  args: { sessionId: v.id("coachingSessions"), now: instantArg("Now") },
  returns: coachingSessionViewValidator,
  handler: async (ctx, { sessionId, now }) =>
    await toSessionView(ctx, ctx.viewer, await requireVisibleSession(ctx, ctx.viewer, sessionId), now),
});

