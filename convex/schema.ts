import { defineSchema } from "convex/server";
import { userTables } from "./tables/users";
import { catalogTables } from "./tables/catalog";

/**
 * The whole data model. Each feature keeps its tables in `convex/tables/<feature>.ts`; this file only
 * combines them.
 */
export default defineSchema({
  ...userTables,
  ...catalogTables,
});
