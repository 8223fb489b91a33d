import { docValidator } from "convex/server";
import { v, type Infer } from "convex/values";
import type { Doc, Id } from "../../_generated/dataModel";
import type { QueryCtx } from "../../_generated/server";
import { codedSessionTables } from "../../tables/codedSessions";
import { canManageCodedSession, canSeeCodedSession, canSeeCodedSessionParticipants, type Viewer } from "../access";

/** Coded sessions (SPEC §4): what the session page and the lists show. */

/** Upper bound of participants a session page lists. */
const PARTICIPANT_LIST_LIMIT = 1000;
/** Upper bound of sessions in "my sessions" and "joined sessions". */
const SESSION_LIST_LIMIT = 100;

/**
 * What anyone allowed to see a session gets: the session document without its code and creation
 * time, with the lecturer's name. An `open` session whose `endsAt` has passed no longer accepts joins
 * (clients compare `endsAt` with their clock).
 */
export const codedSessionDetailsValidator = docValidator("codedSessions", codedSessionTables.codedSessions)
  .omit("code", "_creationTime")
  .extend({ lecturerName: v.string() });
type CodedSessionDetails = Infer<typeof codedSessionDetailsValidator>;

/** The session's details without the code. */
export async function detailsOf(ctx: QueryCtx, session: Doc<"codedSessions">): Promise<CodedSessionDetails> {
  const { code: _code, _creationTime: _created, ...details } = session;
  const lecturer = await ctx.db.get("users", session.lecturerId);
  return { ...details, lecturerName: lecturer?.name ?? "Unknown lecturer" };
}

/** The participant row of `userId` in a session, if they joined. */
export async function participantRow(
  ctx: QueryCtx,
  sessionId: Id<"codedSessions">,
  userId: Id<"users">,
): Promise<Doc<"codedSessionParticipants"> | null> {
  return await ctx.db
    .query("codedSessionParticipants")
    .withIndex("by_sessionId_and_userId", (q) => q.eq("sessionId", sessionId).eq("userId", userId))
    .unique();
}

/** A session as its page shows it: details, the code only for those who manage it, and the viewer's relation. */
export const codedSessionViewValidator = codedSessionDetailsValidator.extend({
  /** Present only for the creator and admins. */
  code: v.optional(v.string()),
  canManage: v.boolean(),
  canSeeParticipants: v.boolean(),
  /** When the viewer joined, if they did. */
  joinedAt: v.optional(v.number()),
});
type CodedSessionView = Infer<typeof codedSessionViewValidator>;

/**
 * The session page's data for `viewer` (details, lecturer, times; `joinedAt` for participants), or
 * null when the session does not exist or the viewer may not see it (creator, admins, staff reading
 * all sessions, participants: `access.ts#canSeeCodedSession`). The code is included only for its
 * creator and admins. Any signed-in user.
 */
export async function viewCodedSession(
  ctx: QueryCtx,
  viewer: Viewer,
  sessionId: Id<"codedSessions">,
): Promise<CodedSessionView | null> {
  const session = await ctx.db.get("codedSessions", sessionId);
  if (session === null) return null;
  const participant = await participantRow(ctx, sessionId, viewer._id);
  if (!canSeeCodedSession(viewer, session, participant !== null)) return null;
  const canManage = canManageCodedSession(viewer, session);
  return {
    ...(await detailsOf(ctx, session)),
    ...(canManage ? { code: session.code } : {}),
    canManage,
    canSeeParticipants: canSeeCodedSessionParticipants(viewer, session),
    ...(participant !== null ? { joinedAt: participant.joinedAt } : {}),
  };
}

export const participantValidator = v.object({
  userId: v.id("users"),
  name: v.string(),
  email: v.string(),
  imageUrl: v.optional(v.string()),
  joinedAt: v.number(),
});
type Participant = Infer<typeof participantValidator>;

/**
 * The participants of a session, latest arrival first (at most {@link PARTICIPANT_LIST_LIMIT}), or null
 * when the viewer may not see them (its creator, admins and staff reading all sessions may:
 * `access.ts#canSeeCodedSessionParticipants`) or it does not exist.
 */
export async function listParticipants(
  ctx: QueryCtx,
  viewer: Viewer,
  sessionId: Id<"codedSessions">,
): Promise<Participant[] | null> {
  const session = await ctx.db.get("codedSessions", sessionId);
  if (session === null || !canSeeCodedSessionParticipants(viewer, session)) return null;
  const rows = await ctx.db
    .query("codedSessionParticipants")
    .withIndex("by_sessionId_and_joinedAt", (q) => q.eq("sessionId", sessionId))
    .order("desc")
    .take(PARTICIPANT_LIST_LIMIT);
  const participants: Participant[] = [];
  for (const row of rows) {
    const user = await ctx.db.get("users", row.userId);
    if (user === null) continue;
    participants.push({
      userId: user._id,
      name: user.name,
      email: user.email,
      ...(user.imageUrl !== undefined ? { imageUrl: user.imageUrl } : {}),
      joinedAt: row.joinedAt,
    });
  }
  return participants;
}

export const managedSessionSummaryValidator = codedSessionDetailsValidator.extend({ code: v.string() });

/** The sessions `viewer` created, newest first (at most {@link SESSION_LIST_LIMIT}), with their codes. Lecturers, admins, superadmins. */
export async function listCreatedSessions(ctx: QueryCtx, viewer: Viewer) {
  const sessions = await ctx.db
    .query("codedSessions")
    .withIndex("by_lecturerId_and_createdAt", (q) => q.eq("lecturerId", viewer._id))
    .order("desc")
    .take(SESSION_LIST_LIMIT);
  return await Promise.all(sessions.map(async (session) => ({ ...(await detailsOf(ctx, session)), code: session.code })));
}

export const joinedSessionValidator = codedSessionDetailsValidator.extend({ joinedAt: v.number() });

/** The sessions `viewer` joined, latest join first (at most {@link SESSION_LIST_LIMIT}), without codes. Any signed-in user. */
export async function listJoinedSessions(ctx: QueryCtx, viewer: Viewer) {
  const rows = await ctx.db
    .query("codedSessionParticipants")
    .withIndex("by_userId_and_joinedAt", (q) => q.eq("userId", viewer._id))
    .order("desc")
    .take(SESSION_LIST_LIMIT);
  const joined: Infer<typeof joinedSessionValidator>[] = [];
  for (const row of rows) {
    const session = await ctx.db.get("codedSessions", row.sessionId);
    if (session === null) continue;
    joined.push({ ...(await detailsOf(ctx, session)), joinedAt: row.joinedAt });
  }
  return joined;
}
