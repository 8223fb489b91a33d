import { afterEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { newTest, type TestBackend } from "../testing/convex";
import { checklistWorld, createSession } from "./model/successSessions/fixtures.testing";
import { outboxRows, settle } from "./model/notifications/notifications.testkit";
import { AUDIENCE_REMOVED_EVENT } from "./model/notifications/audienceRemoval";
import { DAY_MS, HOUR_MS } from "./model/time/units";

/** Schedule changes notify all participants (issue 13 point 6, SPEC §7, seed 001). */

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

async function setUp() {
  vi.useFakeTimers();
  const t = newTest();
  const world = await checklistWorld(t);
  return { t, world, start: Date.now() };
}

/** Outbox rows of `event` per recipient id. */
async function emailsOf(t: TestBackend, event: string) {
  return (await outboxRows(t)).filter((row) => row.event === event);
}

async function enrollmentOf(t: TestBackend, studentId: Id<"users">) {
  return await t.run(async (ctx) => (await ctx.db.query("enrollments").withIndex("by_studentId_and_courseId", (q) => q.eq("studentId", studentId)).first())!);
}

describe("a success session moved to another batch or course", () => {
  test("students who lose it get a cancellation with a CANCEL invite (same UID, higher SEQUENCE); those who gain it get the invite", async () => {
    const { t, world, start } = await setUp();
    const sessionId = await createSession(world, { startsAt: start + DAY_MS });
    await settle(t);
    const ada = world.students.batch1;
    const bo = world.students.batch2;
    expect(await emailsOf(t, AUDIENCE_REMOVED_EVENT)).toEqual([]);

    await world.admin.as.mutation(api.successSessions.update, { sessionId, scope: "this", batchId: world.batch2 });
    await settle(t);

    const removals = await emailsOf(t, AUDIENCE_REMOVED_EVENT);
    expect(removals.map((email) => email.recipientUserId)).toEqual([ada.userId]);
    const [removal] = removals;
    expect(removal!.subject).toBe("No longer on your schedule: Sprint review");
    const ics = removal!.attachments![0]!.content;
    expect(ics).toContain("METHOD:CANCEL");
    expect(ics).toContain(`UID:success-${sessionId}@sessions-hub`);
    expect(ics).toContain("SEQUENCE:1");
    const invites = (await emailsOf(t, "successSession.created")).filter((email) => email.recipientUserId === ada.userId);
    expect(invites[0]!.attachments![0]!.content).toContain("SEQUENCE:0");

    const gained = (await emailsOf(t, "successSession.changed")).find((email) => email.recipientUserId === bo.userId);
    expect(gained!.attachments![0]!.content).toContain("METHOD:REQUEST");
    expect(gained!.attachments![0]!.content).toContain(`UID:success-${sessionId}@sessions-hub`);
    // Ada, who lost it, gets no "changed" invite; only she (not the paused or cancelled students of Batch 1) got a removal.
    expect((await emailsOf(t, "successSession.changed")).some((email) => email.recipientUserId === ada.userId)).toBe(false);

    // Delivering the same move again sends nothing new.
    await t.mutation(internal.notifications.deliverSessionsLeftAudience, {
      sessionIds: [sessionId],
      courseId: world.courseA.courseId,
      batchId: world.batch1,
      cursor: null,
    });
    expect(await emailsOf(t, AUDIENCE_REMOVED_EVENT)).toHaveLength(1);
  });

  test("moving to another course cancels it for the old course's audience; an edit that keeps the audience cancels nothing", async () => {
    const { t, world, start } = await setUp();
    const sessionId = await createSession(world, { startsAt: start + DAY_MS, batchId: null });
    await world.admin.as.mutation(api.successSessions.update, { sessionId, scope: "this", title: "Sprint review (new room)" });
    await settle(t);
    expect(await emailsOf(t, AUDIENCE_REMOVED_EVENT)).toEqual([]);

    await world.admin.as.mutation(api.successSessions.update, { sessionId, scope: "this", courseId: world.courseB.courseId, batchId: null });
    await settle(t);
    expect((await emailsOf(t, AUDIENCE_REMOVED_EVENT)).map((email) => email.recipientUserId)).toEqual([world.students.unbatched.userId]);
  });
});

describe("an enrollment change that removes a student from an audience", () => {
  test("pausing sends the student a cancellation for each upcoming session of their batch, once; past and other batches' sessions are left alone", async () => {
    const { t, world, start } = await setUp();
    await createSession(world, { startsAt: start + HOUR_MS, endsAt: start + 2 * HOUR_MS });
    const upcoming = await createSession(world, { startsAt: start + 2 * DAY_MS });
    await createSession(world, { startsAt: start + 2 * DAY_MS, batchId: world.batch2, mentorId: world.otherMentor.userId });
    await settle(t);
    vi.setSystemTime(start + DAY_MS);
    const ada = world.students.batch1;
    const enrollment = await enrollmentOf(t, ada.userId);

    await world.enrollmentManager.as.mutation(api.enrollments.update, { enrollmentId: enrollment._id, status: "paused" });
    await settle(t);
    const removals = await emailsOf(t, AUDIENCE_REMOVED_EVENT);
    expect(removals.map((email) => [email.recipientUserId, email.entityId])).toEqual([[ada.userId, `success-${upcoming}`]]);
    expect(removals[0]!.attachments![0]!.content).toContain("METHOD:CANCEL");
    expect(removals[0]!.attachments![0]!.content).toContain("SEQUENCE:1");

    // Resuming sends no removal; pausing again for the same sessions sends nothing twice.
    await world.enrollmentManager.as.mutation(api.enrollments.update, { enrollmentId: enrollment._id, status: "active" });
    await world.enrollmentManager.as.mutation(api.enrollments.update, { enrollmentId: enrollment._id, status: "paused" });
    await settle(t);
    expect(await emailsOf(t, AUDIENCE_REMOVED_EVENT)).toHaveLength(1);
  });

  test("moving a student to another batch cancels their old batch's upcoming sessions; the new batch's stay", async () => {
    const { t, world, start } = await setUp();
    const batch1Session = await createSession(world, { startsAt: start + DAY_MS });
    await createSession(world, { startsAt: start + DAY_MS, batchId: world.batch2, mentorId: world.otherMentor.userId });
    await settle(t);
    const ada = world.students.batch1;
    const enrollment = await enrollmentOf(t, ada.userId);

    await world.enrollmentManager.as.mutation(api.enrollments.update, { enrollmentId: enrollment._id, batchId: world.batch2 });
    await settle(t);
    expect((await emailsOf(t, AUDIENCE_REMOVED_EVENT)).map((email) => [email.recipientUserId, email.entityId])).toEqual([
      [ada.userId, `success-${batch1Session}`],
    ]);
  });
});
