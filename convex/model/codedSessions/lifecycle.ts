import { internal } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { canManageCodedSession, type Viewer } from "../access";
import { throwError } from "../errors";
import { optionalText, requireHttpUrl, requireText } from "../validation";
import { type RandomBytes, cryptoRandomBytes, drawUniqueJoinCode } from "./joinCodes";
import { DAY_MS } from "../time/units";
import { requireDocument } from "../documents";

/** Coded sessions (SPEC §4): creating, closing and regenerating the code, by the lecturer or an admin. */

/** True when the session has an end time that has passed (`now` in epoch ms). */
export function hasEnded(session: Pick<Doc<"codedSessions">, "endsAt">, now: number): boolean {
  return session.endsAt !== undefined && session.endsAt <= now;
}

/** Longest instructions text of a coded session, in characters. */
export const MAX_INSTRUCTIONS_LENGTH = 2000;

/**
 * Creates an open coded session with a fresh join code and schedules its closing at `endsAt`.
 * Lecturers, admins and superadmins (`codedSessions.create`).
 * @param args.title 1–200 characters; `description` up to 5000; `endsAt` epoch ms in the future;
 *   `startsAt` epoch ms when the class starts (before `endsAt` when both are given, not more than a
 *   day in the past); `meetingUrl` an http(s) link; `instructions` up to {@link MAX_INSTRUCTIONS_LENGTH}
 *   characters. Empty `meetingUrl` / `instructions` are left out.
 * @param now epoch ms of creation.
 * @returns the new session's id and code.
 * @throws ConvexError INVALID_ARGUMENT for a bad title, description, start or end time, link or instructions
 *   (`details.field` names the field).
 */
export async function createCodedSession(
  ctx: MutationCtx,
  lecturer: Viewer,
  args: { title: string; description?: string; endsAt?: number; startsAt?: number; meetingUrl?: string; instructions?: string },
  now: number,
  randomBytes: RandomBytes = cryptoRandomBytes,
): Promise<{ sessionId: Id<"codedSessions">; code: string }> {
  const title = requireText("Title", args.title);
  const description = optionalText("Description", args.description);
  if (args.endsAt !== undefined && (!Number.isFinite(args.endsAt) || args.endsAt <= now)) {
    throwError("INVALID_ARGUMENT", "The end time must be in the future.", { field: "endsAt" });
  }
  if (args.startsAt !== undefined) {
    if (!Number.isFinite(args.startsAt) || args.startsAt < now - DAY_MS) {
      throwError("INVALID_ARGUMENT", "The start time must be today or later.", { field: "startsAt" });
    }
    if (args.endsAt !== undefined && args.startsAt >= args.endsAt) {
      throwError("INVALID_ARGUMENT", "The start time must be before the end time.", { field: "startsAt" });
    }
  }
  const meetingUrlText = args.meetingUrl?.trim() ?? "";
  const meetingUrl = meetingUrlText === "" ? undefined : requireHttpUrl("Meeting link", meetingUrlText);
  const instructionsText = optionalText("Instructions", args.instructions, MAX_INSTRUCTIONS_LENGTH);
  const instructions = instructionsText === "" ? undefined : instructionsText;
  const code = await drawUniqueJoinCode(ctx, randomBytes);
  const sessionId = await ctx.db.insert("codedSessions", {
    title,
    description,
    code,
    lecturerId: lecturer._id,
    status: "open",
    createdAt: now,
    ...(args.endsAt !== undefined ? { endsAt: args.endsAt } : {}),
    ...(args.startsAt !== undefined ? { startsAt: args.startsAt } : {}),
    ...(meetingUrl !== undefined ? { meetingUrl } : {}),
    ...(instructions !== undefined ? { instructions } : {}),
  });
  if (args.endsAt !== undefined) {
    await ctx.scheduler.runAt(args.endsAt, internal.codedSessions.closeAtEnd, { sessionId });
  }
  return { sessionId, code };
}

/**
 * Closes a session whose end time has come (body of the job {@link createCodedSession} schedules for
 * `endsAt`): its status becomes `closed` with `closedAt` = its end time, so lists and pages show it as
 * closed without comparing clocks. Does nothing when the session is gone, already closed or not yet
 * ended (a job that runs early). Internal: only the scheduler calls it.
 * @param now epoch ms.
 */
export async function closeEndedCodedSession(ctx: MutationCtx, sessionId: Id<"codedSessions">, now: number): Promise<void> {
  const session = await ctx.db.get("codedSessions", sessionId);
  if (session === null || session.status === "closed" || !hasEnded(session, now)) return;
  await ctx.db.patch("codedSessions", sessionId, { status: "closed", closedAt: session.endsAt });
}

/**
 * The session when `viewer` may manage it (see the code, regenerate, close).
 * @throws ConvexError NOT_FOUND when it does not exist or the viewer may not manage it (no existence leak).
 */
async function requireManagedSession(
  ctx: QueryCtx,
  viewer: Viewer,
  sessionId: Id<"codedSessions">,
): Promise<Doc<"codedSessions">> {
  return await requireDocument(ctx, "codedSessions", sessionId, "That session does not exist.", (session) => canManageCodedSession(viewer, session));
}

/**
 * Gives an open session a new join code; the old one stops working at once. Its creator or an admin.
 * @returns the new code.
 * @throws ConvexError NOT_FOUND (see {@link requireManagedSession}), FAILED_PRECONDITION when closed or ended.
 */
export async function regenerateJoinCode(
  ctx: MutationCtx,
  viewer: Viewer,
  sessionId: Id<"codedSessions">,
  now: number,
  randomBytes: RandomBytes = cryptoRandomBytes,
): Promise<string> {
  const session = await requireManagedSession(ctx, viewer, sessionId);
  if (session.status === "closed") throwError("FAILED_PRECONDITION", "This session is closed, so its code cannot be changed.");
  if (hasEnded(session, now)) throwError("FAILED_PRECONDITION", "This session has ended, so its code cannot be changed.");
  const code = await drawUniqueJoinCode(ctx, randomBytes);
  await ctx.db.patch("codedSessions", sessionId, { code });
  return code;
}

/**
 * Closes a session: its code stops working. Closing a closed session changes nothing. Its creator
 * or an admin.
 * @throws ConvexError NOT_FOUND (see {@link requireManagedSession}).
 */
export async function closeCodedSession(
  ctx: MutationCtx,
  viewer: Viewer,
  sessionId: Id<"codedSessions">,
  now: number,
): Promise<void> {
  const session = await requireManagedSession(ctx, viewer, sessionId);
  if (session.status === "closed") return;
  await ctx.db.patch("codedSessions", sessionId, { status: "closed", closedAt: now });
}
