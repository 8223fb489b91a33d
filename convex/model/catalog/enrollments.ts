import { docValidator } from "convex/server";
import { v } from "convex/values";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { catalogTables } from "../../tables/catalog";
import { notifyStudentLeftAudience } from "../notifications/audienceRemoval";
import { hasRole } from "../access";
import { requireBatchOfCourse, requireCourse, requireProduct } from "./lookups";
import { throwError } from "../errors";
import { publicUserValidator, toPublicUser } from "../users/accounts";
import { requireDocument } from "../documents";

/** Enrollment and product-access rules (SPEC §2). */

/**
 * An enrollment document with what staff lists show beside it: the student (null when the user was
 * deleted), the course title ("(deleted course)" when deleted) and the batch name (null when
 * unbatched or the batch was deleted).
 */
export const enrollmentWithNamesValidator = docValidator("enrollments", catalogTables.enrollments).extend({
  student: v.union(publicUserValidator, v.null()),
  courseTitle: v.string(),
  batchName: v.union(v.string(), v.null()),
});

/** Reads the student, course and batch of `enrollment` (three reads) for {@link enrollmentWithNamesValidator}. */
export async function withEnrollmentNames(ctx: QueryCtx, enrollment: Doc<"enrollments">) {
  const [student, course, batch] = await Promise.all([
    ctx.db.get("users", enrollment.studentId),
    ctx.db.get("courses", enrollment.courseId),
    enrollment.batchId === null ? null : ctx.db.get("batches", enrollment.batchId),
  ]);
  return {
    ...enrollment,
    student: student === null ? null : toPublicUser(student),
    courseTitle: course?.title ?? "(deleted course)",
    batchName: batch?.name ?? null,
  };
}

const productAccessDocValidator = docValidator("productAccess", catalogTables.productAccess);

/** A product access row with its student (null when the user was deleted), for a product's access list. */
export const productAccessWithStudentValidator = productAccessDocValidator.extend({
  student: v.union(publicUserValidator, v.null()),
});

/** A product access row with its product's title ("(deleted product)" when deleted), for a student's access list. */
export const productAccessWithProductTitleValidator = productAccessDocValidator.extend({ productTitle: v.string() });

/**
 * @returns the user when they exist, are active and hold the `student` role.
 * @throws ConvexError NOT_FOUND or INVALID_ARGUMENT.
 */
async function requireStudent(ctx: MutationCtx, studentId: Id<"users">): Promise<Doc<"users">> {
  const student = await ctx.db.get("users", studentId);
  if (student === null || !student.active) throwError("NOT_FOUND", "That student does not exist.");
  if (!hasRole(student, "student")) {
    throwError("INVALID_ARGUMENT", `${student.name} does not have the student role.`, { field: "studentId" });
  }
  return student;
}

/**
 * Enrolls a student in a course, optionally in one of its batches (null = unbatched). A student has
 * at most one enrollment per course: an existing active or paused one is a CONFLICT (change its
 * batch or status instead); a completed or cancelled one is re-activated with the new batch.
 * Enrollment managers, admins and superadmins (`enrollments.manage`).
 *
 * @param args.enrolledAt epoch milliseconds; defaults to `now`.
 * @param now epoch milliseconds of the call.
 * @throws ConvexError NOT_FOUND, INVALID_ARGUMENT (archived course/batch, batch of another course,
 *   not a student), CONFLICT.
 */
export async function enrollStudent(
  ctx: MutationCtx,
  args: {
    studentId: Id<"users">;
    courseId: Id<"courses">;
    batchId: Id<"batches"> | null;
    pathwayId?: Id<"pathways">;
    enrolledAt?: number;
  },
  now: number,
): Promise<Id<"enrollments">> {
  const student = await requireStudent(ctx, args.studentId);
  const course = await requireCourse(ctx, args.courseId);
  if (course.status !== "active") throwError("INVALID_ARGUMENT", `"${course.title}" is archived.`, { field: "courseId" });
  if (args.batchId !== null) {
    const batch = await requireBatchOfCourse(ctx, args.batchId, args.courseId);
    if (batch.status !== "active") throwError("INVALID_ARGUMENT", `Batch "${batch.name}" is archived.`, { field: "batchId" });
  }
  if (args.pathwayId !== undefined) {
    const pathway = await requireDocument(ctx, "pathways", args.pathwayId, "That pathway does not exist.");
    if (!pathway.courseIds.includes(args.courseId)) {
      throwError("INVALID_ARGUMENT", `Pathway "${pathway.title}" does not include "${course.title}".`, { field: "pathwayId" });
    }
  }
  const existing = await ctx.db
    .query("enrollments")
    .withIndex("by_studentId_and_courseId", (q) => q.eq("studentId", args.studentId).eq("courseId", args.courseId))
    .first();
  const fields = {
    batchId: args.batchId,
    status: "active" as const,
    enrolledAt: args.enrolledAt ?? now,
    ...(args.pathwayId !== undefined ? { pathwayId: args.pathwayId } : {}),
  };
  if (existing !== null) {
    if (existing.status === "active" || existing.status === "paused") {
      throwError("CONFLICT", `${student.name} is already enrolled in "${course.title}". Change that enrollment instead.`);
    }
    await ctx.db.patch("enrollments", existing._id, fields);
    return existing._id;
  }
  return await ctx.db.insert("enrollments", { studentId: args.studentId, courseId: args.courseId, ...fields });
}

/**
 * Changes an enrollment's batch (null = unbatched) and/or status. When an active enrollment stops
 * putting the student in its (course, batch) audience, the student's upcoming sessions of that
 * audience are cancelled in their calendar by email (`notifications/audienceRemoval.ts`).
 * Enrollment managers, admins and superadmins (`enrollments.manage`).
 * @throws ConvexError NOT_FOUND, INVALID_ARGUMENT (batch of another course or archived).
 */
export async function updateEnrollment(
  ctx: MutationCtx,
  enrollmentId: Id<"enrollments">,
  changes: { batchId?: Id<"batches"> | null; status?: Doc<"enrollments">["status"] },
): Promise<void> {
  const enrollment = await requireDocument(ctx, "enrollments", enrollmentId, "That enrollment does not exist.");
  const patch: Partial<Doc<"enrollments">> = {};
  if (changes.batchId !== undefined) {
    if (changes.batchId !== null) {
      const batch = await requireBatchOfCourse(ctx, changes.batchId, enrollment.courseId);
      if (batch.status !== "active" && batch._id !== enrollment.batchId) {
        throwError("INVALID_ARGUMENT", `Batch "${batch.name}" is archived.`, { field: "batchId" });
      }
    }
    patch.batchId = changes.batchId;
  }
  if (changes.status !== undefined) patch.status = changes.status;
  await ctx.db.patch("enrollments", enrollmentId, patch);
  const leftAudience =
    enrollment.status === "active" &&
    ((patch.status !== undefined && patch.status !== "active") || (patch.batchId !== undefined && patch.batchId !== enrollment.batchId));
  if (leftAudience) {
    // Upcoming sessions of the previous audience leave the student's calendar (SPEC §7).
    await notifyStudentLeftAudience(ctx, enrollment.studentId, { courseId: enrollment.courseId, batchId: enrollment.batchId });
  }
}

/**
 * Grants a student active access to a product (re-activates a revoked grant; an active one is left
 * as it is, so granting twice is harmless). Enrollment managers, admins and superadmins
 * (`enrollments.manage`).
 * @param now epoch milliseconds, recorded as `grantedAt`.
 * @returns the productAccess id.
 * @throws ConvexError NOT_FOUND, INVALID_ARGUMENT (not a student or archived product).
 */
export async function grantProductAccess(
  ctx: MutationCtx,
  studentId: Id<"users">,
  productId: Id<"products">,
  now: number,
): Promise<Id<"productAccess">> {
  await requireStudent(ctx, studentId);
  const product = await requireProduct(ctx, productId);
  if (product.status !== "active") throwError("INVALID_ARGUMENT", `"${product.title}" is archived.`, { field: "productId" });
  const existing = await ctx.db
    .query("productAccess")
    .withIndex("by_studentId_and_productId", (q) => q.eq("studentId", studentId).eq("productId", productId))
    .first();
  if (existing !== null) {
    if (existing.status !== "active") {
      await ctx.db.patch("productAccess", existing._id, { status: "active", grantedAt: now, revokedAt: undefined });
    }
    return existing._id;
  }
  return await ctx.db.insert("productAccess", { studentId, productId, status: "active", grantedAt: now });
}

/**
 * Revokes a product access grant (kept as a row with status `revoked`). Enrollment managers, admins
 * and superadmins (`enrollments.manage`).
 * @param now epoch milliseconds, recorded as `revokedAt`.
 * @throws ConvexError NOT_FOUND.
 */
export async function revokeProductAccess(ctx: MutationCtx, accessId: Id<"productAccess">, now: number): Promise<void> {
  const access = await requireDocument(ctx, "productAccess", accessId, "That product access does not exist.");
  if (access.status === "revoked") return;
  await ctx.db.patch("productAccess", accessId, { status: "revoked", revokedAt: now });
}
