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

/** Creates a coded session; see `model/codedSessions/lifecycle.ts#createCodedSession`. */
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

/** Replaces a session's join code; see `model/codedSessions/lifecycle.ts#regenerateJoinCode`. */
export const regenerateCode = permissionMutation("codedSessions.create")({
  args: { sessionId: v.id("codedSessions") },
  returns: v.string(),
  handler: async (ctx, { sessionId }) => await regenerateJoinCode(ctx, ctx.viewer, sessionId, Date.now()),
});

/** Closes a session; see `model/codedSessions/lifecycle.ts#closeCodedSession`. */
export const close = permissionMutation("codedSessions.create")({
  args: { sessionId: v.id("codedSessions") },
  returns: v.null(),
  handler: (ctx, { sessionId }) => closeCodedSession(ctx, ctx.viewer, sessionId, Date.now()),
});

/** Closes a session at its end time (scheduled by `create`); see `model/codedSessions/lifecycle.ts#closeEndedCodedSession`. */
export const closeAtEnd = internalMutation({
  args: { sessionId: v.id("codedSessions") },
  returns: v.null(),
  handler: (ctx, { sessionId }) => closeEndedCodedSession(ctx, sessionId, Date.now()),
});

/** A session's page; see `model/codedSessions/views.ts#viewCodedSession`. */
export const get = userQuery({
  args: { sessionId: v.id("codedSessions") },
  returns: v.union(codedSessionViewValidator, v.null()),
  handler: async (ctx, { sessionId }) => await viewCodedSession(ctx, ctx.viewer, sessionId),
});

/** What a code opens, before joining; see `model/codedSessions/joining.ts#previewByCode`. */
export const previewByCode = permissionMutation("codedSessions.join")({
  args: { code: textArg("Code", 50) },
  returns: codeLookupResultValidator,
  handler: async (ctx, { code }) => await previewSessionByCode(ctx, ctx.viewer, code, Date.now()),
});

/** Joins the session a code opens; see `model/codedSessions/joining.ts#joinByCode`. */
export const joinByCode = permissionMutation("codedSessions.join")({
  args: { code: textArg("Code", 50) },
  returns: codeLookupResultValidator,
  handler: async (ctx, { code }) => await joinSessionByCode(ctx, ctx.viewer, code, Date.now()),
});

/** A session's participants; see `model/codedSessions/views.ts#listParticipants`. */
export const participants = userQuery({
  args: { sessionId: v.id("codedSessions") },
  returns: v.union(v.array(participantValidator), v.null()),
  handler: async (ctx, { sessionId }) => await listParticipants(ctx, ctx.viewer, sessionId),
});

/** The sessions the caller created; see `model/codedSessions/views.ts#listCreatedSessions`. */
export const listMine = permissionQuery("codedSessions.create")({
  args: {},
  returns: v.array(managedSessionSummaryValidator),
  handler: async (ctx) => await listCreatedSessions(ctx, ctx.viewer),
});

/** The sessions the caller joined; see `model/codedSessions/views.ts#listJoinedSessions`. */
export const listJoined = userQuery({
  args: {},
  returns: v.array(joinedSessionValidator),
  handler: async (ctx) => await listJoinedSessions(ctx, ctx.viewer),
});
