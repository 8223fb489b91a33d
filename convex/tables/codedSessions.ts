import { defineTable } from "convex/server";
import { v } from "convex/values";
import { literals } from "convex-helpers/validators";

export const codedSessionStatusValidator = literals("open", "closed");

/** Join-by-code sessions and their participants (SPEC §4). */
export const codedSessionTables = {
  codedSessions: defineTable({
    title: v.string(),
    description: v.string(),
    /**
     * The join code: 6 characters of Crockford base32 (`0-9`, `A-Z` without I, L, O, U), upper case.
     * Unique among `open` sessions; a closed session keeps its last code so that entering it answers
     * "this session is closed" instead of "wrong code".
     */
    code: v.string(),
    lecturerId: v.id("users"),
    status: codedSessionStatusValidator,
    /** Epoch milliseconds after which the code stops working; absent = open until closed. */
    endsAt: v.optional(v.number()),
    /** Epoch milliseconds when the class itself starts (shown to participants and on their schedule); absent = no set time. */
    startsAt: v.optional(v.number()),
    /** http(s) link participants open to attend (video call, classroom), if the lecturer gave one. */
    meetingUrl: v.optional(v.string()),
    /** What participants need to know to attend (room, dial-in, what to prepare); up to 2000 characters. */
    instructions: v.optional(v.string()),
    /** Epoch milliseconds when the session was created. */
    createdAt: v.number(),
    /** Epoch milliseconds when the session was closed. */
    closedAt: v.optional(v.number()),
  })
    .index("by_code_and_status", ["code", "status"])
    .index("by_lecturerId_and_createdAt", ["lecturerId", "createdAt"])
    .index("by_status_and_createdAt", ["status", "createdAt"]),

  codedSessionParticipants: defineTable({
    sessionId: v.id("codedSessions"),
    userId: v.id("users"),
    /** Epoch milliseconds of the first successful join. */
    joinedAt: v.number(),
  })
    .index("by_sessionId_and_userId", ["sessionId", "userId"])
    .index("by_sessionId_and_joinedAt", ["sessionId", "joinedAt"])
    .index("by_userId_and_joinedAt", ["userId", "joinedAt"]),
};
