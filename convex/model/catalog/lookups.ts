import { docValidator } from "convex/server";
import type { Doc, Id } from "../../_generated/dataModel";
import type { QueryCtx } from "../../_generated/server";
import { catalogTables, type CatalogStatus } from "../../tables/catalog";
import { throwError } from "../errors";
import { requireDocument } from "../documents";

/** Catalog reads and checks shared by catalog, enrollment and session features (SPEC §2). */

/** Whole documents (with `_id` and `_creationTime`) of the catalog tables, as the catalog queries return them. */
export const courseDocValidator = docValidator("courses", catalogTables.courses);
export const batchDocValidator = docValidator("batches", catalogTables.batches);
export const pathwayDocValidator = docValidator("pathways", catalogTables.pathways);
export const productDocValidator = docValidator("products", catalogTables.products);

/** Upper bound of rows the catalog lists return (courses, batches, products are small tables). */
export const CATALOG_LIST_LIMIT = 500;

/** The catalog tables whose rows are `active` or `archived`, found through their `by_status` index. */
export type TableWithCatalogStatus = "courses" | "pathways" | "products";

/**
 * Rows of `table` with `status`, at most {@link CATALOG_LIST_LIMIT}, in index order. (The cast only
 * tells TypeScript that the three tables share the `status` field of {@link CatalogStatus}.)
 */
export async function rowsWithStatus<Table extends TableWithCatalogStatus>(
  ctx: QueryCtx,
  table: Table,
  status: CatalogStatus,
): Promise<Doc<Table>[]> {
  return await ctx.db
    .query(table)
    .withIndex("by_status", (q) => q.eq("status", status as Doc<Table>["status"]))
    .take(CATALOG_LIST_LIMIT);
}

/**
 * @returns the course.
 * @throws ConvexError NOT_FOUND when it does not exist.
 */
export async function requireCourse(ctx: QueryCtx, courseId: Id<"courses">): Promise<Doc<"courses">> {
  return await requireDocument(ctx, "courses", courseId, "That course does not exist.");
}

/**
 * @returns the batch when it belongs to `courseId`.
 * @throws ConvexError NOT_FOUND (no batch) or INVALID_ARGUMENT (batch of another course).
 */
export async function requireBatchOfCourse(
  ctx: QueryCtx,
  batchId: Id<"batches">,
  courseId: Id<"courses">,
): Promise<Doc<"batches">> {
  const batch = await requireDocument(ctx, "batches", batchId, "That batch does not exist.");
  if (batch.courseId !== courseId) {
    throwError("INVALID_ARGUMENT", `Batch "${batch.name}" belongs to another course.`, { field: "batchId" });
  }
  return batch;
}

/**
 * @returns the product.
 * @throws ConvexError NOT_FOUND when it does not exist.
 */
export async function requireProduct(ctx: QueryCtx, productId: Id<"products">): Promise<Doc<"products">> {
  return await requireDocument(ctx, "products", productId, "That product does not exist.");
}

/**
 * The batches of a course, active ones first by name; archived ones only when asked.
 */
export async function batchesOfCourse(
  ctx: QueryCtx,
  courseId: Id<"courses">,
  includeArchived: boolean,
): Promise<Doc<"batches">[]> {
  const active = await ctx.db
    .query("batches")
    .withIndex("by_courseId_and_status", (q) => q.eq("courseId", courseId).eq("status", "active"))
    .take(CATALOG_LIST_LIMIT);
  const archived = includeArchived
    ? await ctx.db
        .query("batches")
        .withIndex("by_courseId_and_status", (q) => q.eq("courseId", courseId).eq("status", "archived"))
        .take(CATALOG_LIST_LIMIT)
    : [];
  const byName = (a: Doc<"batches">, b: Doc<"batches">) => a.name.localeCompare(b.name, undefined, { numeric: true });
  return [...active.sort(byName), ...archived.sort(byName)];
}

/** True when `studentId` holds active access to `productId`. */
export async function hasActiveProductAccess(
  ctx: QueryCtx,
  studentId: Id<"users">,
  productId: Id<"products">,
): Promise<boolean> {
  const access = await ctx.db
    .query("productAccess")
    .withIndex("by_studentId_and_productId", (q) => q.eq("studentId", studentId).eq("productId", productId))
    .first();
  return access !== null && access.status === "active";
}

/** The active enrollments of a student (the basis of every "what may this student see" rule). */
export async function activeEnrollmentsOf(ctx: QueryCtx, studentId: Id<"users">): Promise<Doc<"enrollments">[]> {
  return await ctx.db
    .query("enrollments")
    .withIndex("by_studentId_and_status", (q) => q.eq("studentId", studentId).eq("status", "active"))
    .take(200);
}

/** The products a student holds active access to. */
export async function activeProductIdsOf(ctx: QueryCtx, studentId: Id<"users">): Promise<Id<"products">[]> {
  const rows = await ctx.db
    .query("productAccess")
    .withIndex("by_studentId_and_status", (q) => q.eq("studentId", studentId).eq("status", "active"))
    .take(200);
  return rows.map((row) => row.productId);
}
