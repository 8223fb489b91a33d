import { describe, expect, test } from "vitest";
import { api } from "./_generated/api";
import type { Role } from "./model/users/roles";
import { ROLES } from "./model/users/roles";
import { errorCodeOf, newTest, seedCourse, seedEnrollment, seedProduct, seedUser, seedUserPerRole, type TestBackend } from "../testing/convex";

type Person = Awaited<ReturnType<typeof seedUser>>;

/**
 * Runs `call` once per role and anonymously: roles in `allowed` must succeed, every other role
 * must get FORBIDDEN and the anonymous caller UNAUTHENTICATED.
 */
async function expectOnlyRoles(
  t: TestBackend,
  allowed: Role[],
  call: (caller: Person["as"] | TestBackend) => Promise<unknown>,
) {
  const people = await seedUserPerRole(t);
  for (const role of ROLES) {
    if (allowed.includes(role)) {
      await expect(call(people[role].as), `${role} should be allowed`).resolves.not.toThrow();
    } else {
      expect(await errorCodeOf(call(people[role].as)), `${role} should be refused`).toBe("FORBIDDEN");
    }
  }
  expect(await errorCodeOf(call(t))).toBe("UNAUTHENTICATED");
}

const STAFF: Role[] = ["enrollment_manager", "admin", "superadmin"];
const ADMINS: Role[] = ["admin", "superadmin"];

describe("catalog access", () => {
  test("staff read courses, batches, products and pathways; nobody else does", async () => {
    const t = newTest();
    const { courseId } = await seedCourse(t, "Course A", ["Batch 1"]);
    await expectOnlyRoles(t, STAFF, (as) => as.query(api.catalog.listCourses, {}));
    await expectOnlyRoles(t, STAFF, (as) => as.query(api.catalog.listBatches, { courseId }));
    await expectOnlyRoles(t, STAFF, (as) => as.query(api.catalog.getCourse, { courseId }));
    await expectOnlyRoles(t, STAFF, (as) => as.query(api.catalog.listProducts, {}));
    await expectOnlyRoles(t, STAFF, (as) => as.query(api.catalog.listPathways, {}));
  });

  test("only admins and superadmins change the catalog", async () => {
    const t = newTest();
    const { courseId, batchIds } = await seedCourse(t, "Course A", ["Batch 1"]);
    const productId = await seedProduct(t, "Product", "other");
    await expectOnlyRoles(t, ADMINS, (as) => as.mutation(api.catalog.createCourse, { title: `Course ${Math.random()}` }));
    await expectOnlyRoles(t, ADMINS, (as) => as.mutation(api.catalog.updateCourse, { courseId, description: "New" }));
    await expectOnlyRoles(t, ADMINS, (as) => as.mutation(api.catalog.createBatch, { courseId, name: `Batch ${Math.random()}` }));
    await expectOnlyRoles(t, ADMINS, (as) => as.mutation(api.catalog.updateBatch, { batchId: batchIds["Batch 1"], name: "Batch One" }));
    await expectOnlyRoles(t, ADMINS, (as) => as.mutation(api.catalog.createProduct, { title: "P", kind: "other" }));
    await expectOnlyRoles(t, ADMINS, (as) => as.mutation(api.catalog.updateProduct, { productId, title: "Q" }));
    await expectOnlyRoles(t, ADMINS, (as) => as.mutation(api.catalog.createPathway, { title: "Path", courseIds: [courseId] }));
  });

  test("students read only their own enrollments and products", async () => {
    const t = newTest();
    const { courseId, batchIds } = await seedCourse(t, "Web", ["Batch 1"]);
    const amira = await seedUser(t, { roles: ["student"] });
    const ben = await seedUser(t, { roles: ["student"] });
    await seedEnrollment(t, { studentId: amira.userId, courseId, batchId: batchIds["Batch 1"] });
    await seedProduct(t, "Coaching", "coaching", [amira.userId]);
    const mine = await amira.as.query(api.enrollments.mine, {});
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ courseTitle: "Web", batchName: "Batch 1", status: "active" });
    expect(await ben.as.query(api.enrollments.mine, {})).toEqual([]);
    expect((await amira.as.query(api.catalog.myProducts, {})).map((product) => product.title)).toEqual(["Coaching"]);
    expect(await ben.as.query(api.catalog.myProducts, {})).toEqual([]);
    expect(await errorCodeOf(t.query(api.enrollments.mine, {}))).toBe("UNAUTHENTICATED");
    expect(await errorCodeOf(amira.as.query(api.enrollments.listForStudent, { studentId: ben.userId }))).toBe("FORBIDDEN");
  });
});

describe("catalog input", () => {
  test("empty titles, duplicate batch names and unknown courses are refused and write nothing", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    const { courseId } = await seedCourse(t, "Web", ["Batch 1"]);
    expect(await errorCodeOf(admin.as.mutation(api.catalog.createCourse, { title: "   " }))).toBe("INVALID_ARGUMENT");
    expect(await errorCodeOf(admin.as.mutation(api.catalog.createBatch, { courseId, name: "batch 1" }))).toBe("CONFLICT");
    const otherCourse = await seedCourse(t, "Temp");
    await t.run((ctx) => ctx.db.delete("courses", otherCourse.courseId));
    expect(await errorCodeOf(admin.as.mutation(api.catalog.createBatch, { courseId: otherCourse.courseId, name: "X" }))).toBe("NOT_FOUND");
    const counts = await t.run(async (ctx) => ({
      courses: (await ctx.db.query("courses").collect()).length,
      batches: (await ctx.db.query("batches").collect()).length,
    }));
    expect(counts).toEqual({ courses: 1, batches: 1 });
  });

  test("archived batches are listed only on request, after the active ones", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    const { courseId } = await seedCourse(t, "Web", ["Batch 10", "Batch 9", "Batch 2"], ["Batch 2"]);
    const active = await admin.as.query(api.catalog.listBatches, { courseId });
    expect(active.map((batch) => batch.name)).toEqual(["Batch 9", "Batch 10"]);
    const all = await admin.as.query(api.catalog.listBatches, { courseId, includeArchived: true });
    expect(all.map((batch) => batch.name)).toEqual(["Batch 9", "Batch 10", "Batch 2"]);
  });
});

describe("enrollments", () => {
  test("enrollment managers, admins and superadmins enroll; others are refused", async () => {
    const t = newTest();
    const { courseId } = await seedCourse(t, "Web", ["Batch 1"]);
    await expectOnlyRoles(t, STAFF, async (as) => {
      const student = await seedUser(t, { roles: ["student"] });
      return await as.mutation(api.enrollments.enroll, { studentId: student.userId, courseId, batchId: null });
    });
  });

  test("a batch of another course, an archived batch, a non-student and a double enrollment are refused", async () => {
    const t = newTest();
    const manager = await seedUser(t, { roles: ["enrollment_manager"] });
    const web = await seedCourse(t, "Web", ["Batch 1", "Old"], ["Old"]);
    const data = await seedCourse(t, "Data", ["Batch 1"]);
    const student = await seedUser(t, { roles: ["student"] });
    const coach = await seedUser(t, { roles: ["coach"] });
    const enroll = (args: Partial<Parameters<typeof manager.as.mutation<typeof api.enrollments.enroll>>[1]>) =>
      manager.as.mutation(api.enrollments.enroll, { studentId: student.userId, courseId: web.courseId, batchId: null, ...args });
    expect(await errorCodeOf(enroll({ batchId: data.batchIds["Batch 1"] }))).toBe("INVALID_ARGUMENT");
    expect(await errorCodeOf(enroll({ batchId: web.batchIds["Old"] }))).toBe("INVALID_ARGUMENT");
    expect(await errorCodeOf(enroll({ studentId: coach.userId }))).toBe("INVALID_ARGUMENT");
    expect(await t.run((ctx) => ctx.db.query("enrollments").collect())).toHaveLength(0);

    const enrollmentId = await enroll({ batchId: web.batchIds["Batch 1"] });
    expect(await errorCodeOf(enroll({}))).toBe("CONFLICT");
    await manager.as.mutation(api.enrollments.update, { enrollmentId, status: "cancelled" });
    expect(await enroll({})).toBe(enrollmentId);
    const row = await t.run((ctx) => ctx.db.get("enrollments", enrollmentId));
    expect(row).toMatchObject({ status: "active", batchId: null });
  });

  test("moving an enrollment to a batch of another course is refused", async () => {
    const t = newTest();
    const manager = await seedUser(t, { roles: ["enrollment_manager"] });
    const web = await seedCourse(t, "Web", ["Batch 1", "Batch 2"]);
    const data = await seedCourse(t, "Data", ["Batch 1"]);
    const student = await seedUser(t, { roles: ["student"] });
    const enrollmentId = await seedEnrollment(t, { studentId: student.userId, courseId: web.courseId, batchId: web.batchIds["Batch 1"] });
    expect(
      await errorCodeOf(manager.as.mutation(api.enrollments.update, { enrollmentId, batchId: data.batchIds["Batch 1"] })),
    ).toBe("INVALID_ARGUMENT");
    await manager.as.mutation(api.enrollments.update, { enrollmentId, batchId: web.batchIds["Batch 2"] });
    await manager.as.mutation(api.enrollments.update, { enrollmentId, batchId: null });
    expect((await t.run((ctx) => ctx.db.get("enrollments", enrollmentId)))?.batchId).toBeNull();
  });

  test("course enrollment lists filter by batch, unbatched and status through indexes", async () => {
    const t = newTest();
    const manager = await seedUser(t, { roles: ["enrollment_manager"] });
    const web = await seedCourse(t, "Web", ["Batch 1"]);
    const students = await Promise.all([0, 1, 2, 3].map(() => seedUser(t, { roles: ["student"] })));
    await seedEnrollment(t, { studentId: students[0].userId, courseId: web.courseId, batchId: web.batchIds["Batch 1"] });
    await seedEnrollment(t, { studentId: students[1].userId, courseId: web.courseId, batchId: null });
    await seedEnrollment(t, { studentId: students[2].userId, courseId: web.courseId, batchId: null, status: "paused" });
    await seedEnrollment(t, { studentId: students[3].userId, courseId: web.courseId, batchId: web.batchIds["Batch 1"], status: "cancelled" });
    const list = (args: { batch?: "unbatched" | (typeof web.batchIds)[string]; status?: "active" | "paused" }) =>
      manager.as
        .query(api.enrollments.listForCourse, { courseId: web.courseId, paginationOpts: { numItems: 50, cursor: null }, ...args })
        .then((page) => page.page.map((row) => row.student?._id).sort());
    expect(await list({})).toEqual(students.map((student) => student.userId).sort());
    expect(await list({ batch: "unbatched" })).toEqual([students[1].userId, students[2].userId].sort());
    expect(await list({ batch: "unbatched", status: "active" })).toEqual([students[1].userId]);
    expect(await list({ batch: web.batchIds["Batch 1"], status: "active" })).toEqual([students[0].userId]);
  });

  test("product access is granted once, revoked and granted again", async () => {
    const t = newTest();
    const manager = await seedUser(t, { roles: ["enrollment_manager"] });
    const student = await seedUser(t, { roles: ["student"] });
    const productId = await seedProduct(t, "Coaching", "coaching");
    await expectOnlyRoles(t, STAFF, (as) => as.mutation(api.enrollments.grantProductAccess, { studentId: student.userId, productId }));
    const accessId = await manager.as.mutation(api.enrollments.grantProductAccess, { studentId: student.userId, productId });
    expect(await t.run((ctx) => ctx.db.query("productAccess").collect())).toHaveLength(1);
    await manager.as.mutation(api.enrollments.revokeProductAccess, { accessId });
    expect(await student.as.query(api.catalog.myProducts, {})).toEqual([]);
    const page = await manager.as.query(api.enrollments.listProductAccess, { productId, status: "revoked", paginationOpts: { numItems: 10, cursor: null } });
    expect(page.page.map((row) => row.student?._id)).toEqual([student.userId]);
    await manager.as.mutation(api.enrollments.grantProductAccess, { studentId: student.userId, productId });
    expect((await student.as.query(api.catalog.myProducts, {})).map((product) => product._id)).toEqual([productId]);
  });
});

describe("getProduct", () => {
  test("staff get a product by the id in the URL; malformed and foreign ids are not found", async () => {
    const t = newTest();
    const productId = await seedProduct(t, "Coaching", "coaching");
    const { courseId } = await seedCourse(t, "Web");
    await expectOnlyRoles(t, STAFF, (as) => as.query(api.catalog.getProduct, { productId }));
    const admin = await seedUser(t, { roles: ["admin"] });
    expect((await admin.as.query(api.catalog.getProduct, { productId }))?.title).toBe("Coaching");
    expect(await admin.as.query(api.catalog.getProduct, { productId: "not-an-id" })).toBeNull();
    expect(await admin.as.query(api.catalog.getProduct, { productId: courseId })).toBeNull();
  });
});
