import { expect, test } from "vitest";
import { api } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { newTest, seedUser } from "../testing/convex";
import { coachingSessionRow, insertInChunks, measureReads, successSessionRow } from "../testing/bench";
import { DAY_MS, HOUR_MS } from "./model/time/units";

/**
 * Benchmark (`npm run bench`): documents read by one `schedule.mine` call (a month view, 42 days)
 * at 10× and 100× data, with Convex's transaction limits enforced. Each scale unit is one course
 * with 2 batches and 60 success sessions over ±60 days, 50 enrolled students, 40 coaching sessions
 * and 5 coded sessions with 20 participants each, all of other people. The measured student (two
 * enrollments, 6 coaching bookings, 3 joined coded sessions), mentor (30 hosted sessions) and coach
 * (12 sessions) are the same at both scales, so documents read must stay flat from 10× to 100×.
 */
const SESSIONS_PER_COURSE = 60;
const STUDENTS_PER_COURSE = 50;
const COACHING_PER_COURSE = 40;
const CODED_PER_COURSE = 5;
const PARTICIPANTS_PER_CODED = 20;

async function seedScale(scale: number, now: number) {
  const t = newTest({ transactionLimits: true });
  const admin = await seedUser(t, { roles: ["admin"] });
  const probeStudent = await seedUser(t, { roles: ["student"] });
  const probeMentor = await seedUser(t, { roles: ["mentor"] });
  const probeCoach = await seedUser(t, { roles: ["coach"] });
  const lecturer = await seedUser(t, { roles: ["lecturer"] });
  const { otherMentor, otherCoach, productId, coachingProductId } = await t.run(async (ctx) => {
    const productId = await ctx.db.insert("products", { title: "Coaching", description: "", kind: "coaching", status: "active" });
    const otherCoach = await ctx.db.insert("users", { name: "Other coach", email: "coach@example.com", roles: ["coach"], active: true });
    const coachingProductId = await ctx.db.insert("coachingProducts", {
      productId,
      title: "1:1",
      description: "",
      durationMinutes: 60,
      priceCents: 0,
      coachIds: [otherCoach, probeCoach.userId],
      active: true,
    });
    const otherMentor = await ctx.db.insert("users", { name: "Other mentor", email: "mentor@example.com", roles: ["mentor"], active: true });
    return { otherMentor, otherCoach, productId, coachingProductId };
  });

  const courses: { courseId: Id<"courses">; batchIds: Id<"batches">[] }[] = [];
  await t.run(async (ctx) => {
    for (let course = 0; course < scale; course += 1) {
      const courseId = await ctx.db.insert("courses", { title: `Course ${course}`, description: "", status: "active" });
      const batchIds = [
        await ctx.db.insert("batches", { courseId, name: "Batch A", status: "active" }),
        await ctx.db.insert("batches", { courseId, name: "Batch B", status: "active" }),
      ];
      courses.push({ courseId, batchIds });
    }
  });
  const successSession = (courseId: Id<"courses">, batchId: Id<"batches"> | null, mentorId: Id<"users">, startsAt: number, title: string) =>
    successSessionRow({ title, courseId, batchId, mentorId, startsAt, status: "upcoming", createdBy: admin.userId });
  const coachingSession = (coachId: Id<"users">, studentId: Id<"users">, startTime: number, discordKey: string) =>
    coachingSessionRow({ coachId, studentId, coachingProductId, productId, startTime, durationMinutes: 60, discordKey, provisioningState: "pending" });
  // Everyone else's data.
  await insertInChunks(t, scale * SESSIONS_PER_COURSE, async (ctx, index) => {
    const { courseId, batchIds } = courses[index % scale];
    const startsAt = now - 60 * DAY_MS + Math.floor(index / scale) * 2 * DAY_MS + (index % 24) * HOUR_MS;
    await ctx.db.insert("successSessions", successSession(courseId, index % 3 === 2 ? null : batchIds[index % 2], otherMentor, startsAt, `Session ${index}`));
  });
  await insertInChunks(t, scale * STUDENTS_PER_COURSE, async (ctx, index) => {
    const { courseId, batchIds } = courses[index % scale];
    const studentId = await ctx.db.insert("users", { name: `Student ${index}`, email: `s${index}@example.com`, roles: ["student"], active: true });
    await ctx.db.insert("enrollments", { studentId, courseId, batchId: batchIds[index % 2], status: "active", enrolledAt: now - 90 * DAY_MS });
    if (index < scale * COACHING_PER_COURSE) {
      await ctx.db.insert("coachingSessions", coachingSession(otherCoach, studentId, now - 30 * DAY_MS + (index % 60) * DAY_MS, `k${index}`));
    }
    if (index % (STUDENTS_PER_COURSE / CODED_PER_COURSE) === 0) {
      const sessionId = await ctx.db.insert("codedSessions", {
        title: `Lab ${index}`,
        description: "",
        code: `C${index}`,
        lecturerId: await ctx.db.insert("users", { name: `Lecturer ${index}`, email: `l${index}@example.com`, roles: ["lecturer"], active: true }),
        status: "open",
        createdAt: now - DAY_MS,
        endsAt: now + (index % 30) * DAY_MS,
      });
      for (let participant = 0; participant < PARTICIPANTS_PER_CODED; participant += 1) {
        await ctx.db.insert("codedSessionParticipants", { sessionId, userId: studentId, joinedAt: now - DAY_MS + participant });
      }
    }
  });
  // The measured people: the same at every scale.
  await t.run(async (ctx) => {
    await ctx.db.insert("enrollments", { studentId: probeStudent.userId, courseId: courses[0].courseId, batchId: courses[0].batchIds[0], status: "active", enrolledAt: now - 90 * DAY_MS });
    await ctx.db.insert("enrollments", { studentId: probeStudent.userId, courseId: courses[1].courseId, batchId: null, status: "active", enrolledAt: now - 90 * DAY_MS });
    for (let index = 0; index < 30; index += 1) {
      await ctx.db.insert("successSessions", successSession(courses[2].courseId, courses[2].batchIds[0], probeMentor.userId, now - 10 * DAY_MS + index * DAY_MS, `Hosted ${index}`));
    }
    for (let index = 0; index < 12; index += 1) {
      const studentId = index < 6 ? probeStudent.userId : (await ctx.db.insert("users", { name: "Booked", email: `b${index}@example.com`, roles: ["student"], active: true }));
      await ctx.db.insert("coachingSessions", coachingSession(probeCoach.userId, studentId, now + index * 3 * DAY_MS, `p${index}`));
    }
    for (let index = 0; index < 3; index += 1) {
      const sessionId = await ctx.db.insert("codedSessions", {
        title: `Probe lab ${index}`,
        description: "",
        code: `P${index}`,
        lecturerId: lecturer.userId,
        status: "open",
        createdAt: now - DAY_MS,
        startsAt: now + index * DAY_MS,
        endsAt: now + index * DAY_MS + 2 * HOUR_MS,
      });
      await ctx.db.insert("codedSessionParticipants", { sessionId, userId: probeStudent.userId, joinedAt: now - DAY_MS });
    }
  });
  return { probeStudent, probeMentor, probeCoach, lecturer };
}

async function measure(as: Awaited<ReturnType<typeof seedUser>>["as"], now: number) {
  return await measureReads(as, async (ctx) => {
    const schedule = await ctx.runQuery(api.schedule.mine, { from: now - 7 * DAY_MS, to: now + 35 * DAY_MS, timeZone: "Europe/Berlin", now });
    return { items: schedule.items.length, truncated: schedule.truncated };
  });
}

test("schedule.mine reads the same number of documents at 10× and 100× data", async () => {
  const now = Date.now();
  const rows: ({ scale: string; person: string } & Awaited<ReturnType<typeof measure>>)[] = [];
  for (const scale of [10, 100]) {
    const people = await seedScale(scale, now);
    for (const person of ["probeStudent", "probeMentor", "probeCoach", "lecturer"] as const) {
      rows.push({ scale: `${scale}×`, person, ...(await measure(people[person].as, now)) });
    }
  }
  console.table(rows);
  for (const person of ["probeStudent", "probeMentor", "probeCoach", "lecturer"]) {
    const small = rows.find((row) => row.scale === "10×" && row.person === person)!;
    const large = rows.find((row) => row.scale === "100×" && row.person === person)!;
    expect(small.items, `${person} sees their items`).toBeGreaterThan(0);
    expect(large.items).toBe(small.items);
    expect(large.truncated).toBe(false);
    expect(large.documentsRead, `${person}: documents read flat from 10× to 100×`).toBe(small.documentsRead);
  }
});
