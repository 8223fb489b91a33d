import { defineTable } from "convex/server";
import { v } from "convex/values";
import { roleValidator } from "../model/users/roles";

/** People and their roles (SPEC §1). */
export const userTables = {
  users: defineTable({
    /** `ctx.auth` identity's tokenIdentifier ("<issuer>|<subject>"); absent for users created by staff before first sign-in. */
    tokenIdentifier: v.optional(v.string()),
    /** The identity provider's user id (Clerk user id, or persona subject) used by the Clerk webhook. */
    externalId: v.optional(v.string()),
    name: v.string(),
    email: v.string(),
    imageUrl: v.optional(v.string()),
    roles: v.array(roleValidator),
    discordUserId: v.optional(v.string()),
    discordUsername: v.optional(v.string()),
    /** IANA time zone, e.g. "Europe/Berlin". Absent → the browser's zone is used. */
    timeZone: v.optional(v.string()),
    /** Whether the mentor gets an attendance summary email after each session they host; absent = yes. */
    attendanceSummaryEmails: v.optional(v.boolean()),
    /** False once the account is deleted in Clerk; such users cannot call anything. */
    active: v.boolean(),
    deactivatedAt: v.optional(v.number()),
  })
    .index("by_tokenIdentifier", ["tokenIdentifier"])
    .index("by_externalId", ["externalId"])
    .index("by_email", ["email"])
    .index("by_discordUserId", ["discordUserId"]),

  /**
   * One row per (user, role): an index over `users.roles` so pickers ("all mentors") read only the
   * holders of a role. Written only by `model/users/accounts.ts#setUserRoles`, together with `users.roles`.
   */
  userRoles: defineTable({
    userId: v.id("users"),
    role: roleValidator,
  })
    .index("by_role", ["role"])
    .index("by_userId", ["userId"]),
};
