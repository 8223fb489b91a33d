import { MINUTE, RateLimiter } from "@convex-dev/rate-limiter";
import { v, type Infer } from "convex/values";
import { components } from "../../_generated/api";
import type { Doc } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import { type Viewer } from "../access";
import { throwError } from "../errors";
import { normalizeJoinCode, findOpenSessionByCode } from "./joinCodes";
import { hasEnded } from "./lifecycle";
import { codedSessionDetailsValidator, detailsOf, participantRow } from "./views";

/** Coded sessions (SPEC §4): previewing and joining by code, with the wrong-code throttle. */

/** Wrong codes a user may enter per minute before `RATE_LIMITED`. */
const WRONG_CODE_LIMIT_PER_MINUTE = 10;

/**
 * Throttle of wrong join codes, one token bucket per user: 10 tokens, refilled at one a minute. Each
 * wrong code takes a token; with none left, every attempt (even the right code) is refused until one
 * refills. A bucket that refilled 10 a minute would let a sliding minute hold up to 19 wrong codes
 * (10 at once, then one every 6 s); refilling one a minute keeps every 60-second window at 10 or
 * fewer, and a user who ran out gets one more try each minute (all 10 back after 10 quiet minutes).
 */
const joinCodeRateLimiter = new RateLimiter(components.rateLimiter, {
  wrongJoinCode: { kind: "token bucket", rate: 1, period: MINUTE, capacity: WRONG_CODE_LIMIT_PER_MINUTE },
});

/** The answer to a code lookup that did not throw: the session, or a wrong code with the attempts left. */
export const codeLookupResultValidator = v.union(
  v.object({ status: v.literal("found"), session: codedSessionDetailsValidator }),
  v.object({ status: v.literal("joined"), session: codedSessionDetailsValidator, alreadyJoined: v.boolean(), joinedAt: v.number() }),
  v.object({ status: v.literal("wrong_code"), message: v.string(), attemptsLeft: v.number() }),
);
type CodeLookupResult = Infer<typeof codeLookupResultValidator>;

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
 * Shows what a code opens before joining: title, lecturer and times, never the code. A mutation
 * because wrong codes are counted. Any signed-in user with a role (`codedSessions.join`).
 * @param input the typed code: case-insensitive, may contain spaces and dashes.
 * @param now epoch ms.
 * @returns `{ status: "found", session }` or `{ status: "wrong_code", message, attemptsLeft }`.
 * @throws ConvexError RATE_LIMITED (`details.retryAfterSeconds`), INVALID_ARGUMENT (see {@link lookUpCode});
 *   a closed or ended session's code is a counted `wrong_code` answer.
 */
export async function previewByCode(ctx: MutationCtx, viewer: Viewer, input: string, now: number): Promise<CodeLookupResult> {
  const found = await lookUpCode(ctx, viewer, input, now);
  if ("wrong" in found) return found.wrong;
  return { status: "found", session: await detailsOf(ctx, found.session) };
}

/**
 * Joins the session a code opens; joining again keeps the one participant row and its first join time.
 * Any signed-in user with a role (`codedSessions.join`); the answer never contains the code.
 * @param input the typed code, as for {@link previewByCode}.
 * @param now epoch ms of the join.
 * @returns `{ status: "joined", session, alreadyJoined, joinedAt }` or a `wrong_code` answer.
 * @throws ConvexError RATE_LIMITED (`details.retryAfterSeconds`), INVALID_ARGUMENT (see {@link lookUpCode});
 *   a closed or ended session's code is a counted `wrong_code` answer.
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
