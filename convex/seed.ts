import { v } from "convex/values";
import { internalMutation } from "./_generated/server";
import { seedCatalog } from "./model/seed/catalog";
import { seedCoaching } from "./model/seed/coaching";
import { seedCodedAndExpertSessions } from "./model/seed/codedAndExpert";
import { seedSuccessSessions } from "./model/seed/successSessions";
import { DAY_MS } from "./model/time/units";

/**
 * Creates the demo data for a local deployment: one user per persona (see `model/users/personas.ts`),
 * courses with batches, a pathway, students who are batched, unbatched, paused and cancelled,
 * products including a coaching product, and each feature's demo sessions. Idempotent: running it
 * again leaves the same data. Internal; run with `npx convex run seed:init` (`npm run dev` does).
 */
export const init = internalMutation({
  args: {},
  returns: v.object({ users: v.number(), courses: v.number(), products: v.number() }),
  handler: async (ctx) => {
    const now = Date.now();
    const startOfToday = Math.floor(now / DAY_MS) * DAY_MS;
    const catalog = await seedCatalog(ctx, startOfToday);
    await seedCodedAndExpertSessions(ctx, catalog, startOfToday);
    await seedSuccessSessions(ctx, catalog, startOfToday, now);
    await seedCoaching(ctx, catalog, startOfToday, now);
    return {
      users: Object.keys(catalog.usersBySubject).length + catalog.extraStudentIds.length,
      courses: Object.keys(catalog.courses).length,
      products: Object.keys(catalog.products).length,
    };
  },
});
