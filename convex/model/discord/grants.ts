import { v } from "convex/values";
import { literals } from "convex-helpers/validators";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { scheduleRun } from "./lease";
import { isOver, spaceOf } from "./spaces";

/**
 * Who holds a space's role (SPEC §6): the participants that should get it, the grants made, and the
 * runs that follow when someone links Discord later.
 */

/** A participant who should hold the session role. */
export const participantValidator = v.object({
  userId: v.id("users"),
  name: v.string(),
  discordUserId: v.string(),
  who: literals("student", "coach"),
});

/** The session's student and coach that are active and linked to Discord. */
export async function participantsOf(ctx: QueryCtx, session: Pick<Doc<"coachingSessions">, "studentId" | "coachId">) {
  const people = [
    { who: "student" as const, user: await ctx.db.get("users", session.studentId) },
    { who: "coach" as const, user: await ctx.db.get("users", session.coachId) },
  ];
  return people.flatMap(({ who, user }) =>
    user !== null && user.active && user.discordUserId
      ? [{ userId: user._id, name: user.name, discordUserId: user.discordUserId, who }]
      : [],
  );
}

/** True when role and channel exist and both participants are linked and hold the role. */
export async function isSetupComplete(
  ctx: QueryCtx,
  session: Pick<Doc<"coachingSessions">, "studentId" | "coachId">,
  space: Doc<"discordSpaces">,
): Promise<boolean> {
  if (space.roleId === undefined || space.channelId === undefined) return false;
  const participants = await participantsOf(ctx, session);
  return participants.length === 2 && participants.every((p) => space.roleGrantedTo.includes(p.discordUserId));
}

/** Records that `discordUserIds` now hold the space's role `roleId` (ignored when the space has another role). */
export async function recordRoleGrants(
  ctx: MutationCtx,
  sessionId: Id<"coachingSessions">,
  roleId: string,
  discordUserIds: string[],
): Promise<void> {
  const space = await spaceOf(ctx, sessionId);
  if (space === null || space.roleId !== roleId) return;
  const added = discordUserIds.filter((id, index) => !space.roleGrantedTo.includes(id) && discordUserIds.indexOf(id) === index);
  if (added.length === 0) return;
  await ctx.db.patch("discordSpaces", space._id, { roleGrantedTo: [...space.roleGrantedTo, ...added] });
}

/**
 * After a participant links their Discord account: schedules a run for each of their upcoming,
 * live sessions whose role exists or is being created, so they get the role.
 * @param now epoch ms.
 * @returns how many runs were scheduled.
 */
export async function scheduleRoleGrantsForUser(ctx: MutationCtx, userId: Id<"users">, now: number): Promise<number> {
  const lookBack = now - 24 * 60 * 60 * 1000;
  const asStudent = await ctx.db
    .query("coachingSessions")
    .withIndex("by_studentId_and_startTime", (q) => q.eq("studentId", userId).gt("startTime", lookBack))
    .take(200);
  const asCoach = await ctx.db
    .query("coachingSessions")
    .withIndex("by_coachId_and_startTime", (q) => q.eq("coachId", userId).gt("startTime", lookBack))
    .take(500);
  let scheduled = 0;
  for (const session of [...asStudent, ...asCoach]) {
    const space = await spaceOf(ctx, session._id);
    if (space === null || isOver(space, now)) continue;
    if (space.state !== "ready" && space.state !== "provisioning") continue;
    await scheduleRun(ctx, space._id, session._id, "provision", 0, now);
    scheduled += 1;
  }
  return scheduled;
}
