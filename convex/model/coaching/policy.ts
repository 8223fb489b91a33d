import { v } from "convex/values";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { requireCoachScheduleAccess, requireCoachScheduleEdit, type Viewer } from "../access";
import { throwError } from "../errors";
import { wholeNumberArg } from "../validation";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../time/units";
import { requireDocument } from "../documents";
import { requireActiveCoach } from "./coaches";

/**
 * Booking rules of coaching (issue #15): the policy of a coaching product (buffers, minimum notice,
 * booking horizon, cancellation window) and a coach's own settings (buffers, daily limit). Every
 * setting has bounds; a value outside them is refused with INVALID_ARGUMENT before anything is
 * written. A product without a stored value uses the default below.
 */

const MAX_BUFFER_MINUTES = 240;
const MAX_MINIMUM_NOTICE_HOURS = 720;
const MIN_BOOKING_HORIZON_DAYS = 1;
const MAX_BOOKING_HORIZON_DAYS = 365;
const MAX_CANCELLATION_WINDOW_HOURS = 720;
const MAX_DAILY_LIMIT = 48;

/** A coaching product's booking and cancellation policy (every field set). */
export const productPolicyValidator = v.object({
  /** Minutes kept free before / after each session (0–240). */
  bufferBeforeMinutes: wholeNumberArg("The buffer before a session (minutes)", 0, MAX_BUFFER_MINUTES),
  bufferAfterMinutes: wholeNumberArg("The buffer after a session (minutes)", 0, MAX_BUFFER_MINUTES),
  /** No booking may start sooner than this many hours from now (0–720). */
  minimumNoticeHours: wholeNumberArg("The minimum notice (hours)", 0, MAX_MINIMUM_NOTICE_HOURS),
  /** No booking may start more than this many days from now (1–365). */
  bookingHorizonDays: wholeNumberArg("The booking horizon (days)", MIN_BOOKING_HORIZON_DAYS, MAX_BOOKING_HORIZON_DAYS),
  /** A student may cancel or reschedule until this many hours before the start (0–720). */
  cancellationWindowHours: wholeNumberArg("The cancellation window (hours)", 0, MAX_CANCELLATION_WINDOW_HOURS),
});
export type ProductPolicy = typeof productPolicyValidator.type;

/** Defaults for products that never stored a policy: no buffers or notice, 180 days ahead, cancel until the start. */
export const DEFAULT_PRODUCT_POLICY: ProductPolicy = {
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minimumNoticeHours: 0,
  bookingHorizonDays: 180,
  cancellationWindowHours: 0,
};

/** A coach's own scheduling settings. `dailyLimit` null = no limit. */
export const coachSettingsValidator = v.object({
  bufferBeforeMinutes: wholeNumberArg("The buffer before a session (minutes)", 0, MAX_BUFFER_MINUTES),
  bufferAfterMinutes: wholeNumberArg("The buffer after a session (minutes)", 0, MAX_BUFFER_MINUTES),
  dailyLimit: v.union(wholeNumberArg("The daily limit (sessions)", 1, MAX_DAILY_LIMIT), v.null()),
});
type CoachSettings = typeof coachSettingsValidator.type;

const DEFAULT_COACH_SETTINGS: CoachSettings = { bufferBeforeMinutes: 0, bufferAfterMinutes: 0, dailyLimit: null };

function requireWhole(value: number, min: number, max: number, field: string, label: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throwError("INVALID_ARGUMENT", `${label} must be a whole number from ${min} to ${max}.`, { field });
  }
  return value;
}

/**
 * Checks a product policy: buffers 0–240 minutes, minimum notice 0–720 hours, horizon 1–365 days,
 * cancellation window 0–720 hours, and the notice shorter than the horizon.
 * @throws ConvexError INVALID_ARGUMENT naming the field.
 */
function validateProductPolicy(policy: ProductPolicy): ProductPolicy {
  requireWhole(policy.bufferBeforeMinutes, 0, MAX_BUFFER_MINUTES, "bufferBeforeMinutes", "The buffer before a session (minutes)");
  requireWhole(policy.bufferAfterMinutes, 0, MAX_BUFFER_MINUTES, "bufferAfterMinutes", "The buffer after a session (minutes)");
  requireWhole(policy.minimumNoticeHours, 0, MAX_MINIMUM_NOTICE_HOURS, "minimumNoticeHours", "The minimum notice (hours)");
  requireWhole(policy.bookingHorizonDays, MIN_BOOKING_HORIZON_DAYS, MAX_BOOKING_HORIZON_DAYS, "bookingHorizonDays", "The booking horizon (days)");
  requireWhole(
    policy.cancellationWindowHours,
    0,
    MAX_CANCELLATION_WINDOW_HOURS,
    "cancellationWindowHours",
    "The cancellation window (hours)",
  );
  if (policy.minimumNoticeHours >= policy.bookingHorizonDays * 24) {
    throwError(
      "INVALID_ARGUMENT",
      `A minimum notice of ${policy.minimumNoticeHours} hours leaves nothing to book within a ${policy.bookingHorizonDays}-day horizon. Shorten the notice or lengthen the horizon.`,
      { field: "minimumNoticeHours" },
    );
  }
  return { ...policy };
}

/**
 * Checks a coach's settings: buffers 0–240 minutes, daily limit 1–48 sessions or null.
 * @throws ConvexError INVALID_ARGUMENT naming the field.
 */
function validateCoachSettings(settings: CoachSettings): CoachSettings {
  requireWhole(settings.bufferBeforeMinutes, 0, MAX_BUFFER_MINUTES, "bufferBeforeMinutes", "The buffer before a session (minutes)");
  requireWhole(settings.bufferAfterMinutes, 0, MAX_BUFFER_MINUTES, "bufferAfterMinutes", "The buffer after a session (minutes)");
  if (settings.dailyLimit !== null) requireWhole(settings.dailyLimit, 1, MAX_DAILY_LIMIT, "dailyLimit", "The daily limit (sessions)");
  return { ...settings };
}

/** The policy of a product, defaults filled in. */
export function productPolicyOf(product: Doc<"coachingProducts">): ProductPolicy {
  return {
    bufferBeforeMinutes: product.bufferBeforeMinutes ?? DEFAULT_PRODUCT_POLICY.bufferBeforeMinutes,
    bufferAfterMinutes: product.bufferAfterMinutes ?? DEFAULT_PRODUCT_POLICY.bufferAfterMinutes,
    minimumNoticeHours: product.minimumNoticeHours ?? DEFAULT_PRODUCT_POLICY.minimumNoticeHours,
    bookingHorizonDays: product.bookingHorizonDays ?? DEFAULT_PRODUCT_POLICY.bookingHorizonDays,
    cancellationWindowHours: product.cancellationWindowHours ?? DEFAULT_PRODUCT_POLICY.cancellationWindowHours,
  };
}

/**
 * Replaces a coaching product's policy (`coaching.manage`, checked by the caller). Existing bookings
 * stay as they are; the new rules apply to the next booking, reschedule or cancellation.
 * @throws ConvexError NOT_FOUND (no such product), INVALID_ARGUMENT (see {@link validateProductPolicy}).
 */
export async function setProductPolicy(ctx: MutationCtx, coachingProductId: Id<"coachingProducts">, policy: ProductPolicy): Promise<void> {
  await requireDocument(ctx, "coachingProducts", coachingProductId, "That coaching product does not exist.");
  await ctx.db.patch("coachingProducts", coachingProductId, validateProductPolicy(policy));
}

/** A coach's settings (one indexed read), defaults when they never saved any. */
export async function coachSettingsOf(ctx: QueryCtx, coachId: Id<"users">): Promise<CoachSettings> {
  const row = await ctx.db
    .query("coachSchedulingSettings")
    .withIndex("by_coachId", (q) => q.eq("coachId", coachId))
    .unique();
  if (row === null) return { ...DEFAULT_COACH_SETTINGS };
  return { bufferBeforeMinutes: row.bufferBeforeMinutes, bufferAfterMinutes: row.bufferAfterMinutes, dailyLimit: row.dailyLimit ?? null };
}

/**
 * A coach's buffers and daily limit for a reader: `coachId` undefined means the viewer's own.
 * Readers: the coach themself, or staff with `coaching.manage` or `sessions.readAll`.
 * @throws ConvexError FORBIDDEN.
 */
export async function coachSettingsForViewer(
  ctx: QueryCtx,
  viewer: Viewer,
  coachId: Id<"users"> | undefined,
): Promise<CoachSettings> {
  const target = coachId ?? viewer._id;
  requireCoachScheduleAccess(viewer, target);
  return await coachSettingsOf(ctx, target);
}

/**
 * Stores a coach's buffers (minutes) and daily limit (sessions, or null for none); `coachId`
 * undefined means the viewer's own. The coach themself or `coaching.manage` (`canEditCoachSchedule`).
 * @returns the stored settings.
 * @throws ConvexError FORBIDDEN, NOT_FOUND (no such active user), INVALID_ARGUMENT (not a coach, bounds).
 */
export async function setCoachSettings(
  ctx: MutationCtx,
  viewer: Viewer,
  coachId: Id<"users"> | undefined,
  settings: CoachSettings,
): Promise<CoachSettings> {
  coachId ??= viewer._id;
  requireCoachScheduleEdit(viewer, coachId);
  await requireActiveCoach(ctx, coachId);
  const valid = validateCoachSettings(settings);
  const row = await ctx.db
    .query("coachSchedulingSettings")
    .withIndex("by_coachId", (q) => q.eq("coachId", coachId))
    .unique();
  const fields = {
    bufferBeforeMinutes: valid.bufferBeforeMinutes,
    bufferAfterMinutes: valid.bufferAfterMinutes,
    dailyLimit: valid.dailyLimit ?? undefined,
  };
  if (row === null) await ctx.db.insert("coachSchedulingSettings", { coachId, ...fields });
  else await ctx.db.replace("coachSchedulingSettings", row._id, { coachId, ...fields });
  return valid;
}

/** The rules one booking of `product` with a coach is checked against. Buffers in ms. */
export type BookingRules = {
  bufferBeforeMs: number;
  bufferAfterMs: number;
  /** Earliest allowed start / latest allowed start, epoch ms. */
  earliestStart: number;
  latestStart: number;
  dailyLimit: number | null;
  cancellationWindowHours: number;
};

/**
 * The rules of booking `product` with a coach with `settings` at `now` (epoch ms): the larger
 * buffer of product and coach on each side; a start strictly after `now` and at least the minimum
 * notice ahead; at most the horizon ahead.
 */
export function bookingRules(product: Doc<"coachingProducts">, settings: CoachSettings, now: number): BookingRules {
  const policy = productPolicyOf(product);
  return {
    bufferBeforeMs: Math.max(policy.bufferBeforeMinutes, settings.bufferBeforeMinutes) * MINUTE_MS,
    bufferAfterMs: Math.max(policy.bufferAfterMinutes, settings.bufferAfterMinutes) * MINUTE_MS,
    earliestStart: Math.max(now + 1, now + policy.minimumNoticeHours * HOUR_MS),
    latestStart: now + policy.bookingHorizonDays * DAY_MS,
    dailyLimit: settings.dailyLimit,
    cancellationWindowHours: policy.cancellationWindowHours,
  };
}

/**
 * The last instant (epoch ms) a student may still cancel or reschedule a session starting at
 * `startTime` without it being late, under `cancellationWindowHours`.
 */
export function studentChangeDeadline(startTime: number, cancellationWindowHours: number): number {
  return startTime - cancellationWindowHours * HOUR_MS;
}
