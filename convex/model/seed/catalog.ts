import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import { PERSONAS, personaTokenIdentifier } from "../users/personas";
import type { Role } from "../users/roles";
import { setUserRoles } from "../users/accounts";
import { DAY_MS } from "../time/units";
import { rowsWithStatus } from "../catalog/lookups";
import type { CatalogStatus } from "../../tables/catalog";

/**
 * Demo people, courses, batches, pathways, enrollments and products. Every row is found by a natural
 * key (tokenIdentifier, email, title, name, student × course) and created or brought back to the
 * demo state, so running the seed again changes nothing.
 */

/** Extra students without a persona (they cannot sign in locally; they make lists look real). */
const EXTRA_STUDENTS = [
  { name: "Farah Haddad", email: "farah.haddad@example.com" },
  { name: "Gustavo Lima", email: "gustavo.lima@example.com" },
  { name: "Hana Kobayashi", email: "hana.kobayashi@example.com" },
  { name: "Ivan Petrov", email: "ivan.petrov@example.com" },
  { name: "Julia Nowak", email: "julia.nowak@example.com" },
  { name: "Kwame Mensah", email: "kwame.mensah@example.com" },
];

const COURSES = [
  {
    title: "Full-Stack Web Development",
    description: "HTML to production: React, Node, databases and deployment, in 24 weeks.",
    batches: [
      { name: "Batch 11", status: "archived" as const, startOffsetDays: -240 },
      { name: "Batch 12", status: "active" as const, startOffsetDays: -60 },
      { name: "Batch 13", status: "active" as const, startOffsetDays: 14 },
    ],
  },
  {
    title: "Data Science Foundations",
    description: "Python, statistics, machine learning and storytelling with data.",
    batches: [
      { name: "Batch 1", status: "active" as const, startOffsetDays: -90 },
      { name: "Batch 2", status: "active" as const, startOffsetDays: -20 },
    ],
  },
  {
    title: "UX Design Essentials",
    description: "Research, wireframes, prototypes and usability testing.",
    batches: [{ name: "Batch 1", status: "active" as const, startOffsetDays: -30 }],
  },
];

const PRODUCTS = [
  { title: "Job Readiness Programme", description: "CV reviews, mock interviews and career workshops.", kind: "job_readiness" as const },
  { title: "1:1 Career Coaching", description: "Private 45-minute sessions with a career coach.", kind: "coaching" as const },
  { title: "Interview Prep Library", description: "Recorded expert talks on technical interviews.", kind: "other" as const },
];

/** The ids the other feature seeds build on. */
export type SeededCatalog = {
  usersBySubject: Record<string, Id<"users">>;
  extraStudentIds: Id<"users">[];
  courses: Record<string, Id<"courses">>;
  batches: Record<string, Id<"batches">>;
  products: Record<string, Id<"products">>;
};

async function upsertUser(
  ctx: MutationCtx,
  user: { name: string; email: string; roles: Role[]; timeZone?: string; tokenIdentifier?: string; externalId?: string },
): Promise<Id<"users">> {
  const existing = user.tokenIdentifier
    ? await ctx.db
        .query("users")
        .withIndex("by_tokenIdentifier", (q) => q.eq("tokenIdentifier", user.tokenIdentifier))
        .unique()
    : await ctx.db
        .query("users")
        .withIndex("by_email", (q) => q.eq("email", user.email))
        .first();
  const fields = {
    name: user.name,
    email: user.email,
    active: true,
    ...(user.timeZone ? { timeZone: user.timeZone } : {}),
    ...(user.tokenIdentifier ? { tokenIdentifier: user.tokenIdentifier } : {}),
    ...(user.externalId ? { externalId: user.externalId } : {}),
  };
  const userId = existing?._id ?? (await ctx.db.insert("users", { ...fields, roles: [] }));
  if (existing) await ctx.db.patch("users", existing._id, fields);
  await setUserRoles(ctx, userId, user.roles);
  return userId;
}

/** The row titled `title` among the active, then the archived rows `ofStatus` reads. */
async function findByTitle<Row extends { title: string }>(ofStatus: (status: CatalogStatus) => Promise<Row[]>, title: string): Promise<Row | null> {
  for (const status of ["active", "archived"] as const) {
    const match = (await ofStatus(status)).find((row) => row.title === title);
    if (match) return match;
  }
  return null;
}

async function upsertEnrollment(
  ctx: MutationCtx,
  enrollment: Omit<Doc<"enrollments">, "_id" | "_creationTime">,
): Promise<void> {
  const existing = await ctx.db
    .query("enrollments")
    .withIndex("by_studentId_and_courseId", (q) => q.eq("studentId", enrollment.studentId).eq("courseId", enrollment.courseId))
    .first();
  if (existing) await ctx.db.replace("enrollments", existing._id, enrollment);
  else await ctx.db.insert("enrollments", enrollment);
}

async function upsertAccess(ctx: MutationCtx, studentId: Id<"users">, productId: Id<"products">, grantedAt: number) {
  const existing = await ctx.db
    .query("productAccess")
    .withIndex("by_studentId_and_productId", (q) => q.eq("studentId", studentId).eq("productId", productId))
    .first();
  const row = { studentId, productId, status: "active" as const, grantedAt };
  if (existing) await ctx.db.replace("productAccess", existing._id, row);
  else await ctx.db.insert("productAccess", row);
}

/**
 * Seeds people, catalog, enrollments and product access.
 * @param now epoch milliseconds the demo dates are relative to (start of the current day, UTC).
 */
export async function seedCatalog(ctx: MutationCtx, now: number): Promise<SeededCatalog> {
  const usersBySubject: Record<string, Id<"users">> = {};
  for (const persona of PERSONAS) {
    usersBySubject[persona.subject] = await upsertUser(ctx, {
      name: persona.name,
      email: persona.email,
      roles: [...persona.roles],
      timeZone: persona.timeZone,
      tokenIdentifier: personaTokenIdentifier(persona.subject),
      externalId: persona.subject,
    });
  }
  const extraStudentIds: Id<"users">[] = [];
  for (const student of EXTRA_STUDENTS) {
    extraStudentIds.push(await upsertUser(ctx, { ...student, roles: ["student"] }));
  }

  const courses: Record<string, Id<"courses">> = {};
  const batches: Record<string, Id<"batches">> = {};
  for (const course of COURSES) {
    const existing = await findByTitle((status) => rowsWithStatus(ctx, "courses", status), course.title);
    const courseId =
      existing?._id ?? (await ctx.db.insert("courses", { title: course.title, description: course.description, status: "active" }));
    if (existing) await ctx.db.patch("courses", courseId, { description: course.description, status: "active" });
    courses[course.title] = courseId;
    const current = [
      ...(await ctx.db
        .query("batches")
        .withIndex("by_courseId_and_status", (q) => q.eq("courseId", courseId))
        .take(500)),
    ];
    for (const batch of course.batches) {
      const fields = { courseId, name: batch.name, status: batch.status, startDate: now + batch.startOffsetDays * DAY_MS };
      const match = current.find((row) => row.name === batch.name);
      const batchId = match?._id ?? (await ctx.db.insert("batches", fields));
      if (match) await ctx.db.replace("batches", match._id, fields);
      batches[`${course.title}/${batch.name}`] = batchId;
    }
  }

  const pathwayTitle = "Career Switch Pathway";
  const pathwayFields = {
    title: pathwayTitle,
    description: "Web development and UX design for people changing careers.",
    courseIds: [courses["Full-Stack Web Development"], courses["UX Design Essentials"]],
    status: "active" as const,
  };
  const pathways = await ctx.db
    .query("pathways")
    .withIndex("by_status", (q) => q.eq("status", "active"))
    .take(500);
  const pathway = pathways.find((row) => row.title === pathwayTitle);
  const pathwayId = pathway?._id ?? (await ctx.db.insert("pathways", pathwayFields));
  if (pathway) await ctx.db.replace("pathways", pathway._id, pathwayFields);

  const products: Record<string, Id<"products">> = {};
  for (const product of PRODUCTS) {
    const existing = await findByTitle((status) => rowsWithStatus(ctx, "products", status), product.title);
    const productId = existing?._id ?? (await ctx.db.insert("products", { ...product, status: "active" }));
    if (existing) await ctx.db.replace("products", existing._id, { ...product, status: "active" });
    products[product.title] = productId;
  }

  const web = courses["Full-Stack Web Development"];
  const dataScience = courses["Data Science Foundations"];
  const ux = courses["UX Design Essentials"];
  const enrolledAt = (daysAgo: number) => now - daysAgo * DAY_MS;
  const s = usersBySubject;
  await upsertEnrollment(ctx, { studentId: s["persona-student-amira"], courseId: web, batchId: batches["Full-Stack Web Development/Batch 12"], pathwayId, status: "active", enrolledAt: enrolledAt(60) });
  await upsertEnrollment(ctx, { studentId: s["persona-student-amira"], courseId: ux, batchId: null, pathwayId, status: "completed", enrolledAt: enrolledAt(200) });
  await upsertEnrollment(ctx, { studentId: s["persona-student-ben"], courseId: web, batchId: null, status: "active", enrolledAt: enrolledAt(10) });
  await upsertEnrollment(ctx, { studentId: s["persona-student-chloe"], courseId: dataScience, batchId: batches["Data Science Foundations/Batch 2"], status: "active", enrolledAt: enrolledAt(20) });
  await upsertEnrollment(ctx, { studentId: s["persona-student-dev"], courseId: web, batchId: batches["Full-Stack Web Development/Batch 12"], status: "paused", enrolledAt: enrolledAt(55) });
  await upsertEnrollment(ctx, { studentId: s["persona-student-eva"], courseId: ux, batchId: batches["UX Design Essentials/Batch 1"], status: "cancelled", enrolledAt: enrolledAt(30) });
  const extraPlacements: [Id<"courses">, Id<"batches"> | null][] = [
    [web, batches["Full-Stack Web Development/Batch 12"]],
    [web, batches["Full-Stack Web Development/Batch 13"]],
    [web, null],
    [dataScience, batches["Data Science Foundations/Batch 1"]],
    [dataScience, batches["Data Science Foundations/Batch 2"]],
    [ux, batches["UX Design Essentials/Batch 1"]],
  ];
  for (const [index, studentId] of extraStudentIds.entries()) {
    const [courseId, batchId] = extraPlacements[index % extraPlacements.length];
    await upsertEnrollment(ctx, { studentId, courseId, batchId, status: "active", enrolledAt: enrolledAt(15 + index) });
  }

  await upsertAccess(ctx, s["persona-student-amira"], products["Job Readiness Programme"], enrolledAt(30));
  await upsertAccess(ctx, s["persona-student-amira"], products["1:1 Career Coaching"], enrolledAt(30));
  await upsertAccess(ctx, s["persona-student-chloe"], products["1:1 Career Coaching"], enrolledAt(15));
  await upsertAccess(ctx, s["persona-student-ben"], products["Interview Prep Library"], enrolledAt(5));
  for (const studentId of extraStudentIds.slice(0, 3)) {
    await upsertAccess(ctx, studentId, products["Job Readiness Programme"], enrolledAt(12));
  }

  return { usersBySubject, extraStudentIds, courses, batches, products };
}
