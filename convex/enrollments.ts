import { paginationResultValidator } from "convex/server";
import { paginationArg } from "./model/validation";
import { v } from "convex/values";
import { permissionMutation, permissionQuery, userQuery } from "./model/functions";
import {
  enrollmentWithNamesValidator,
  enrollStudent,
  grantProductAccess as grantAccess,
  productAccessWithProductTitleValidator,
  productAccessWithStudentValidator,
  revokeProductAccess as revokeAccess,
  updateEnrollment,
  withEnrollmentNames,
} from "./model/catalog/enrollments";
import { toPublicUser } from "./model/users/accounts";
import { enrollmentStatusValidator, productAccessStatusValidator } from "./tables/catalog";

/**
 * Enrollments and product access (SPEC §2). Enrollment managers, admins and superadmins manage them
 * (`enrollments.manage`); students read their own (`mine`, `myProductAccess`).
 */

/** Enrolls a student in a course; see `model/catalog/enrollments.ts#enrollStudent`. */
export const enroll = permissionMutation("enrollments.manage")({
  args: {
    studentId: v.id("users"),
    courseId: v.id("courses"),
    batchId: v.union(v.id("batches"), v.null()),
    pathwayId: v.optional(v.id("pathways")),
  },
  returns: v.id("enrollments"),
  handler: (ctx, args) => enrollStudent(ctx, args, Date.now()),
});

/** Changes an enrollment's batch or status; see `model/catalog/enrollments.ts#updateEnrollment`. */
export const update = permissionMutation("enrollments.manage")({
  args: {
    enrollmentId: v.id("enrollments"),
    batchId: v.optional(v.union(v.id("batches"), v.null())),
    status: v.optional(enrollmentStatusValidator),
  },
  returns: v.null(),
  handler: (ctx, { enrollmentId, ...changes }) => updateEnrollment(ctx, enrollmentId, changes),
});

/**
 * A course's enrollments, a page at a time, with student and batch names. `batch`: omitted = all,
 * `"unbatched"`, or a batch id; `status` filters by status through the index. Staff.
 */
export const listForCourse = permissionQuery("catalog.read")({
  args: {
    courseId: v.id("courses"),
    batch: v.optional(v.union(v.id("batches"), v.literal("unbatched"))),
    status: v.optional(enrollmentStatusValidator),
    paginationOpts: paginationArg,
  },
  returns: paginationResultValidator(enrollmentWithNamesValidator),
  handler: async (ctx, { courseId, batch, status, paginationOpts }) => {
    const batchId = batch === undefined ? undefined : batch === "unbatched" ? null : batch;
    const query =
      batchId !== undefined
        ? ctx.db
            .query("enrollments")
            .withIndex("by_courseId_and_batchId_and_status", (q) =>
              status === undefined
                ? q.eq("courseId", courseId).eq("batchId", batchId)
                : q.eq("courseId", courseId).eq("batchId", batchId).eq("status", status),
            )
        : ctx.db
            .query("enrollments")
            .withIndex("by_courseId_and_status", (q) =>
              status === undefined ? q.eq("courseId", courseId) : q.eq("courseId", courseId).eq("status", status),
            );
    const page = await query.paginate(paginationOpts);
    return { ...page, page: await Promise.all(page.page.map((row) => withEnrollmentNames(ctx, row))) };
  },
});

/** A student's enrollments (every status) with course and batch names. Staff. */
export const listForStudent = permissionQuery("catalog.read")({
  args: { studentId: v.id("users") },
  returns: v.array(enrollmentWithNamesValidator),
  handler: async (ctx, { studentId }) => {
    const rows = await ctx.db
      .query("enrollments")
      .withIndex("by_studentId_and_courseId", (q) => q.eq("studentId", studentId))
      .take(200);
    return await Promise.all(rows.map((row) => withEnrollmentNames(ctx, row)));
  },
});

/**
 * The signed-in user's own enrollments (every status), with course and batch names, newest first.
 * Any signed-in user (students see their courses; others usually have none).
 */
export const mine = userQuery({
  args: {},
  returns: v.array(enrollmentWithNamesValidator.omit("student")),
  handler: async (ctx) => {
    const rows = await ctx.db
      .query("enrollments")
      .withIndex("by_studentId_and_courseId", (q) => q.eq("studentId", ctx.viewer._id))
      .take(200);
    const named = await Promise.all(rows.map((row) => withEnrollmentNames(ctx, row)));
    return named
      .map(({ student: _student, ...rest }) => rest)
      .sort((a, b) => b.enrolledAt - a.enrolledAt);
  },
});

/** Grants a student access to a product; see `model/catalog/enrollments.ts#grantProductAccess`. */
export const grantProductAccess = permissionMutation("enrollments.manage")({
  args: { studentId: v.id("users"), productId: v.id("products") },
  returns: v.id("productAccess"),
  handler: (ctx, { studentId, productId }) => grantAccess(ctx, studentId, productId, Date.now()),
});

/** Revokes a product access grant; see `model/catalog/enrollments.ts#revokeProductAccess`. */
export const revokeProductAccess = permissionMutation("enrollments.manage")({
  args: { accessId: v.id("productAccess") },
  returns: v.null(),
  handler: (ctx, { accessId }) => revokeAccess(ctx, accessId, Date.now()),
});

/** The students with access to a product (`status` default active), a page at a time. Staff. */
export const listProductAccess = permissionQuery("catalog.read")({
  args: {
    productId: v.id("products"),
    status: v.optional(productAccessStatusValidator),
    paginationOpts: paginationArg,
  },
  returns: paginationResultValidator(productAccessWithStudentValidator),
  handler: async (ctx, { productId, status, paginationOpts }) => {
    const page = await ctx.db
      .query("productAccess")
      .withIndex("by_productId_and_status", (q) => q.eq("productId", productId).eq("status", status ?? "active"))
      .paginate(paginationOpts);
    const rows = await Promise.all(
      page.page.map(async (row) => {
        const student = await ctx.db.get("users", row.studentId);
        return { ...row, student: student === null ? null : toPublicUser(student) };
      }),
    );
    return { ...page, page: rows };
  },
});

/** A student's product access rows (both statuses) with product titles. Staff. */
export const listProductAccessForStudent = permissionQuery("catalog.read")({
  args: { studentId: v.id("users") },
  returns: v.array(productAccessWithProductTitleValidator),
  handler: async (ctx, { studentId }) => {
    const rows = await ctx.db
      .query("productAccess")
      .withIndex("by_studentId_and_productId", (q) => q.eq("studentId", studentId))
      .take(200);
    return await Promise.all(
      rows.map(async (row) => ({ ...row, productTitle: (await ctx.db.get("products", row.productId))?.title ?? "(deleted product)" })),
    );
  },
});
