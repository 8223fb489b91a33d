import type { Doc, Id } from "../../_generated/dataModel";
import type { QueryCtx } from "../../_generated/server";
import { throwError } from "../errors";
import { hasRole } from "../access";

/**
 * The coach whose hours, date overrides or scheduling settings are being changed.
 * @throws ConvexError NOT_FOUND (no such active user) or INVALID_ARGUMENT (the user does not hold the `coach` role).
 */
export async function requireActiveCoach(ctx: QueryCtx, coachId: Id<"users">): Promise<Doc<"users">> {
  const coach = await ctx.db.get("users", coachId);
  if (coach === null || !coach.active) throwError("NOT_FOUND", "That coach does not exist.");
  if (!hasRole(coach, "coach")) throwError("INVALID_ARGUMENT", `${coach.name} is not a coach.`, { field: "coachId" });
  return coach;
}
