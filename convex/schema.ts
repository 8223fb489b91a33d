import { defineSchema } from "convex/server";
import { userTables } from "./tables/users";
import { catalogTables } from "./tables/catalog";
import { coachingTables } from "./tables/coaching";
import { codedSessionTables } from "./tables/codedSessions";
import { expertSessionTables } from "./tables/expertSessions";
import { notificationTables } from "./tables/notifications";
import { successSessionTables } from "./tables/successSessions";
import { webhookTables } from "./tables/webhooks";

/**
 * The whole data model. Each feature keeps its tables in `convex/tables/<feature>.ts`; this file only
 * combines them.
 */
export default defineSchema({
  ...userTables,
  ...catalogTables,
  ...coachingTables,
  ...codedSessionTables,
  ...expertSessionTables,
  ...notificationTables,
  ...successSessionTables,
  ...webhookTables,
});
