import { v, type Infer } from "convex/values";
import { literals } from "convex-helpers/validators";
import type { Doc, Id } from "../../_generated/dataModel";
import type { QueryCtx } from "../../_generated/server";
import { canViewSuccessSession, canViewCoachingSession, canSeeCodedSession, type Viewer } from "../access";
import { activeEnrollmentsOf } from "../catalog/lookups";
import { coachingSessionViewValidator, toSessionView } from "../coaching/sessions";
import { MAX_DURATION_MINUTES as MAX_COACHING_MINUTES } from "../coaching/products";
import { throwError } from "../errors";
import { MAX_DURATION_MS as MAX_SUCCESS_SESSION_MS } from "../successSessions/schedule";
import { audiencesOf } from "../successSessions/queries";
import { describeSessions, successSessionViewValidator } from "../successSessions/views";
import { codedSessionDetailsValidator, detailsOf } from "../codedSessions/views";
import { dayInZone } from "../time/localDates";
import { isValidTimeZone } from "../time/zones";
import { DAY_MS, MINUTE_MS } from "../time/units";

/**
 * "My schedule" (SPEC §3, §4, §6): every time-bound item one person takes part in, merged by start
 * time: success sessions they attend (their audiences) or host (mentor), coaching sessions they book
 * or give, and coded sessions with a time that they joined or run. Each source is one index range per
 * audience or role, capped at {@link MAX_ITEMS_PER_SOURCE}, so the documents read depend on the
 * person's own enrollments and sessions within the range, never on the size of the tables.
 */

/** Longest range one schedule call covers, in days (a month view with its leading and trailing week fits). */
const MAX_RANGE_DAYS = 62;
/** Most items one source (one index range) contributes to one answer. */
const MAX_ITEMS_PER_SOURCE = 200;
/** Most coded-session participations / created sessions read per call (latest first). */
const MAX_CODED_SESSIONS_READ = 100;
/** How long a coded session with a start time but no end time is shown as lasting, in minutes. */
const CODED_SESSION_DEFAULT_MINUTES = 60;

/** The range and zone of one schedule call: epoch ms `[from, to)` and the viewer's IANA zone. */
type ScheduleRange = { from: number; to: number; timeZone: string };

/**
 * Checks a schedule range.
 * @throws ConvexError INVALID_ARGUMENT (`details.field`) when `from`/`to` are not finite, `from` is
 *   not before `to`, the range is longer than {@link MAX_RANGE_DAYS} days, or `timeZone` is not an
 *   IANA zone.
 */
function requireScheduleRange({ from, to, timeZone }: ScheduleRange): void {
  if (!Number.isFinite(from) || !Number.isFinite(to)) {
    throwError("INVALID_ARGUMENT", "The range must be two times in epoch milliseconds.", { field: "from" });
  }
  if (from >= to) {
    throwError("INVALID_ARGUMENT", "The range must start before it ends.", { field: "from" });
  }
  if (to - from > MAX_RANGE_DAYS * DAY_MS) {
    throwError("INVALID_ARGUMENT", `The range can cover at most ${MAX_RANGE_DAYS} days.`, { field: "to" });
  }
  if (!isValidTimeZone(timeZone)) {
    throwError("INVALID_ARGUMENT", `"${timeZone}" is not a known IANA time zone such as "Europe/Berlin".`, {
      field: "timeZone",
    });
  }
}

const localDay = v.string();

/** One entry of a schedule; `localDay` is the start's date (`YYYY-MM-DD`) in the viewer's zone. */
const scheduleItemValidator = v.union(
  v.object({
    kind: v.literal("success"),
    /** `host`: the viewer is the session's mentor; `attendee`: it is for one of their audiences. */
    role: literals("attendee", "host"),
    localDay,
    session: successSessionViewValidator,
  }),
  v.object({
    kind: v.literal("coaching"),
    role: literals("student", "coach"),
    localDay,
    session: coachingSessionViewValidator,
  }),
  v.object({
    kind: v.literal("coded"),
    role: literals("participant", "lecturer"),
    localDay,
    /** Epoch ms: the session's start time (its creation when none was set) and end. */
    startsAt: v.number(),
    endsAt: v.number(),
    session: codedSessionDetailsValidator,
  }),
);
type ScheduleItem = Infer<typeof scheduleItemValidator>;

export const scheduleValidator = v.object({
  /** Items overlapping the range, by start time. */
  items: v.array(scheduleItemValidator),
  /** True when a source reached its cap, so some items of the range may be missing. */
  truncated: v.boolean(),
});
type Schedule = Infer<typeof scheduleValidator>;

/** The start of an item (epoch ms). */
function itemStart(item: ScheduleItem): number {
  switch (item.kind) {
    case "success":
      return item.session.startsAt;
    case "coaching":
      return item.session.startTime;
    case "coded":
      return item.startsAt;
  }
}

/**
 * The schedule of `viewer` for `range` (see the module comment). Cancelled success and coaching
 * sessions are included (the page shows them as cancelled). Any signed-in user may call it for
 * themself; what each source returns follows the rules of `access.ts`.
 *
 * @param range epoch ms `[from, to)` (at most {@link MAX_RANGE_DAYS} days) and the viewer's IANA zone.
 * @param now epoch ms, for the actions offered on coaching sessions (cancel, start, complete).
 * @throws ConvexError INVALID_ARGUMENT for a bad range or zone (see {@link requireScheduleRange}).
 */
export async function scheduleFor(ctx: QueryCtx, viewer: Viewer, range: ScheduleRange, now: number): Promise<Schedule> {
  requireScheduleRange(range);
  const [success, coaching, coded] = await Promise.all([
    successItems(ctx, viewer, range),
    coachingItems(ctx, viewer, range, now),
    codedItems(ctx, viewer, range),
  ]);
  const items = [...success.items, ...coaching.items, ...coded.items].sort((a, b) => itemStart(a) - itemStart(b));
  return { items, truncated: success.truncated || coaching.truncated || coded.truncated };
}

type SourceResult = { items: ScheduleItem[]; truncated: boolean };

async function successItems(ctx: QueryCtx, viewer: Viewer, { from, to, timeZone }: ScheduleRange): Promise<SourceResult> {
  const enrollments = await activeEnrollmentsOf(ctx, viewer._id);
  const ranges = [
    ...audiencesOf(enrollments).map((audience) =>
      ctx.db
        .query("successSessions")
        .withIndex("by_courseId_and_batchId_and_startsAt", (q) =>
          q
            .eq("courseId", audience.courseId)
            .eq("batchId", audience.batchId)
            .gt("startsAt", from - MAX_SUCCESS_SESSION_MS)
            .lt("startsAt", to),
        )
        .take(MAX_ITEMS_PER_SOURCE),
    ),
    ctx.db
      .query("successSessions")
      .withIndex("by_mentorId_and_startsAt", (q) =>
        q.eq("mentorId", viewer._id).gt("startsAt", from - MAX_SUCCESS_SESSION_MS).lt("startsAt", to),
      )
      .take(MAX_ITEMS_PER_SOURCE),
  ];
  const lists = await Promise.all(ranges);
  const truncated = lists.some((list) => list.length === MAX_ITEMS_PER_SOURCE);
  const byId = new Map<Id<"successSessions">, Doc<"successSessions">>();
  for (const session of lists.flat()) {
    if (session.endsAt > from && session.startsAt < to) byId.set(session._id, session);
  }
  const visible: Doc<"successSessions">[] = [];
  for (const session of byId.values()) {
    if (await canViewSuccessSession(ctx, viewer, session, enrollments)) visible.push(session);
  }
  const views = await describeSessions(ctx, visible, viewer._id);
  return {
    truncated,
    items: views.map((session) => ({
      kind: "success" as const,
      role: session.mentorId === viewer._id ? ("host" as const) : ("attendee" as const),
      localDay: dayInZone(session.startsAt, timeZone),
      session,
    })),
  };
}

async function coachingItems(
  ctx: QueryCtx,
  viewer: Viewer,
  { from, to, timeZone }: ScheduleRange,
  now: number,
): Promise<SourceResult> {
  const earliestStart = from - MAX_COACHING_MINUTES * MINUTE_MS;
  const [asStudent, asCoach] = await Promise.all([
    ctx.db
      .query("coachingSessions")
      .withIndex("by_studentId_and_startTime", (q) => q.eq("studentId", viewer._id).gt("startTime", earliestStart).lt("startTime", to))
      .take(MAX_ITEMS_PER_SOURCE),
    ctx.db
      .query("coachingSessions")
      .withIndex("by_coachId_and_startTime", (q) => q.eq("coachId", viewer._id).gt("startTime", earliestStart).lt("startTime", to))
      .take(MAX_ITEMS_PER_SOURCE),
  ]);
  const byId = new Map<Id<"coachingSessions">, Doc<"coachingSessions">>();
  for (const session of [...asStudent, ...asCoach]) {
    if (session.endTime > from && canViewCoachingSession(viewer, session)) byId.set(session._id, session);
  }
  const items = await Promise.all(
    [...byId.values()].map(async (session) => ({
      kind: "coaching" as const,
      role: session.coachId === viewer._id ? ("coach" as const) : ("student" as const),
      localDay: dayInZone(session.startTime, timeZone),
      session: await toSessionView(ctx, viewer, session, now),
    })),
  );
  return { items, truncated: asStudent.length === MAX_ITEMS_PER_SOURCE || asCoach.length === MAX_ITEMS_PER_SOURCE };
}

/**
 * The time a coded session occupies, or null when it has none: from its `startsAt` (else its
 * creation) to its `endsAt` (else {@link CODED_SESSION_DEFAULT_MINUTES} after `startsAt`). A session
 * with neither a start nor an end time is not time-bound and stays off schedules.
 */
function codedSessionInterval(
  session: Pick<Doc<"codedSessions">, "startsAt" | "endsAt" | "createdAt">,
): { startsAt: number; endsAt: number } | null {
  if (session.startsAt === undefined && session.endsAt === undefined) return null;
  const startsAt = session.startsAt ?? session.createdAt;
  return { startsAt, endsAt: session.endsAt ?? startsAt + CODED_SESSION_DEFAULT_MINUTES * MINUTE_MS };
}

async function codedItems(ctx: QueryCtx, viewer: Viewer, { from, to, timeZone }: ScheduleRange): Promise<SourceResult> {
  // A session is joined and created before it ends, so rows from after `to` cannot matter.
  const [participations, created] = await Promise.all([
    ctx.db
      .query("codedSessionParticipants")
      .withIndex("by_userId_and_joinedAt", (q) => q.eq("userId", viewer._id).lt("joinedAt", to))
      .order("desc")
      .take(MAX_CODED_SESSIONS_READ),
    ctx.db
      .query("codedSessions")
      .withIndex("by_lecturerId_and_createdAt", (q) => q.eq("lecturerId", viewer._id).lt("createdAt", to))
      .order("desc")
      .take(MAX_CODED_SESSIONS_READ),
  ]);
  const sessions = new Map<Id<"codedSessions">, { session: Doc<"codedSessions">; role: "participant" | "lecturer" }>();
  for (const session of created) sessions.set(session._id, { session, role: "lecturer" });
  const joined = await Promise.all(participations.map((row) => ctx.db.get("codedSessions", row.sessionId)));
  for (const session of joined) {
    if (session !== null && !sessions.has(session._id) && canSeeCodedSession(viewer, session, true)) {
      sessions.set(session._id, { session, role: "participant" });
    }
  }
  const items: ScheduleItem[] = [];
  for (const { session, role } of sessions.values()) {
    const interval = codedSessionInterval(session);
    if (interval === null || interval.endsAt <= from || interval.startsAt >= to) continue;
    items.push({
      kind: "coded",
      role,
      localDay: dayInZone(interval.startsAt, timeZone),
      startsAt: interval.startsAt,
      endsAt: interval.endsAt,
      session: await detailsOf(ctx, session),
    });
  }
  return {
    items,
    truncated: participations.length === MAX_CODED_SESSIONS_READ || created.length === MAX_CODED_SESSIONS_READ,
  };
}

/**
 * Facts the navigation needs beyond roles: whether `viewer` holds active access to a product that
 * has an active coaching offer (students see "Coaching" only then). Reads at most 200 access rows
 * and one index lookup per product.
 */
export async function navigationFactsFor(ctx: QueryCtx, viewer: Viewer): Promise<{ coachingAccess: boolean }> {
  const access = await ctx.db
    .query("productAccess")
    .withIndex("by_studentId_and_status", (q) => q.eq("studentId", viewer._id).eq("status", "active"))
    .take(200);
  for (const row of access) {
    const offers = await ctx.db
      .query("coachingProducts")
      .withIndex("by_productId", (q) => q.eq("productId", row.productId))
      .take(20);
    if (offers.some((offer) => offer.active)) return { coachingAccess: true };
  }
  return { coachingAccess: false };
}

export const navigationFactsValidator = v.object({ coachingAccess: v.boolean() });
