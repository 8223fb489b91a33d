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
} from "./model/catalog/enrollments";
import {
  listCourseEnrollments,
  listOwnEnrollments,
  listProductAccessPage,
  listStudentEnrollments,
  listStudentProductAccess,
} from "./model/catalog/enrollmentLists";
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

/** A course's enrollments, a page at a time; see `model/catalog/enrollmentLists.ts#listCourseEnrollments`. */
export const listForCourse = permissionQuery("catalog.read")({
  args: {
    courseId: v.id("courses"),
    batch: v.optional(v.union(v.id("batches"), v.literal("unbatched"))),
    status: v.optional(enrollmentStatusValidator),
    paginationOpts: paginationArg,
  },
  returns: paginationResultValidator(enrollmentWithNamesValidator),
  handler: (ctx, args) => listCourseEnrollments(ctx, args),
});

/** A student's enrollments; see `model/catalog/enrollmentLists.ts#listStudentEnrollments`. */
export const listForStudent = permissionQuery("catalog.read")({
  args: { studentId: v.id("users") },
  returns: v.array(enrollmentWithNamesValidator),
  handler: (ctx, { studentId }) => listStudentEnrollments(ctx, studentId),
});

/** The signed-in user's own enrollments; see `model/catalog/enrollmentLists.ts#listOwnEnrollments`. */
export const mine = userQuery({
  args: {},
  returns: v.array(enrollmentWithNamesValidator.omit("student")),
  handler: (ctx) => listOwnEnrollments(ctx, ctx.viewer._id),
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

/** The students with access to a product, a page at a time; see `model/catalog/enrollmentLists.ts#listProductAccessPage`. */
export const listProductAccess = permissionQuery("catalog.read")({
  args: {
    productId: v.id("products"),
    status: v.optional(productAccessStatusValidator),
    paginationOpts: paginationArg,
  },
  returns: paginationResultValidator(productAccessWithStudentValidator),
  handler: (ctx, args) => listProductAccessPage(ctx, args),
});

/** A student's product access rows; see `model/catalog/enrollmentLists.ts#listStudentProductAccess`. */
export const listProductAccessForStudent = permissionQuery("catalog.read")({
  args: { studentId: v.id("users") },
  returns: v.array(productAccessWithProductTitleValidator),
  handler: (ctx, { studentId }) => listStudentProductAccess(ctx, studentId),
});
