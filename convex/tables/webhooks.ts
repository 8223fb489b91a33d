import { defineTable } from "convex/server";
import { v } from "convex/values";
import { literals } from "convex-helpers/validators";

/** Who signs the webhooks we receive (both through svix). */
export const webhookSourceValidator = literals("clerk", "resend");

/** Bookkeeping that makes signed webhooks safe to replay and to receive out of order. */
export const webhookTables = {
  /**
   * svix message ids (`svix-id`) already applied, per source. A signed request sent again inside
   * svix's five-minute timestamp tolerance is acknowledged and changes nothing. Rows expire after
   * the window (`expiresAt`, epoch ms) and are deleted a few at a time by later deliveries.
   */
  webhookMessages: defineTable({
    source: webhookSourceValidator,
    messageId: v.string(),
    expiresAt: v.number(),
  })
    .index("by_source_and_messageId", ["source", "messageId"])
    .index("by_expiresAt", ["expiresAt"]),

  /**
   * Per Clerk user, when the newest applied event happened (Clerk's event `timestamp`, epoch ms) and
   * whether it deleted the user. An older event (a retry or reordered delivery) never overrides a
   * newer one; a deletion that arrives before the creation is remembered here.
   */
  clerkUserEvents: defineTable({
    externalId: v.string(),
    eventAt: v.number(),
    deleted: v.boolean(),
  }).index("by_externalId", ["externalId"]),
};
