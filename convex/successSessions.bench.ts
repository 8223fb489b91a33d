import { expect, test } from "vitest";
import type { FunctionReference } from "convex/server";
import { api } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { newTest, seedUser } from "../testing/convex";
import { insertInChunks, measureReads, successSessionRow } from "../testing/bench";
import { DAY_MS, HOUR_MS } from "./model/time/units";

/**
 * Benchmark (`npm run bench`): documents read per call of the student and mentor session queries at
 * 10× and 100× data. Each scale unit is one course with 4 batches, 100 sessions (spread over ±50
 * days, interleaved with every other course's) and 200 enrolled students; 100× is 100 courses,
 * 10,000 sessions and 20,000 enrollments. The measured student has the same two enrollments at both
 * scales (a batch of course 0, unbatched in course 1) and the measured mentor hosts the same 40
 * sessions (in course 2), so the target is a figure that stays flat from 10× to 100×.
 */
const BATCHES_PER_COURSE = 4;
const SESSIONS_PER_COURSE = 100;
const ENROLLMENTS_PER_COURSE = 200;
const PROBE_MENTOR_SESSIONS = 40;
const PAGE_SIZE = 20;

type Row = { scale: string; query: string; timeframe: string; documentsRead: number; databaseQueries: number; pageItems: number; milliseconds: number };

async function seedScale(scale: number) {
  const t = newTest();
  const now = Date.now();
  const admin = await seedUser(t, { roles: ["admin"] });
  const mentorIds = await t.run(async (ctx) => {
    const ids: Id<"users">[] = [];
    for (let index = 0; index < 20; index += 1) {
      ids.push(await ctx.db.insert("users", { name: `Mentor ${index}`, email: `mentor${index}@example.com`, roles: ["mentor"], active: true }));
    }
    return ids;
  });
  const catalog = await t.run(async (ctx) => {
    const courses: { courseId: Id<"courses">; batchIds: Id<"batches">[] }[] = [];
    for (let course = 0; course < scale; course += 1) {
      const courseId = await ctx.db.insert("courses", { title: `Course ${course}`, description: "", status: "active" });
      const batchIds: Id<"batches">[] = [];
      for (let batch = 0; batch < BATCHES_PER_COURSE; batch += 1) {
        batchIds.push(await ctx.db.insert("batches", { courseId, name: `Batch ${batch}`, status: "active" }));
      }
      courses.push({ courseId, batchIds });
    }
    return courses;
  });

  // Sessions: every course's 100 sessions are spread over the same ±50 days, so they interleave.
  const sessions = catalog.flatMap(({ courseId, batchIds }, course) =>
    Array.from({ length: SESSIONS_PER_COURSE }, (_, index) => {
      const startsAt = now - 50 * DAY_MS + index * DAY_MS + (course % 24) * HOUR_MS + 7 * 60 * 1000;
      const audience = index % (BATCHES_PER_COURSE + 1);
      return {
        courseId,
        batchId: audience === BATCHES_PER_COURSE ? null : batchIds[audience],
        mentorId: mentorIds[(course + index) % mentorIds.length],
        startsAt,
      };
    }),
  );
  await insertInChunks(t, sessions.length, (ctx, index) =>
    ctx.db.insert(
      "successSessions",
      successSessionRow({
        title: `Session ${index}`,
        ...sessions[index],
        status: sessions[index].startsAt + HOUR_MS <= now ? "completed" : "upcoming",
        createdBy: admin.userId,
      }),
    ),
  );

  // Students and enrollments: 200 per course, across its batches and unbatched.
  const enrollments = catalog.flatMap(({ courseId, batchIds }, course) =>
    Array.from({ length: ENROLLMENTS_PER_COURSE }, (_, index) => ({
      course,
      index,
      courseId,
      batchId: index % (BATCHES_PER_COURSE + 1) === BATCHES_PER_COURSE ? null : batchIds[index % (BATCHES_PER_COURSE + 1)],
    })),
  );
  await insertInChunks(t, enrollments.length, async (ctx, index) => {
    const enrollment = enrollments[index];
    const studentId = await ctx.db.insert("users", {
      name: `Student ${enrollment.course}-${enrollment.index}`,
      email: `student${enrollment.course}-${enrollment.index}@example.com`,
      roles: ["student"],
      active: true,
    });
    await ctx.db.insert("enrollments", {
      studentId,
      courseId: enrollment.courseId,
      batchId: enrollment.batchId,
      status: "active",
      enrolledAt: now - 60 * DAY_MS,
    });
  });

  // The measured student and mentor: the same shape at every scale.
  const probeStudent = await seedUser(t, { roles: ["student"] });
  const probeMentor = await seedUser(t, { roles: ["mentor"] });
  await t.run(async (ctx) => {
    await ctx.db.insert("enrollments", {
      studentId: probeStudent.userId,
      courseId: catalog[0].courseId,
      batchId: catalog[0].batchIds[0],
      status: "active",
      enrolledAt: now - 60 * DAY_MS,
    });
    await ctx.db.insert("enrollments", {
      studentId: probeStudent.userId,
      courseId: catalog[1].courseId,
      batchId: null,
      status: "active",
      enrolledAt: now - 60 * DAY_MS,
    });
    for (let index = 0; index < PROBE_MENTOR_SESSIONS; index += 1) {
      const startsAt = now - 20 * DAY_MS + index * DAY_MS + 3 * HOUR_MS;
      await ctx.db.insert(
        "successSessions",
        successSessionRow({
          title: `Probe mentor session ${index}`,
          courseId: catalog[2].courseId,
          batchId: catalog[2].batchIds[index % BATCHES_PER_COURSE],
          mentorId: probeMentor.userId,
          startsAt,
          status: startsAt + HOUR_MS <= now ? "completed" : "upcoming",
          createdBy: admin.userId,
        }),
      );
    }
  });
  return { t, probeStudent, probeMentor, totals: { sessions: sessions.length + PROBE_MENTOR_SESSIONS, enrollments: enrollments.length + 2 } };
}

/** Runs `query` as the user behind `as` and returns its page size with {@link measureReads}' metrics. */
async function measure(
  as: Awaited<ReturnType<typeof seedUser>>["as"],
  query: FunctionReference<"query", "public", { timeframe: "upcoming" | "past"; paginationOpts: { numItems: number; cursor: string | null }; now: number }>,
  timeframe: "upcoming" | "past",
) {
  return await measureReads(as, async (ctx) => {
    const result = (await ctx.runQuery(query, { timeframe, paginationOpts: { numItems: PAGE_SIZE, cursor: null }, now: Date.now() })) as { page: unknown[] };
    return { pageItems: result.page.length };
  });
}

test("success session queries read the same number of documents at 10× and 100× data", async () => {
  const rows: Row[] = [];
  for (const scale of [10, 100]) {
    const { probeStudent, probeMentor, totals } = await seedScale(scale);
    const label = `${scale}× (${totals.sessions} sessions, ${totals.enrollments} enrollments)`;
    for (const timeframe of ["upcoming", "past"] as const) {
      rows.push({ scale: label, query: "listForStudent", timeframe, ...(await measure(probeStudent.as, api.successSessions.listForStudent, timeframe)) });
      rows.push({ scale: label, query: "listForMentor", timeframe, ...(await measure(probeMentor.as, api.successSessions.listForMentor, timeframe)) });
    }
  }
  console.table(rows);
  const at = (scale: string, query: string, timeframe: string) =>
    rows.find((row) => row.scale.startsWith(scale) && row.query === query && row.timeframe === timeframe)!;
  for (const query of ["listForStudent", "listForMentor"]) {
    for (const timeframe of ["upcoming", "past"]) {
      const small = at("10×", query, timeframe);
      const large = at("100×", query, timeframe);
      expect(small.pageItems, `${query} ${timeframe} returns a full page`).toBe(PAGE_SIZE);
      expect(large.pageItems).toBe(PAGE_SIZE);
      expect(large.documentsRead, `${query} ${timeframe}: documents read flat from 10× to 100×`).toBe(small.documentsRead);
      // A page of 20 plus the caller, their enrollments and the names shown: far below the data size.
      expect(large.documentsRead).toBeLessThan(4 * PAGE_SIZE);
    }
  }
});
