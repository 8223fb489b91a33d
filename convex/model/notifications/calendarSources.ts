import type { Doc, Id } from "../../_generated/dataModel";
import type { QueryCtx } from "../../_generated/server";
import type { SessionKind } from "../../tables/notifications";
import { canViewSuccessSession, isStaff } from "../access";
import { appLink } from "./config";
import { sessionEventUid, type CalendarEventInput } from "./ics";
import { appPathFor, coachingSessionSnapshot, successSessionSnapshot, type SessionSnapshot } from "./sessionKinds";
import { DAY_MS } from "../time/units";

/**
 * Calendar sources: what a user's private feed lists (SPEC §7). The feed asks every source in
 * {@link CALENDAR_SOURCES} for the sessions the user may see within a window and merges them.
 *
 * - success sessions: exactly those `canViewSuccessSession` (access.ts, the one visibility rule)
 *   allows. Candidates come from indexes (all sessions for staff, the mentor's own, and the
 *   sessions of each active enrollment's course and batch) and every candidate is checked with the
 *   rule;
 * - coaching sessions: the user's own, as student or as coach.
 *
 * Adding a source (e.g. coded sessions): write a {@link CalendarSource} and append it to
 * {@link CALENDAR_SOURCES}.
 */

/** A time window, epoch ms (sessions starting within it are listed). */
interface CalendarWindow {
  from: number;
  to: number;
}

/** One kind of session in calendar feeds. */
interface CalendarSource {
  kind: SessionKind;
  /** Sessions `user` may see that start within `window`, at most `limit`, as snapshots. */
  listForUser(ctx: QueryCtx, user: Doc<"users">, window: CalendarWindow, limit: number): Promise<SessionSnapshot[]>;
}

/** Past days a feed still lists. */
const FEED_PAST_DAYS = 60;
/** Future days a feed lists. */
const FEED_FUTURE_DAYS = 400;
/** Most events per source in one feed. */
const FEED_MAX_EVENTS_PER_SOURCE = 500;
/** Most active enrollments whose sessions a student's feed reads. */
const MAX_ENROLLMENTS = 100;

/** The window of a feed read at `now`. */
export function feedWindow(now: number): CalendarWindow {
  return { from: now - FEED_PAST_DAYS * DAY_MS, to: now + FEED_FUTURE_DAYS * DAY_MS };
}

const successSessionsSource: CalendarSource = {
  kind: "success",
  async listForUser(ctx, user, window, limit) {
    const candidates = new Map<Id<"successSessions">, Doc<"successSessions">>();
    const add = (sessions: Doc<"successSessions">[]) => {
      for (const session of sessions) candidates.set(session._id, session);
    };
    if (isStaff(user)) {
      add(
        await ctx.db
          .query("successSessions")
          .withIndex("by_startsAt", (q) => q.gte("startsAt", window.from).lte("startsAt", window.to))
          .take(limit),
      );
    }
    add(
      await ctx.db
        .query("successSessions")
        .withIndex("by_mentorId_and_startsAt", (q) =>
          q.eq("mentorId", user._id).gte("startsAt", window.from).lte("startsAt", window.to),
        )
        .take(limit),
    );
    const activeEnrollments = await ctx.db
      .query("enrollments")
      .withIndex("by_studentId_and_status", (q) => q.eq("studentId", user._id).eq("status", "active"))
      .take(MAX_ENROLLMENTS);
    for (const enrollment of activeEnrollments) {
      add(
        await ctx.db
          .query("successSessions")
          .withIndex("by_courseId_and_batchId_and_startsAt", (q) =>
            q
              .eq("courseId", enrollment.courseId)
              .eq("batchId", enrollment.batchId)
              .gte("startsAt", window.from)
              .lte("startsAt", window.to),
          )
          .take(limit),
      );
    }
    const visible: Doc<"successSessions">[] = [];
    for (const session of candidates.values()) {
      if (await canViewSuccessSession(ctx, user, session, activeEnrollments)) visible.push(session);
    }
    visible.sort((a, b) => a.startsAt - b.startsAt);
    return await Promise.all(visible.slice(0, limit).map((session) => successSessionSnapshot(ctx, session)));
  },
};

const coachingSessionsSource: CalendarSource = {
  kind: "coaching",
  async listForUser(ctx, user, window, limit) {
    const [asStudent, asCoach] = await Promise.all([
      ctx.db
        .query("coachingSessions")
        .withIndex("by_studentId_and_startTime", (q) =>
          q.eq("studentId", user._id).gte("startTime", window.from).lte("startTime", window.to),
        )
        .take(limit),
      ctx.db
        .query("coachingSessions")
        .withIndex("by_coachId_and_startTime", (q) =>
          q.eq("coachId", user._id).gte("startTime", window.from).lte("startTime", window.to),
        )
        .take(limit),
    ]);
    const sessions = new Map<Id<"coachingSessions">, Doc<"coachingSessions">>();
    for (const session of [...asStudent, ...asCoach]) sessions.set(session._id, session);
    const sorted = [...sessions.values()].sort((a, b) => a.startTime - b.startTime).slice(0, limit);
    return await Promise.all(sorted.map((session) => coachingSessionSnapshot(ctx, session)));
  },
};

/** Every source a feed lists, in order. */
const CALENDAR_SOURCES: readonly CalendarSource[] = [successSessionsSource, coachingSessionsSource];

/**
 * A session as a calendar event for `viewerId` (coaching events are titled with the other person).
 * The meeting or Discord link is both URL and LOCATION; the description repeats the details.
 */
export function toCalendarEvent(session: SessionSnapshot, viewerId: Id<"users">): CalendarEventInput {
  const viewerIsHost = viewerId === session.hostId;
  const title =
    session.kind === "coaching"
      ? `Coaching with ${viewerIsHost ? (session.guestName ?? "your student") : session.hostName}`
      : session.title;
  const appUrl = appLink(appPathFor(session, viewerId));
  const lines: string[] = [];
  if (session.detail) lines.push(session.detail);
  lines.push(`${session.hostRole}: ${session.hostName}`);
  if (session.guestName) lines.push(`Student: ${session.guestName}`);
  if (session.joinUrl) lines.push(`${session.joinLabel}: ${session.joinUrl}`);
  else if (session.kind === "coaching") lines.push("The Discord link appears here when the private channel is ready.");
  if (session.passcode) lines.push(`Passcode: ${session.passcode}`);
  if (session.description.trim()) lines.push("", session.description.trim());
  if (appUrl) lines.push("", `Sessions Hub: ${appUrl}`);
  return {
    uid: sessionEventUid(session.kind, session.id),
    sequence: session.sequence,
    cancelled: session.cancelled,
    title: session.cancelled ? `Cancelled: ${title}` : title,
    description: lines.join("\n"),
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    url: session.joinUrl ?? appUrl,
    location: session.joinUrl ?? (session.kind === "coaching" ? "Discord" : null),
  };
}

/** Every calendar event `user` may see within `window`, sorted by start. */
export async function calendarEventsForUser(ctx: QueryCtx, user: Doc<"users">, window: CalendarWindow): Promise<CalendarEventInput[]> {
  const lists = await Promise.all(
    CALENDAR_SOURCES.map((source) => source.listForUser(ctx, user, window, FEED_MAX_EVENTS_PER_SOURCE)),
  );
  return lists
    .flat()
    .sort((a, b) => a.startsAt - b.startsAt)
    .map((session) => toCalendarEvent(session, user._id));
}
