import type { Doc, Id } from "../../_generated/dataModel";
import type { QueryCtx } from "../../_generated/server";
import type { CatalogStatus } from "../../tables/catalog";
import { batchesOfCourse, requireCourse, rowsWithStatus } from "./lookups";

/** What the catalog pages read: courses, batches, pathways and products (SPEC §2). */

const byTitle = <T extends { title: string }>(a: T, b: T) => a.title.localeCompare(b.title);

/** The active rows `ofStatus` reads, then the archived ones (only with `includeArchived`), each group by title. */
async function activeThenArchived<Row extends { title: string }>(ofStatus: (status: CatalogStatus) => Promise<Row[]>, includeArchived: boolean): Promise<Row[]> {
  const active = await ofStatus("active");
  const archived = includeArchived ? await ofStatus("archived") : [];
  return [...active.sort(byTitle), ...archived.sort(byTitle)];
}

/**
 * All courses (at most `CATALOG_LIST_LIMIT` per status), active ones first, each group by
 * title; archived ones only with `includeArchived`. Staff (`catalog.read`).
 */
export async function listCourses(ctx: QueryCtx, includeArchived: boolean): Promise<Doc<"courses">[]> {
  return await activeThenArchived((status) => rowsWithStatus(ctx, "courses", status), includeArchived);
}

/**
 * All products (at most `CATALOG_LIST_LIMIT` per status), active ones first, each group by
 * title; archived ones only with `includeArchived`. Staff (`catalog.read`).
 */
export async function listProducts(ctx: QueryCtx, includeArchived: boolean): Promise<Doc<"products">[]> {
  return await activeThenArchived((status) => rowsWithStatus(ctx, "products", status), includeArchived);
}

/** All active pathways (at most `CATALOG_LIST_LIMIT`) by title. Staff (`catalog.read`). */
export async function listPathways(ctx: QueryCtx): Promise<Doc<"pathways">[]> {
  return (await rowsWithStatus(ctx, "pathways", "active")).sort(byTitle);
}

/**
 * The batches of a course, active ones first by name; archived ones only with `includeArchived`.
 * Staff (`catalog.read`), and anyone scheduling sessions for a course.
 * @throws ConvexError NOT_FOUND for an unknown course.
 */
export async function listBatchesOfCourse(
  ctx: QueryCtx,
  courseId: Id<"courses">,
  includeArchived: boolean,
): Promise<Doc<"batches">[]> {
  await requireCourse(ctx, courseId);
  return await batchesOfCourse(ctx, courseId, includeArchived);
}

/**
 * A course with all its batches (archived included), for staff detail pages (`catalog.read`).
 * @throws ConvexError NOT_FOUND for an unknown course.
 */
export async function courseWithBatches(ctx: QueryCtx, courseId: Id<"courses">) {
  const course = await requireCourse(ctx, courseId);
  return { ...course, batches: await batchesOfCourse(ctx, courseId, true) };
}

/**
 * One product by the raw id from a page URL, for staff detail pages (`catalog.read`): an id that is
 * malformed, of another table or deleted gives null (the page shows "not found").
 */
export async function productByRawId(ctx: QueryCtx, productId: string): Promise<Doc<"products"> | null> {
  const id = ctx.db.normalizeId("products", productId);
  return id === null ? null : await ctx.db.get("products", id);
}

/**
 * The products (at most 200) to which `userId` has active access (`productAccess` status active),
 * products deleted since left out. Any signed-in user, for their own id only; staff see only their
 * own too.
 */
export async function productsOfUser(ctx: QueryCtx, userId: Id<"users">): Promise<Doc<"products">[]> {
  const rows = await ctx.db
    .query("productAccess")
    .withIndex("by_studentId_and_status", (q) => q.eq("studentId", userId).eq("status", "active"))
    .take(200);
  const products = await Promise.all(rows.map((row) => ctx.db.get("products", row.productId)));
  return products.flatMap((product) => (product === null ? [] : [product]));
}
