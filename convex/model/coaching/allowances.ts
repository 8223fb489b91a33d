import { v } from "convex/values";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { throwError } from "../errors";
import { requireDocument } from "../documents";

/**
 * Session allowances (issue #15): a product access may carry a number of coaching sessions (a
 * package of 4). Booking under that product uses one; a cancellation that is not late returns it;
 * an access without a number is unlimited. The count lives on the `productAccess` row, so the
 * booking mutation reads and writes it in its own transaction: two bookings racing for the last
 * session cannot both pass.
 */

/** Largest allowance staff may set. */
export const MAX_SESSION_ALLOWANCE = 500;

/** What is left of an allowance; null fields mean unlimited. */
export const allowanceValidator = v.object({
  /** Sessions included; null = unlimited. */
  total: v.union(v.number(), v.null()),
  used: v.number(),
  /** `total − used` (never below 0); null = unlimited. */
  remaining: v.union(v.number(), v.null()),
});
type Allowance = typeof allowanceValidator.type;

async function accessRow(ctx: QueryCtx, studentId: Id<"users">, productId: Id<"products">): Promise<Doc<"productAccess"> | null> {
  return await ctx.db
    .query("productAccess")
    .withIndex("by_studentId_and_productId", (q) => q.eq("studentId", studentId).eq("productId", productId))
    .first();
}

/** The allowance of an access row (unlimited when it carries no number). */
function allowanceOfAccess(access: Doc<"productAccess"> | null): Allowance {
  const used = access?.coachingSessionsUsed ?? 0;
  const total = access?.coachingSessionAllowance ?? null;
  return { total, used, remaining: total === null ? null : Math.max(0, total - used) };
}

/** A student's allowance on a catalog product (one indexed read). */
export async function allowanceOf(ctx: QueryCtx, studentId: Id<"users">, productId: Id<"products">): Promise<Allowance> {
  return allowanceOfAccess(await accessRow(ctx, studentId, productId));
}

/**
 * Uses one session of the student's allowance on `productId` when the access carries one.
 * @returns true when a counted session was used (remember it on the booking), false for unlimited access.
 * @throws ConvexError FAILED_PRECONDITION when none is left (nothing written).
 */
export async function useAllowance(ctx: MutationCtx, studentId: Id<"users">, productId: Id<"products">): Promise<boolean> {
  const access = await accessRow(ctx, studentId, productId);
  const allowance = allowanceOfAccess(access);
  if (access === null || allowance.total === null) return false;
  if (allowance.remaining === 0) {
    throwError(
      "FAILED_PRECONDITION",
      `You have used all ${allowance.total} coaching sessions of this product. Ask the team for more sessions.`,
      { field: "coachingProductId" },
    );
  }
  await ctx.db.patch("productAccess", access._id, { coachingSessionsUsed: allowance.used + 1 });
  return true;
}

/** Gives back the session a booking used (no-op when it used none). */
export async function returnAllowance(ctx: MutationCtx, session: Doc<"coachingSessions">): Promise<void> {
  if (session.usedAllowance !== true) return;
  const access = await accessRow(ctx, session.studentId, session.productId);
  if (access === null) return;
  await ctx.db.patch("productAccess", access._id, { coachingSessionsUsed: Math.max(0, (access.coachingSessionsUsed ?? 0) - 1) });
}

/**
 * Sets the number of coaching sessions a product access includes (`null` = unlimited); the sessions
 * already used stay counted. Callers check `enrollments.manage`.
 * @throws ConvexError NOT_FOUND (no such access), INVALID_ARGUMENT (not a whole number 0–500).
 */
export async function setSessionAllowance(ctx: MutationCtx, accessId: Id<"productAccess">, allowance: number | null): Promise<Allowance> {
  const access = await requireDocument(ctx, "productAccess", accessId, "That product access does not exist.");
  if (allowance !== null && (!Number.isInteger(allowance) || allowance < 0 || allowance > MAX_SESSION_ALLOWANCE)) {
    throwError("INVALID_ARGUMENT", `The number of sessions must be a whole number from 0 to ${MAX_SESSION_ALLOWANCE}, or empty for unlimited.`, {
      field: "allowance",
    });
  }
  await ctx.db.patch("productAccess", accessId, { coachingSessionAllowance: allowance ?? undefined });
  return allowanceOfAccess({ ...access, coachingSessionAllowance: allowance ?? undefined });
}
