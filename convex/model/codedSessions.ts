import { MINUTE, RateLimiter } from "@convex-dev/rate-limiter";
import { v, type Infer } from "convex/values";
import { components, internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { codedSessionStatusValidator } from "../tables/codedSessions";
import { canManageCodedSession, canSeeCodedSession, canSeeCodedSessionParticipants, type Viewer } from "./access";
import { throwError } from "./errors";
import { optionalText, requireText } from "./validation";

/**
 * Coded (join-by-code) sessions (SPEC §4): join codes, creating, joining and reading sessions.
 * The public functions in `convex/codedSessions.ts` are thin wrappers over these helpers.
 */

/** Crockford base32: digits and upper-case letters without I, L, O and U (32 symbols). */
export const JOIN_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** Characters in a join code (32^6 ≈ 1.07 billion codes). */
export const JOIN_CODE_LENGTH = 6;
/** How many codes {@link drawUniqueJoinCode} draws before giving up (a collision is already ~1 in a million). */
export const MAX_CODE_DRAWS = 20;
/** Wrong codes a user may enter per minute before `RATE_LIMITED`. */
export const WRONG_CODE_LIMIT_PER_MINUTE = 10;
/** Upper bound of participants a session page lists. */
export const PARTICIPANT_LIST_LIMIT = 1000;
/** Upper bound of sessions in "my sessions" and "joined sessions". */
export const SESSION_LIST_LIMIT = 100;

/** Fills and returns `length` random bytes. The default uses the platform's cryptographic generator. */
export type RandomBytes = (length: number) => Uint8Array;

/** `crypto.getRandomValues`: the cryptographic random source used outside tests. */
export const cryptoRandomBytes: RandomBytes = (length) => crypto.getRandomValues(new Uint8Array(length));

/**
 * Throttle of wrong join codes, one token bucket per user: 10 tokens, refilled at one a minute. Each
 * wrong code takes a token; with none left, every attempt (even the right code) is refused until one
 * refills. A bucket that refilled 10 a minute would let a sliding minute hold up to 19 wrong codes
 * (10 at once, then one every 6 s); refilling one a minute keeps every 60-second window at 10 or
 * fewer, and a user who ran out gets one more try each minute (all 10 back after 10 quiet minutes).
 */
export const joinCodeRateLimiter = new RateLimiter(components.rateLimiter, {
  wrongJoinCode: { kind: "token bucket", rate: 1, period: MINUTE, capacity: WRONG_CODE_LIMIT_PER_MINUTE },
});

/**
 * A new join code of {@link JOIN_CODE_LENGTH} characters from {@link JOIN_CODE_ALPHABET}.
 * Each byte picks a symbol by its low 5 bits; 256 is a multiple of 32, so every symbol is equally likely.
 * @param randomBytes the random source (default: `crypto.getRandomValues`); tests pass a fixed one.
 */
export function generateJoinCode(randomBytes: RandomBytes = cryptoRandomBytes): string {
  const bytes = randomBytes(JOIN_CODE_LENGTH);
  let code = "";
  for (let index = 0; index < JOIN_CODE_LENGTH; index += 1) {
    code += JOIN_CODE_ALPHABET[bytes[index] & 31];
  }
  return code;
}

/**
 * The canonical form of a code as typed by a person: upper case, without spaces and dashes, and with
 * Crockford's look-alikes read as the digits they resemble (O → 0, I and L → 1).
 * @returns the canonical code, or null when it is not 6 symbols of the alphabet.
 */
export function normalizeJoinCode(input: string): string | null {
  const code = input
    .toUpperCase()
    .replace(/[\s-]+/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  if (code.length !== JOIN_CODE_LENGTH) return null;
  for (const symbol of code) {
    if (!JOIN_CODE_ALPHABET.includes(symbol)) return null;
  }
  return code;
}

/** The open session holding `code`, if any (through the `by_code_and_status` index). */
export async function findOpenSessionByCode(ctx: QueryCtx, code: string): Promise<Doc<"codedSessions"> | null> {
  return await ctx.db
    .query("codedSessions")
    .withIndex("by_code_and_status", (q) => q.eq("code", code).eq("status", "open"))
    .first();
}

/**
 * Draws join codes until one is not held by an open session.
 * @param randomBytes the random source (default: `crypto.getRandomValues`).
 * @throws ConvexError CONFLICT when {@link MAX_CODE_DRAWS} draws all collide (practically impossible).
 */
export async function drawUniqueJoinCode(ctx: QueryCtx, randomBytes: RandomBytes = cryptoRandomBytes): Promise<string> {
  for (let draw = 0; draw < MAX_CODE_DRAWS; draw += 1) {
    const code = generateJoinCode(randomBytes);
    if ((await findOpenSessionByCode(ctx, code)) === null) return code;
  }
  throwError("CONFLICT", "Could not find a free join code. Please try again.");
}

/** True when the session has an end time that has passed (`now` in epoch ms). */
export function hasEnded(session: Pick<Doc<"codedSessions">, "endsAt">, now: number): boolean {
  return session.endsAt !== undefined && session.endsAt <= now;
}

/** What anyone allowed to see a session gets: its details without the code. */
export const codedSessionDetailsValidator = v.object({
  _id: v.id("codedSessions"),
  title: v.string(),
  description: v.string(),
  lecturerId: v.id("users"),
  lecturerName: v.string(),
  /** `open` until closed; an open session whose `endsAt` has passed no longer accepts joins (clients compare `endsAt` with their clock). */
  status: codedSessionStatusValidator,
  createdAt: v.number(),
  endsAt: v.optional(v.number()),
  closedAt: v.optional(v.number()),
});
export type CodedSessionDetails = Infer<typeof codedSessionDetailsValidator>;

/** The session's details without the code. */
export async function detailsOf(ctx: QueryCtx, session: Doc<"codedSessions">): Promise<CodedSessionDetails> {
  const lecturer = await ctx.db.get("users", session.lecturerId);
  return {
    _id: session._id,
    title: session.title,
    description: session.description,
    lecturerId: session.lecturerId,
    lecturerName: lecturer?.name ?? "Unknown lecturer",
    status: session.status,
    createdAt: session.createdAt,
    ...(session.endsAt !== undefined ? { endsAt: session.endsAt } : {}),
    ...(session.closedAt !== undefined ? { closedAt: session.closedAt } : {}),
  };
}

/**
 * Creates an open coded session with a fresh join code.
 * @param args.title 1–200 characters; `description` up to 5000; `endsAt` epoch ms in the future.
 * @param now epoch ms of creation.
 * @returns the new session's id and code.
 * @throws ConvexError INVALID_ARGUMENT for a bad title, description or end time.
 */
export async function createCodedSession(
  ctx: MutationCtx,
  lecturer: Viewer,
  args: { title: string; description?: string; endsAt?: number },
  now: number,
  randomBytes: RandomBytes = cryptoRandomBytes,
): Promise<{ sessionId: Id<"codedSessions">; code: string }> {
  const title = requireText("Title", args.title);
  const description = optionalText("Description", args.description);
  if (args.endsAt !== undefined && (!Number.isFinite(args.endsAt) || args.endsAt <= now)) {
    throwError("INVALID_ARGUMENT", "The end time must be in the future.", { field: "endsAt" });
  }
  const code = await drawUniqueJoinCode(ctx, randomBytes);
  const sessionId = await ctx.db.insert("codedSessions", {
    title,
    description,
    code,
    lecturerId: lecturer._id,
    status: "open",
    createdAt: now,
    ...(args.endsAt !== undefined ? { endsAt: args.endsAt } : {}),
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
 * ended (a job that runs early).
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
export async function requireManagedSession(
  ctx: QueryCtx,
  viewer: Viewer,
  sessionId: Id<"codedSessions">,
): Promise<Doc<"codedSessions">> {
  const session = await ctx.db.get("codedSessions", sessionId);
  if (session === null || !canManageCodedSession(viewer, session)) {
    throwError("NOT_FOUND", "That session does not exist.");
  }
  return session;
}

/**
 * Gives an open session a new join code; the old one stops working at once.
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
 * Closes a session: its code stops working. Closing a closed session changes nothing.
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

/** The answer to a code lookup that did not throw: the session, or a wrong code with the attempts left. */
export const codeLookupResultValidator = v.union(
  v.object({ status: v.literal("found"), session: codedSessionDetailsValidator }),
  v.object({ status: v.literal("joined"), session: codedSessionDetailsValidator, alreadyJoined: v.boolean(), joinedAt: v.number() }),
  v.object({ status: v.literal("wrong_code"), message: v.string(), attemptsLeft: v.number() }),
);
export type CodeLookupResult = Infer<typeof codeLookupResultValidator>;

/**
 * Throws RATE_LIMITED when the viewer has no wrong-code attempts left.
 * @throws ConvexError RATE_LIMITED with `details.retryAfterSeconds` and the seconds in the message.
 */
async function requireCodeAttemptAllowed(ctx: MutationCtx, viewer: Viewer): Promise<void> {
  const status = await joinCodeRateLimiter.check(ctx, "wrongJoinCode", { key: viewer._id });
  if (!status.ok) {
    const retryAfterSeconds = Math.max(1, Math.ceil(status.retryAfter / 1000));
    throwError("RATE_LIMITED", `Too many wrong codes. Try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
  }
}

/**
 * Counts one failed attempt against the viewer and builds the typed answer. The caller returns it
 * instead of throwing, so that the count is committed (a thrown error would roll the rate limiter's
 * write back).
 * @param reason what was wrong with the code, a sentence ("No open session has this code.").
 */
async function recordWrongCode(ctx: MutationCtx, viewer: Viewer, reason: string): Promise<CodeLookupResult> {
  await joinCodeRateLimiter.limit(ctx, "wrongJoinCode", { key: viewer._id });
  const { value } = await joinCodeRateLimiter.getValue(ctx, "wrongJoinCode", { key: viewer._id });
  const attemptsLeft = Math.max(0, Math.floor(value));
  return {
    status: "wrong_code",
    message:
      attemptsLeft > 0
        ? `${reason} Check it with your lecturer.`
        : `${reason} Too many wrong codes: wait a minute before trying again.`,
    attemptsLeft,
  };
}

/**
 * Finds the session a typed code opens, counting failed attempts against the viewer: an unknown code,
 * and equally the code of a closed or ended session (else anyone could probe, unthrottled, for codes
 * that once existed).
 * @returns the open session, or a `wrong_code` answer (already counted) that says whether the code
 *   is unknown or its session closed or ended.
 * @throws ConvexError RATE_LIMITED (no attempts left), INVALID_ARGUMENT (not 6 symbols of the alphabet).
 */
async function lookUpCode(
  ctx: MutationCtx,
  viewer: Viewer,
  input: string,
  now: number,
): Promise<{ session: Doc<"codedSessions"> } | { wrong: CodeLookupResult }> {
  await requireCodeAttemptAllowed(ctx, viewer);
  const code = normalizeJoinCode(input);
  if (code === null) {
    throwError("INVALID_ARGUMENT", "A join code has 6 letters and digits, for example 7K3-QX9.", { field: "code" });
  }
  const session = await findOpenSessionByCode(ctx, code);
  if (session !== null) {
    if (hasEnded(session, now)) return { wrong: await recordWrongCode(ctx, viewer, "This session has ended, so it cannot be joined any more.") };
    return { session };
  }
  const closed = await ctx.db
    .query("codedSessions")
    .withIndex("by_code_and_status", (q) => q.eq("code", code).eq("status", "closed"))
    .order("desc")
    .first();
  if (closed !== null) return { wrong: await recordWrongCode(ctx, viewer, "This session is closed, so it cannot be joined any more.") };
  return { wrong: await recordWrongCode(ctx, viewer, "No open session has this code.") };
}

/**
 * Shows what a code opens before joining: title, lecturer and times, never the code.
 * @param now epoch ms.
 * @returns `{ status: "found", session }` or `{ status: "wrong_code", message, attemptsLeft }`.
 * @throws ConvexError RATE_LIMITED, INVALID_ARGUMENT (see {@link lookUpCode}).
 */
export async function previewByCode(ctx: MutationCtx, viewer: Viewer, input: string, now: number): Promise<CodeLookupResult> {
  const found = await lookUpCode(ctx, viewer, input, now);
  if ("wrong" in found) return found.wrong;
  return { status: "found", session: await detailsOf(ctx, found.session) };
}

/**
 * Joins the session a code opens; joining again keeps the one participant row and its first join time.
 * @param now epoch ms of the join.
 * @returns `{ status: "joined", session, alreadyJoined, joinedAt }` or a `wrong_code` answer.
 * @throws ConvexError RATE_LIMITED, INVALID_ARGUMENT (see {@link lookUpCode}).
 */
export async function joinByCode(ctx: MutationCtx, viewer: Viewer, input: string, now: number): Promise<CodeLookupResult> {
  const found = await lookUpCode(ctx, viewer, input, now);
  if ("wrong" in found) return found.wrong;
  const { session } = found;
  const existing = await participantRow(ctx, session._id, viewer._id);
  const joinedAt = existing?.joinedAt ?? now;
  if (existing === null) {
    await ctx.db.insert("codedSessionParticipants", { sessionId: session._id, userId: viewer._id, joinedAt });
  }
  return { status: "joined", session: await detailsOf(ctx, session), alreadyJoined: existing !== null, joinedAt };
}

/** The participant row of `userId` in a session, if they joined. */
export async function participantRow(
  ctx: QueryCtx,
  sessionId: Id<"codedSessions">,
  userId: Id<"users">,
): Promise<Doc<"codedSessionParticipants"> | null> {
  return await ctx.db
    .query("codedSessionParticipants")
    .withIndex("by_session_and_user", (q) => q.eq("sessionId", sessionId).eq("userId", userId))
    .unique();
}

/** A session as its page shows it: details, the code only for those who manage it, and the viewer's relation. */
export const codedSessionViewValidator = v.object({
  ...codedSessionDetailsValidator.fields,
  /** Present only for the creator and admins. */
  code: v.optional(v.string()),
  canManage: v.boolean(),
  canSeeParticipants: v.boolean(),
  /** When the viewer joined, if they did. */
  joinedAt: v.optional(v.number()),
});
export type CodedSessionView = Infer<typeof codedSessionViewValidator>;

/**
 * The session page's data for `viewer`, or null when the session does not exist or the viewer may not
 * see it (see `access.ts#canSeeCodedSession`). The code is included only for its managers.
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
export type Participant = Infer<typeof participantValidator>;

/**
 * The participants of a session, latest arrival first (at most {@link PARTICIPANT_LIST_LIMIT}), or null
 * when the viewer may not see them (see `access.ts#canSeeCodedSessionParticipants`) or it does not exist.
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
    .withIndex("by_session_and_joinedAt", (q) => q.eq("sessionId", sessionId))
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

export const managedSessionSummaryValidator = v.object({
  ...codedSessionDetailsValidator.fields,
  code: v.string(),
});

/** The sessions `viewer` created, newest first (at most {@link SESSION_LIST_LIMIT}), with their codes. */
export async function listCreatedSessions(ctx: QueryCtx, viewer: Viewer) {
  const sessions = await ctx.db
    .query("codedSessions")
    .withIndex("by_lecturer_and_createdAt", (q) => q.eq("lecturerId", viewer._id))
    .order("desc")
    .take(SESSION_LIST_LIMIT);
  return await Promise.all(sessions.map(async (session) => ({ ...(await detailsOf(ctx, session)), code: session.code })));
}

export const joinedSessionValidator = v.object({
  ...codedSessionDetailsValidator.fields,
  joinedAt: v.number(),
});

/** The sessions `viewer` joined, latest join first (at most {@link SESSION_LIST_LIMIT}), without codes. */
export async function listJoinedSessions(ctx: QueryCtx, viewer: Viewer) {
  const rows = await ctx.db
    .query("codedSessionParticipants")
    .withIndex("by_user_and_joinedAt", (q) => q.eq("userId", viewer._id))
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
