import { v, type Infer } from "convex/values";
import { literals } from "convex-helpers/validators";
import type { Doc, Id } from "../../_generated/dataModel";
import type { QueryCtx } from "../../_generated/server";
import type { EmailStatus } from "../../tables/notifications";
import { hasPermission, hasRole, type Viewer } from "../access";
import { discordOverview } from "../discord/admin";
import { throwError } from "../errors";
import { MINUTE_MS } from "../time/units";

/**
 * The staff overview (landing page of admins and superadmins; enrollment managers see the parts
 * their permissions cover): today across the business and what needs a person. Every count is a
 * bounded read of one index range, capped at {@link COUNT_CAP} (the page shows "100+").
 */

/** Largest number any count reads; a count equal to it means "this many or more". */
const COUNT_CAP = 100;
/** "Starting soon" looks this many minutes ahead. */
const STARTING_SOON_MINUTES = 60;
/** Most sessions listed under "starting soon" per kind. */
const STARTING_SOON_LIMIT = 5;
/** Upcoming success sessions checked for a mentor who can still host them. */
const MENTOR_CHECK_LIMIT = 200;
/** Email states that mean "a person should look": never sent, failed for good, or bounced. */
const UNSENT_EMAIL_STATES = ["not_sent", "failed", "bounced"] as const satisfies readonly EmailStatus[];

const startingSoonValidator = v.object({
  kind: literals("success", "coaching"),
  id: v.string(),
  title: v.string(),
  startsAt: v.number(),
  /** Where staff open it in the app. */
  path: v.string(),
});

export const staffOverviewValidator = v.object({
  today: v.object({
    /** Sessions starting within the day, per kind (each capped). */
    successSessions: v.number(),
    coachingSessions: v.number(),
    /** Coded sessions open for joining right now. */
    openCodedSessions: v.number(),
    /** Success sessions live now and coaching sessions in progress (each capped). */
    liveSuccessSessions: v.number(),
    coachingInProgress: v.number(),
    startingSoon: v.array(startingSoonValidator),
  }),
  needsAttention: v.object({
    /** Null when the viewer may not manage Discord. */
    discord: v.union(v.object({ failed: v.number(), waitingForCapacity: v.number() }), v.null()),
    /** Emails per state that needs a look; null when the viewer may not manage the outbox. */
    emails: v.union(v.object({ notSent: v.number(), failed: v.number(), bounced: v.number() }), v.null()),
    /** Upcoming success sessions whose mentor is deactivated or no longer a mentor (of the next {@link MENTOR_CHECK_LIMIT}). */
    sessionsWithoutMentor: v.array(v.object({ id: v.id("successSessions"), title: v.string(), startsAt: v.number() })),
  }),
  countCap: v.number(),
});
type StaffOverview = Infer<typeof staffOverviewValidator>;

/**
 * The overview for `viewer` (a holder of `sessions.readAll`).
 * @param dayStart epoch ms of the start of the viewer's today; `dayEnd` its end (1–26 hours later, DST days included).
 * @param now epoch ms; "live now" and "starting soon" are relative to it.
 * @throws ConvexError INVALID_ARGUMENT for a day that is not 1–26 hours long or not finite.
 */
export async function staffOverviewFor(
  ctx: QueryCtx,
  viewer: Viewer,
  { dayStart, dayEnd }: { dayStart: number; dayEnd: number },
  now: number,
): Promise<StaffOverview> {
  if (!Number.isFinite(dayStart) || !Number.isFinite(dayEnd) || dayEnd - dayStart < 60 * MINUTE_MS || dayEnd - dayStart > 26 * 60 * MINUTE_MS) {
    throwError("INVALID_ARGUMENT", "The day must be one calendar day (1 to 26 hours).", { field: "dayEnd" });
  }
  const soonEnd = now + STARTING_SOON_MINUTES * MINUTE_MS;
  const [successToday, coachingToday, openCoded, liveSuccess, coachingLive, successSoon, coachingSoon] = await Promise.all([
    ctx.db.query("successSessions").withIndex("by_startsAt", (q) => q.gte("startsAt", dayStart).lt("startsAt", dayEnd)).take(COUNT_CAP),
    ctx.db.query("coachingSessions").withIndex("by_startTime", (q) => q.gte("startTime", dayStart).lt("startTime", dayEnd)).take(COUNT_CAP),
    ctx.db.query("codedSessions").withIndex("by_status_and_createdAt", (q) => q.eq("status", "open")).take(COUNT_CAP),
    ctx.db.query("successSessions").withIndex("by_status_and_startsAt", (q) => q.eq("status", "live")).take(COUNT_CAP),
    ctx.db
      .query("coachingSessions")
      .withIndex("by_status_and_startTime", (q) => q.eq("status", "IN_PROGRESS"))
      .take(COUNT_CAP),
    ctx.db
      .query("successSessions")
      .withIndex("by_status_and_startsAt", (q) => q.eq("status", "upcoming").gte("startsAt", now).lte("startsAt", soonEnd))
      .take(STARTING_SOON_LIMIT),
    ctx.db
      .query("coachingSessions")
      .withIndex("by_startTime", (q) => q.gte("startTime", now).lte("startTime", soonEnd))
      .take(STARTING_SOON_LIMIT * 2),
  ]);
  const coachingSoonNames = await Promise.all(
    coachingSoon
      .filter((session) => session.status === "SCHEDULED")
      .slice(0, STARTING_SOON_LIMIT)
      .map(async (session) => {
        const [coach, student] = await Promise.all([ctx.db.get("users", session.coachId), ctx.db.get("users", session.studentId)]);
        return {
          kind: "coaching" as const,
          id: session._id as string,
          title: `Coaching: ${coach?.name ?? "a coach"} with ${student?.name ?? "a student"}`,
          startsAt: session.startTime,
          path: `/manage/coaches/${session.coachId}`,
        };
      }),
  );
  const startingSoon = [
    ...successSoon.map((session) => ({
      kind: "success" as const,
      id: session._id as string,
      title: session.title,
      startsAt: session.startsAt,
      path: "/manage/success-sessions",
    })),
    ...coachingSoonNames,
  ].sort((a, b) => a.startsAt - b.startsAt);

  return {
    today: {
      successSessions: successToday.length,
      coachingSessions: coachingToday.length,
      openCodedSessions: openCoded.filter((session) => session.endsAt === undefined || session.endsAt > now).length,
      liveSuccessSessions: liveSuccess.length,
      coachingInProgress: coachingLive.length,
      startingSoon,
    },
    needsAttention: {
      discord: hasPermission(viewer, "discord.manage") ? await discordAttention(ctx) : null,
      emails: hasPermission(viewer, "notifications.manage") ? await emailAttention(ctx) : null,
      sessionsWithoutMentor: await sessionsWithoutMentor(ctx, now),
    },
    countCap: COUNT_CAP,
  };
}

/** Failed and waiting Discord spaces, read through the Discord dashboard's own (capped) counts. */
async function discordAttention(ctx: QueryCtx): Promise<{ failed: number; waitingForCapacity: number }> {
  const overview = await discordOverview(ctx);
  return { failed: overview.stateCounts.failed, waitingForCapacity: overview.stateCounts.waiting_for_window };
}

async function emailAttention(ctx: QueryCtx): Promise<{ notSent: number; failed: number; bounced: number }> {
  const [notSent, failed, bounced] = await Promise.all(
    UNSENT_EMAIL_STATES.map(
      async (status) => (await ctx.db.query("emailOutbox").withIndex("by_status", (q) => q.eq("status", status)).take(COUNT_CAP)).length,
    ),
  );
  return { notSent: notSent ?? 0, failed: failed ?? 0, bounced: bounced ?? 0 };
}

/** The next upcoming success sessions (at most {@link MENTOR_CHECK_LIMIT}) whose mentor cannot host. */
async function sessionsWithoutMentor(
  ctx: QueryCtx,
  now: number,
): Promise<{ id: Id<"successSessions">; title: string; startsAt: number }[]> {
  const upcoming = await ctx.db
    .query("successSessions")
    .withIndex("by_status_and_startsAt", (q) => q.eq("status", "upcoming").gte("startsAt", now))
    .take(MENTOR_CHECK_LIMIT);
  const mentors = new Map<Id<"users">, Promise<Doc<"users"> | null>>();
  const result: { id: Id<"successSessions">; title: string; startsAt: number }[] = [];
  for (const session of upcoming) {
    let mentor = mentors.get(session.mentorId);
    if (mentor === undefined) {
      mentor = ctx.db.get("users", session.mentorId);
      mentors.set(session.mentorId, mentor);
    }
    const user = await mentor;
    if (user === null || !user.active || !hasRole(user, "mentor")) {
      result.push({ id: session._id, title: session.title, startsAt: session.startsAt });
      if (result.length >= COUNT_CAP) break;
    }
  }
  return result;
}
