import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import type { CoachingWorld } from "../../../convex/model/coaching/fixtures.testing";

/** Test-only helpers of the coaching UI tests (jsdom), over `coachingWorld`. Not imported by app code. */

/**
 * Books the world's coaching product with `coach` at `startTime` (epoch milliseconds) as `student`
 * would, through `coaching.book`; resolves to the new session's id.
 */
export async function bookCoaching(
  world: CoachingWorld,
  { student, coach, startTime }: { student: CoachingWorld["amira"]; coach: CoachingWorld["john"]; startTime: number },
): Promise<Id<"coachingSessions">> {
  return await student.as.mutation(api.coaching.book, { coachingProductId: world.coachingProductId, coachId: coach.userId, startTime });
}
