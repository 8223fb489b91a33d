import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { env } from "../../_generated/server";
import type { SessionKind } from "../../tables/notifications";
import { isInSuccessSessionAudience } from "../access";
import { spaceOf } from "../discord/spaces";

/**
 * The registry of session kinds that notifications, reminders and calendars handle. Each kind tells
 * the notification layer how to read one of its sessions as a plain {@link SessionSnapshot}, who gets
 * its emails ({@link SessionKindDefinition.audience}), and what to record once a reminder went out.
 *
 * Adding a kind (e.g. coded sessions): add its name to `sessionKindValidator` in
 * `convex/tables/notifications.ts`, write a {@link SessionKindDefinition} below and add it to
 * {@link SESSION_KINDS}; for calendar feeds add a source in `calendarSources.ts`.
 */

/** A session as notifications and calendars see it: plain data, independent of its table's shape. */
export interface SessionSnapshot {
  kind: SessionKind;
  /** The session's document id. */
  id: string;
  title: string;
  description: string;
  /** Epoch ms (UTC). */
  startsAt: number;
  /** Epoch ms (UTC). */
  endsAt: number;
  cancelled: boolean;
  /** Calendar SEQUENCE; grows on every change (cancelling included). */
  sequence: number;
  /** Where to join (meeting link, Discord channel link), or null when there is none yet. */
  joinUrl: string | null;
  /** Label of the join link, e.g. "Join the meeting". */
  joinLabel: string;
  /** Meeting passcode, if any (only ever sent to people who may see the session). */
  passcode: string | null;
  /** Who runs it: the mentor of a success session, the coach of a coaching session. */
  hostId: Id<"users">;
  hostName: string;
  hostRole: "Mentor" | "Coach";
  /** The other participant of a 1:1 session (the coaching student); null for group sessions. */
  guestId: Id<"users"> | null;
  guestName: string | null;
  /** One line of context, e.g. "Data Science · Batch 12" or the coaching product's title. */
  detail: string | null;
  /**
   * Paths of the web app's pages that list it (for links in emails and calendar entries): the
   * host's page (mentor's or coach's) and the participants' page (students').
   */
  appPaths: { host: string; participant: string };
}

/** The app path of `session` for `userId`: the host's page for its mentor or coach, else the participants'. */
export function appPathFor(session: SessionSnapshot, userId: Id<"users">): string {
  return userId === session.hostId ? session.appPaths.host : session.appPaths.participant;
}

/** One page of a session's email recipients. */
interface AudiencePage {
  userIds: Id<"users">[];
  /** Pass back to get the next page; null when done. */
  continueCursor: string | null;
}

/** The tables that hold sessions of a {@link SessionKind}. */
type SessionTable = "successSessions" | "coachingSessions";

/** What the notification layer needs from a session kind whose sessions live in `table`. */
export interface SessionKindDefinition<T extends SessionTable = SessionTable> {
  /** The table of this kind's sessions (ids stored as strings are read back with it, see {@link sessionIdOf}). */
  table: T;
  /** The snapshot of one of this kind's session documents (reads what it shows besides the session). */
  snapshot(ctx: QueryCtx, session: Doc<T>): Promise<SessionSnapshot>;
  /**
   * Recipients of the session's notices, a page at a time: the host on the first page, then the
   * participants. `cursor` is null for the first page.
   */
  audience(ctx: QueryCtx, session: SessionSnapshot, cursor: string | null): Promise<AudiencePage>;
  /** Called after a reminder for the session went out (e.g. to set the session's own `reminderSent`). */
  onReminderSent?(ctx: MutationCtx, id: Id<T>): Promise<void>;
}

/** Students read per audience page. */
export const AUDIENCE_PAGE_SIZE = 100;

// ── Success sessions (SPEC §3) ──────────────────────────────────────────────────────────────────

/** Snapshot of a success session document (reads its mentor, course and batch). */
export async function successSessionSnapshot(ctx: QueryCtx, session: Doc<"successSessions">): Promise<SessionSnapshot> {
  const [mentor, course, batch] = await Promise.all([
    ctx.db.get("users", session.mentorId),
    ctx.db.get("courses", session.courseId),
    session.batchId === null ? Promise.resolve(null) : ctx.db.get("batches", session.batchId),
  ]);
  const audience = session.batchId === null ? "Unbatched students" : (batch?.name ?? "Batch");
  return {
    kind: "success",
    id: session._id,
    title: session.title,
    description: session.description,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    cancelled: session.status === "cancelled",
    sequence: session.sequence,
    joinUrl: session.meetingUrl || null,
    joinLabel: "Join the meeting",
    passcode: session.zoomPasscode ?? null,
    hostId: session.mentorId,
    hostName: mentor?.name ?? "Your mentor",
    hostRole: "Mentor",
    guestId: null,
    guestName: null,
    detail: course ? `${course.title} · ${audience}` : audience,
    appPaths: { host: "/teach/success-sessions", participant: "/sessions" },
  };
}

const successSessions: SessionKindDefinition<"successSessions"> = {
  table: "successSessions",
  snapshot: successSessionSnapshot,

  /** The mentor, then students whose active enrollment puts them in the audience (`access.ts` rule). */
  async audience(ctx, snapshot, cursor) {
    const id = ctx.db.normalizeId("successSessions", snapshot.id);
    const session = id === null ? null : await ctx.db.get("successSessions", id);
    if (session === null) return { userIds: [], continueCursor: null };
    const page = await ctx.db
      .query("enrollments")
      .withIndex("by_courseId_and_batchId_and_status", (q) =>
        q.eq("courseId", session.courseId).eq("batchId", session.batchId).eq("status", "active"),
      )
      .paginate({ numItems: AUDIENCE_PAGE_SIZE, cursor });
    const userIds: Id<"users">[] = cursor === null ? [session.mentorId] : [];
    for (const enrollment of page.page) {
      if (userIds.includes(enrollment.studentId)) continue;
      if (await isInSuccessSessionAudience(ctx, enrollment.studentId, session, [enrollment])) {
        userIds.push(enrollment.studentId);
      }
    }
    return { userIds, continueCursor: page.isDone ? null : page.continueCursor };
  },
};

// ── Coaching sessions (SPEC §6) ─────────────────────────────────────────────────────────────────

/** `https://discord.com/channels/<guild>/<channel>` when the channel exists and DISCORD_GUILD_ID is set. */
function discordChannelLink(channelId: string | undefined): string | null {
  const guildId = env.DISCORD_GUILD_ID?.trim();
  if (!channelId || !guildId) return null;
  return `https://discord.com/channels/${guildId}/${channelId}`;
}

/**
 * Snapshot of a coaching session document (reads coach, student and product). Its SEQUENCE is the
 * number of times it was moved (`rescheduleCount`), plus 1 once cancelled.
 */
export async function coachingSessionSnapshot(ctx: QueryCtx, session: Doc<"coachingSessions">): Promise<SessionSnapshot> {
  const [coach, student, product] = await Promise.all([
    ctx.db.get("users", session.coachId),
    ctx.db.get("users", session.studentId),
    ctx.db.get("coachingProducts", session.coachingProductId),
  ]);
  const cancelled = session.status === "CANCELLED";
  return {
    kind: "coaching",
    id: session._id,
    title: product?.title ?? "Coaching session",
    description: product?.description ?? "",
    startsAt: session.startTime,
    endsAt: session.endTime,
    cancelled,
    sequence: (session.rescheduleCount ?? 0) + (cancelled ? 1 : 0),
    // A session booked before spaces existed keeps its channel id on itself until the migration runs.
    joinUrl: discordChannelLink((await spaceOf(ctx, session._id))?.channelId ?? session.discordChannelId),
    joinLabel: "Open the private Discord channel",
    passcode: null,
    hostId: session.coachId,
    hostName: coach?.name ?? "Your coach",
    hostRole: "Coach",
    guestId: session.studentId,
    guestName: student?.name ?? "Student",
    detail: product?.title ?? null,
    appPaths: { host: "/coaching/coach", participant: "/coaching" },
  };
}

const coachingSessions: SessionKindDefinition<"coachingSessions"> = {
  table: "coachingSessions",
  snapshot: coachingSessionSnapshot,

  /** The coach and the student. */
  async audience(_ctx, snapshot, cursor) {
    if (cursor !== null) return { userIds: [], continueCursor: null };
    const userIds = snapshot.guestId === null ? [snapshot.hostId] : [snapshot.hostId, snapshot.guestId];
    return { userIds, continueCursor: null };
  },

  /** Sets the session's `reminderSent` flag. */
  async onReminderSent(ctx, id) {
    const session = await ctx.db.get("coachingSessions", id);
    if (session !== null && !session.reminderSent) await ctx.db.patch("coachingSessions", id, { reminderSent: true });
  },
};

/** The registry: one definition per session kind. */
export const SESSION_KINDS: { success: SessionKindDefinition<"successSessions">; coaching: SessionKindDefinition<"coachingSessions"> } = {
  success: successSessions,
  coaching: coachingSessions,
};

/**
 * The typed id of a session of `kind` stored as a string (`entityId` of reminders and notice jobs),
 * or null when the string is not an id of that kind's table.
 */
export function sessionIdOf(ctx: QueryCtx, kind: SessionKind, entityId: string): Id<SessionTable> | null {
  return ctx.db.normalizeId(SESSION_KINDS[kind].table, entityId);
}

/** The snapshot of the session of `kind` whose id is stored as `entityId`, or null (bad id, or gone). */
export async function loadSession(ctx: QueryCtx, kind: SessionKind, entityId: string): Promise<SessionSnapshot | null> {
  const definition: SessionKindDefinition = SESSION_KINDS[kind];
  const id = sessionIdOf(ctx, kind, entityId);
  const session = id === null ? null : await ctx.db.get(definition.table, id);
  return session === null ? null : await definition.snapshot(ctx, session);
}
