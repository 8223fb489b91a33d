import { vi } from "vitest";
import type { Doc, Id } from "../../_generated/dataModel";
import { api } from "../../_generated/api";
import { seedCourse, seedEnrollment, seedUser, type TestBackend } from "../../../testing/convex";
import { DAY_MS } from "../time/units";

/**
 * Shared fixtures of the success-session tests (not a Convex module: two dots in the name). The
 * "scheduling checklist" world: Course A with Batch 1 and Batch 2, Course B, students in every
 * situation, two mentors and staff.
 */

/** Builds the checklist world. */
export async function checklistWorld(t: TestBackend) {
  const admin = await seedUser(t, { roles: ["admin"], name: "Adam Admin" });
  const enrollmentManager = await seedUser(t, { roles: ["enrollment_manager"], name: "Elena Enrollments" });
  const superadmin = await seedUser(t, { roles: ["superadmin"], name: "Sofia Superadmin" });
  const mentor = await seedUser(t, { roles: ["mentor"], name: "Maya Mentor" });
  const otherMentor = await seedUser(t, { roles: ["mentor"], name: "Omar Mentor" });
  const courseA = await seedCourse(t, "Course A", ["Batch 1", "Batch 2"]);
  const courseB = await seedCourse(t, "Course B", ["Batch 1"]);
  const batch1 = courseA.batchIds["Batch 1"];
  const batch2 = courseA.batchIds["Batch 2"];

  const student = async (name: string, courseId: Id<"courses">, batchId: Id<"batches"> | null, status: "active" | "paused" | "cancelled" | "completed" = "active") => {
    const user = await seedUser(t, { roles: ["student"], name });
    await seedEnrollment(t, { studentId: user.userId, courseId, batchId, status, enrolledAt: Date.now() - 30 * DAY_MS });
    return user;
  };
  const students = {
    batch1: await student("Ada Batch1", courseA.courseId, batch1),
    batch2: await student("Bo Batch2", courseA.courseId, batch2),
    unbatched: await student("Cy Unbatched", courseA.courseId, null),
    courseB: await student("Di CourseB", courseB.courseId, courseB.batchIds["Batch 1"]),
    courseBUnbatched: await student("Ed CourseB Unbatched", courseB.courseId, null),
    paused: await student("Fa Paused", courseA.courseId, batch1, "paused"),
    cancelled: await student("Gu Cancelled", courseA.courseId, batch1, "cancelled"),
    completed: await student("Ha Completed", courseA.courseId, null, "completed"),
  };
  return { admin, enrollmentManager, superadmin, mentor, otherMentor, courseA, courseB, batch1, batch2, students };
}

export type ChecklistWorld = Awaited<ReturnType<typeof checklistWorld>>;

/** Creates one session through the public API as `world.admin` (defaults: Course A / Batch 1, the mentor, tomorrow, 60 min). */
export async function createSession(
  world: ChecklistWorld,
  overrides: Partial<{
    title: string;
    courseId: Id<"courses">;
    batchId: Id<"batches"> | null;
    mentorId: Id<"users">;
    startsAt: number;
    endsAt: number;
    timeZone: string;
    meetingUrl: string;
    zoomMeetingId: string;
    zoomPasscode: string;
    recordingUrl: string;
  }> = {},
): Promise<Id<"successSessions">> {
  const { sessionIds } = await world.admin.as.mutation(api.successSessions.create, {
    title: "Sprint review",
    courseId: world.courseA.courseId,
    batchId: world.batch1,
    mentorId: world.mentor.userId,
    startsAt: Date.now() + DAY_MS,
    timeZone: "Europe/Berlin",
    meetingUrl: "https://zoom.example.com/j/123",
    ...overrides,
  });
  return sessionIds[0];
}

/** Schedules a weekly series in Berlin as `world.admin`, from `firstStart` (epoch ms); returns ids in start order. */
export async function createWeeklySeries(world: ChecklistWorld, occurrences: number, firstStart: number, mentorId?: Id<"users">) {
  return await world.admin.as.mutation(api.successSessions.create, {
    title: "Weekly Q&A",
    courseId: world.courseA.courseId,
    batchId: world.batch1,
    mentorId: mentorId ?? world.mentor.userId,
    startsAt: firstStart,
    timeZone: "Europe/Berlin",
    meetingUrl: "https://zoom.example.com/j/1",
    recurrence: { frequency: "weekly", occurrences },
  });
}

/** Lets the notice jobs run (fake timers, five rounds of a second), then returns the outbox emails of `event`. */
export async function emailsAfterNotices(t: TestBackend, event: Doc<"emailOutbox">["event"]) {
  for (let round = 0; round < 5; round += 1) {
    vi.advanceTimersByTime(1000);
    await t.finishInProgressScheduledFunctions();
  }
  const emails = await t.run((ctx) => ctx.db.query("emailOutbox").collect());
  return emails.filter((email) => email.event === event);
}
