import type { Doc, Id } from "../../_generated/dataModel";
import type { CatalogStatus } from "../../tables/catalog";
import type { MutationCtx } from "../../_generated/server";
import { throwError } from "../errors";
import { optionalText, requireText } from "../validation";
import { batchesOfCourse, requireCourse, requireProduct } from "./lookups";
import { requireDocument } from "../documents";

/**
 * Creating and editing courses, batches, pathways and products (SPEC §2). Every function here is
 * for admins and superadmins (`catalog.manage`); text fields are trimmed and checked.
 */

/**
 * Creates an active course.
 * @param fields `{ title, description? }`.
 * @throws ConvexError INVALID_ARGUMENT for an empty or too long title or description.
 */
export async function createCourse(
  ctx: MutationCtx,
  fields: { title: string; description?: string },
): Promise<Id<"courses">> {
  return await ctx.db.insert("courses", {
    title: requireText("Title", fields.title),
    description: optionalText("Description", fields.description),
    status: "active",
  });
}

/**
 * The title (required, up to 200 characters) and description of an edit, trimmed and checked; a
 * field left undefined stays out, so the patch leaves it as it is.
 * @throws ConvexError INVALID_ARGUMENT (title empty or too long, description too long).
 */
function checkedTitleAndDescription(fields: { title?: string; description?: string }): { title?: string; description?: string } {
  return {
    ...(fields.title === undefined ? {} : { title: requireText("Title", fields.title) }),
    ...(fields.description === undefined ? {} : { description: optionalText("Description", fields.description) }),
  };
}

/**
 * Edits a course; each field left undefined stays as it is.
 * @throws ConvexError NOT_FOUND (course), INVALID_ARGUMENT (title or description).
 */
export async function updateCourse(
  ctx: MutationCtx,
  courseId: Id<"courses">,
  fields: { title?: string; description?: string; status?: CatalogStatus },
): Promise<void> {
  await requireCourse(ctx, courseId);
  const patch: Partial<Doc<"courses">> = checkedTitleAndDescription(fields);
  if (fields.status !== undefined) patch.status = fields.status;
  await ctx.db.patch("courses", courseId, patch);
}

/**
 * Creates an active batch of a course.
 * @param fields `{ name, startDate? }`; `startDate` in epoch milliseconds.
 * @throws ConvexError NOT_FOUND (course), INVALID_ARGUMENT (name empty or over 100 characters),
 *   CONFLICT (a batch of that course already has the name, compared case-insensitively).
 */
export async function createBatch(
  ctx: MutationCtx,
  courseId: Id<"courses">,
  fields: { name: string; startDate?: number },
): Promise<Id<"batches">> {
  await requireCourse(ctx, courseId);
  const trimmed = requireText("Batch name", fields.name, 100);
  const existing = await batchesOfCourse(ctx, courseId, true);
  if (existing.some((batch) => batch.name.toLowerCase() === trimmed.toLowerCase())) {
    throwError("CONFLICT", `This course already has a batch named "${trimmed}".`, { field: "name" });
  }
  return await ctx.db.insert("batches", {
    courseId,
    name: trimmed,
    status: "active",
    ...(fields.startDate !== undefined ? { startDate: fields.startDate } : {}),
  });
}

/**
 * Renames, re-dates, archives or restores a batch; each field left undefined stays as it is, a
 * `startDate` of null clears it (epoch milliseconds otherwise).
 * @throws ConvexError NOT_FOUND (batch), INVALID_ARGUMENT (name empty or over 100 characters).
 */
export async function updateBatch(
  ctx: MutationCtx,
  batchId: Id<"batches">,
  fields: { name?: string; status?: CatalogStatus; startDate?: number | null },
): Promise<void> {
  await requireDocument(ctx, "batches", batchId, "That batch does not exist.");
  const patch: Partial<Doc<"batches">> = {};
  if (fields.name !== undefined) patch.name = requireText("Batch name", fields.name, 100);
  if (fields.status !== undefined) patch.status = fields.status;
  if (fields.startDate !== undefined) patch.startDate = fields.startDate ?? undefined;
  await ctx.db.patch("batches", batchId, patch);
}

/**
 * Creates an active pathway grouping courses (duplicate course ids kept once, in order).
 * @param fields `{ title, description?, courseIds }`.
 * @throws ConvexError NOT_FOUND (a course), INVALID_ARGUMENT (title or description).
 */
export async function createPathway(
  ctx: MutationCtx,
  fields: { title: string; description?: string; courseIds: Id<"courses">[] },
): Promise<Id<"pathways">> {
  const unique = [...new Set(fields.courseIds)];
  for (const courseId of unique) await requireCourse(ctx, courseId);
  return await ctx.db.insert("pathways", {
    title: requireText("Title", fields.title),
    description: optionalText("Description", fields.description),
    courseIds: unique,
    status: "active",
  });
}

/**
 * Creates an active product.
 * @param fields `{ title, description?, kind }`.
 * @throws ConvexError INVALID_ARGUMENT (title or description).
 */
export async function createProduct(
  ctx: MutationCtx,
  fields: { title: string; description?: string; kind: Doc<"products">["kind"] },
): Promise<Id<"products">> {
  return await ctx.db.insert("products", {
    title: requireText("Title", fields.title),
    description: optionalText("Description", fields.description),
    kind: fields.kind,
    status: "active",
  });
}

/**
 * Edits, archives or restores a product; each field left undefined stays as it is.
 * @throws ConvexError NOT_FOUND (product), INVALID_ARGUMENT (title or description).
 */
export async function updateProduct(
  ctx: MutationCtx,
  productId: Id<"products">,
  fields: { title?: string; description?: string; kind?: Doc<"products">["kind"]; status?: CatalogStatus },
): Promise<void> {
  await requireProduct(ctx, productId);
  const patch: Partial<Doc<"products">> = checkedTitleAndDescription(fields);
  if (fields.kind !== undefined) patch.kind = fields.kind;
  if (fields.status !== undefined) patch.status = fields.status;
  await ctx.db.patch("products", productId, patch);
}
