import { v } from "convex/values";
import { textArg, optionalArg, instantArg, urlArg } from "./model/validation";
import { internalMutation } from "./_generated/server";
import { permissionMutation, permissionQuery, userQuery } from "./model/functions";
import { codeLookupResultValidator, joinByCode as joinSessionByCode, previewByCode as previewSessionByCode } from "./model/codedSessions/joining";
import { MAX_INSTRUCTIONS_LENGTH, createCodedSession, regenerateJoinCode, closeCodedSession, closeEndedCodedSession } from "./model/codedSessions/lifecycle";
import { codedSessionViewValidator, viewCodedSession, listParticipants, participantValidator, managedSessionSummaryValidator, listCreatedSessions, joinedSessionValidator, listJoinedSessions } from "./model/codedSessions/views";

/**
 * Coded (join-by-code) sessions (SPEC §4). Lecturers and admins create them (`codedSessions.create`);
 * any signed-in user with a role joins by code (`codedSessions.join`). Only the creator and admins
 * ever receive the code. Wrong codes are throttled per user (10 a minute).
 */

/**
 * Creates an open coded session with a fresh join code; see `model/codedSessions/lifecycle.ts#createCodedSession`. Lecturers, admins, superadmins.
 */
export const create = permissionMutation("codedSessions.create")({
  args: {
    title: textArg("Title", 200),
    description: optionalArg(textArg("Description", 5000)),
    endsAt: optionalArg(instantArg("End")),
    startsAt: optionalArg(instantArg("Start")),
    meetingUrl: optionalArg(urlArg("Meeting link")),
    instructions: optionalArg(textArg("Instructions", MAX_INSTRUCTIONS_LENGTH)),
  },
  returns: v.object({ sessionId: v.id("codedSessions"), code: v.string() }),
  handler: async (ctx, args) => await createCodedSession(ctx, ctx.viewer, args, Date.now()),
});

/**
 * Replaces the code of an open session; the old code stops working. Creator or admin.
 * @returns the new code.
 * @throws ConvexError NOT_FOUND (unknown, or not theirs), FAILED_PRECONDITION (closed or ended).
 */
export const regenerateCode = permissionMutation("codedSessions.create")({
  args: { sessionId: v.id("codedSessions") },
  returns: v.string(),
  handler: async (ctx, { sessionId }) => await regenerateJoinCode(ctx, ctx.viewer, sessionId, Date.now()),
});

/**
 * Closes a session so its code stops working (closing twice is harmless). Creator or admin.
 * @throws ConvexError NOT_FOUND (unknown, or not theirs).
 */
export const close = permissionMutation("codedSessions.create")({
  args: { sessionId: v.id("codedSessions") },
  returns: v.null(),
  handler: async (ctx, { sessionId }) => {
    await closeCodedSession(ctx, ctx.viewer, sessionId, Date.now());
    return null;
  },
});

/**
 * Scheduled at a session's `endsAt` by `create`: closes it if it is still open. Args: `{ sessionId }`.
 * Internal: only the scheduler calls it.
 */
export const closeAtEnd = internalMutation({
  args: { sessionId: v.id("codedSessions") },
  returns: v.null(),
  handler: async (ctx, { sessionId }) => {
    await closeEndedCodedSession(ctx, sessionId, Date.now());
    return null;
  },
});

/**
 * A session's page: details, lecturer, times; `code` only for the creator and admins; `joinedAt` for
 * participants. Any signed-in user; null when the session does not exist or is not theirs to see
 * (creator, admins, staff reading all sessions, participants).
 */
export const get = userQuery({
  args: { sessionId: v.id("codedSessions") },
  returns: v.union(codedSessionViewValidator, v.null()),
  handler: async (ctx, { sessionId }) => await viewCodedSession(ctx, ctx.viewer, sessionId),
});

/**
 * Looks a code up before joining (a mutation because wrong codes are counted). Input is
 * case-insensitive and may contain spaces and dashes. Any signed-in user with a role.
 * @returns `{ status: "found", session }` (no code) or `{ status: "wrong_code", message, attemptsLeft }`.
 * @throws ConvexError RATE_LIMITED (`details.retryAfterSeconds`), INVALID_ARGUMENT (not 6 symbols),
 *   FORBIDDEN, UNAUTHENTICATED; a closed or ended session's code is a counted `wrong_code` answer.
 */
export const previewByCode = permissionMutation("codedSessions.join")({
  args: { code: textArg("Code", 50) },
  returns: codeLookupResultValidator,
  handler: async (ctx, { code }) => await previewSessionByCode(ctx, ctx.viewer, code, Date.now()),
});

/**
 * Joins the session a code opens; joining twice keeps one participant. Any signed-in user with a role.
 * @returns `{ status: "joined", session, alreadyJoined, joinedAt }` (no code) or a `wrong_code` answer.
 * @throws ConvexError RATE_LIMITED (`details.retryAfterSeconds`), INVALID_ARGUMENT, FORBIDDEN,
 *   UNAUTHENTICATED; a closed or ended session's code is a counted `wrong_code` answer.
 */
export const joinByCode = permissionMutation("codedSessions.join")({
  args: { code: textArg("Code", 50) },
  returns: codeLookupResultValidator,
  handler: async (ctx, { code }) => await joinSessionByCode(ctx, ctx.viewer, code, Date.now()),
});

/**
 * The participants of a session, latest arrival first (live through the subscription). Creator,
 * admins and staff reading all sessions; null for anyone else or an unknown session.
 */
export const participants = userQuery({
  args: { sessionId: v.id("codedSessions") },
  returns: v.union(v.array(participantValidator), v.null()),
  handler: async (ctx, { sessionId }) => await listParticipants(ctx, ctx.viewer, sessionId),
});

/** The sessions the caller created, newest first, with their codes. Lecturers, admins, superadmins. */
export const listMine = permissionQuery("codedSessions.create")({
  args: {},
  returns: v.array(managedSessionSummaryValidator),
  handler: async (ctx) => await listCreatedSessions(ctx, ctx.viewer),
});

/** The sessions the caller joined, latest join first, without codes. Any signed-in user. */
export const listJoined = userQuery({
  args: {},
  returns: v.array(joinedSessionValidator),
  handler: async (ctx) => await listJoinedSessions(ctx, ctx.viewer),
});
