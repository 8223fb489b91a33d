import type { PaginationOptions, PaginationResult } from "convex/server";
import type { Doc, Id } from "../../_generated/dataModel";
import type { QueryCtx } from "../../_generated/server";
import { toPublicUser } from "../users/accounts";
import { withEnrollmentNames } from "./enrollments";

/**
 * The staff and student lists of enrollments and product access (SPEC §2). Who may read them is
 * decided by the public functions' builders: staff lists need `catalog.read`, {@link listOwnEnrollments}
 * any signed-in user.
 */

/** Most enrollments or access rows one student's list reads (a student has a handful). */
const PER_STUDENT_LIMIT = 200;

type EnrollmentWithNames = Awaited<ReturnType<typeof withEnrollmentNames>>;

/**
 * A course's enrollments, a page at a time, with student and batch names.
 * @param batch omitted = all, `"unbatched"`, or a batch id.
 * @param status filters by status through the index; omitted = every status.
 */
export async function listCourseEnrollments(
  ctx: QueryCtx,
  args: { courseId: Id<"courses">; batch?: Id<"batches"> | "unbatched"; status?: Doc<"enrollments">["status"]; paginationOpts: PaginationOptions },
): Promise<PaginationResult<EnrollmentWithNames>> {
  const { courseId, batch, status, paginationOpts } = args;
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
}

/** A student's enrollments (every status, at most {@link PER_STUDENT_LIMIT}) with course and batch names, in course order. */
export async function listStudentEnrollments(ctx: QueryCtx, studentId: Id<"users">): Promise<EnrollmentWithNames[]> {
  const rows = await ctx.db
    .query("enrollments")
    .withIndex("by_studentId_and_courseId", (q) => q.eq("studentId", studentId))
    .take(PER_STUDENT_LIMIT);
  return await Promise.all(rows.map((row) => withEnrollmentNames(ctx, row)));
}

/** The viewer's own enrollments as {@link listStudentEnrollments} reads them, without the student, newest first. */
export async function listOwnEnrollments(ctx: QueryCtx, viewerId: Id<"users">): Promise<Omit<EnrollmentWithNames, "student">[]> {
  const named = await listStudentEnrollments(ctx, viewerId);
  return named.map(({ student: _student, ...rest }) => rest).sort((a, b) => b.enrolledAt - a.enrolledAt);
}

/** The students with access to a product (`status`, default `active`), a page at a time. */
export async function listProductAccessPage(
  ctx: QueryCtx,
  args: { productId: Id<"products">; status?: Doc<"productAccess">["status"]; paginationOpts: PaginationOptions },
) {
  const page = await ctx.db
    .query("productAccess")
    .withIndex("by_productId_and_status", (q) => q.eq("productId", args.productId).eq("status", args.status ?? "active"))
    .paginate(args.paginationOpts);
  const rows = await Promise.all(
    page.page.map(async (row) => {
      const student = await ctx.db.get("users", row.studentId);
      return { ...row, student: student === null ? null : toPublicUser(student) };
    }),
  );
  return { ...page, page: rows };
}

/** A student's product access rows (both statuses, at most {@link PER_STUDENT_LIMIT}) with product titles. */
export async function listStudentProductAccess(ctx: QueryCtx, studentId: Id<"users">) {
  const rows = await ctx.db
    .query("productAccess")
    .withIndex("by_studentId_and_productId", (q) => q.eq("studentId", studentId))
    .take(PER_STUDENT_LIMIT);
  return await Promise.all(
    rows.map(async (row) => ({ ...row, productTitle: (await ctx.db.get("products", row.productId))?.title ?? "(deleted product)" })),
  );
}
