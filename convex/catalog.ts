import { v } from "convex/values";
import type { Doc } from "./_generated/dataModel";
import {
  batchDocValidator,
  batchesOfCourse,
  CATALOG_LIST_LIMIT,
  courseDocValidator,
  pathwayDocValidator,
  productDocValidator,
  requireCourse,
  requireProduct,
} from "./model/catalog/lookups";
import { throwError } from "./model/errors";
import { permissionMutation, permissionQuery, userQuery } from "./model/functions";
import { optionalText, requireText, textArg, optionalArg, instantArg, listArg } from "./model/validation";
import { catalogStatusValidator, productKindValidator } from "./tables/catalog";

/**
 * Courses, batches, pathways and products (SPEC §2). Staff read them (`catalog.read`); admins and
 * superadmins change them (`catalog.manage`). Students read their own through `enrollments:mine`.
 */

const byTitle = <T extends { title: string }>(a: T, b: T) => a.title.localeCompare(b.title);

/** All courses by title; archived ones only with `includeArchived`. Staff. */
export const listCourses = permissionQuery("catalog.read")({
  args: { includeArchived: v.optional(v.boolean()) },
  returns: v.array(courseDocValidator),
  handler: async (ctx, { includeArchived }) => {
    const active = await ctx.db
      .query("courses")
      .withIndex("by_status", (q) => q.eq("status", "active"))
      .take(CATALOG_LIST_LIMIT);
    const archived = includeArchived
      ? await ctx.db
          .query("courses")
          .withIndex("by_status", (q) => q.eq("status", "archived"))
          .take(CATALOG_LIST_LIMIT)
      : [];
    return [...active.sort(byTitle), ...archived.sort(byTitle)];
  },
});

/**
 * Creates a course (`{ title, description }`, status active). Admins.
 * @throws ConvexError INVALID_ARGUMENT for an empty or too long title.
 */
export const createCourse = permissionMutation("catalog.manage")({
  args: { title: textArg("Title", 200), description: optionalArg(textArg("Description", 5000)) },
  returns: v.id("courses"),
  handler: async (ctx, args) =>
    await ctx.db.insert("courses", {
      title: requireText("Title", args.title),
      description: optionalText("Description", args.description),
      status: "active",
    }),
});

/**
 * Edits a course; every field optional. Admins.
 * @throws ConvexError NOT_FOUND, INVALID_ARGUMENT.
 */
export const updateCourse = permissionMutation("catalog.manage")({
  args: {
    courseId: v.id("courses"),
    title: optionalArg(textArg("Title", 200)),
    description: optionalArg(textArg("Description", 5000)),
    status: v.optional(catalogStatusValidator),
  },
  returns: v.null(),
  handler: async (ctx, { courseId, title, description, status }) => {
    await requireCourse(ctx, courseId);
    const patch: Partial<Doc<"courses">> = {};
    if (title !== undefined) patch.title = requireText("Title", title);
    if (description !== undefined) patch.description = optionalText("Description", description);
    if (status !== undefined) patch.status = status;
    await ctx.db.patch("courses", courseId, patch);
    return null;
  },
});

/**
 * The batches of a course (active first; archived with `includeArchived`). Staff, and anyone
 * scheduling sessions for a course.
 * @throws ConvexError NOT_FOUND for an unknown course.
 */
export const listBatches = permissionQuery("catalog.read")({
  args: { courseId: v.id("courses"), includeArchived: v.optional(v.boolean()) },
  returns: v.array(batchDocValidator),
  handler: async (ctx, { courseId, includeArchived }) => {
    await requireCourse(ctx, courseId);
    return await batchesOfCourse(ctx, courseId, includeArchived ?? false);
  },
});

/**
 * Creates a batch of a course (`{ courseId, name, startDate? }`; startDate in epoch ms). Admins.
 * @throws ConvexError NOT_FOUND (course), INVALID_ARGUMENT (name), CONFLICT (name taken in that course).
 */
export const createBatch = permissionMutation("catalog.manage")({
  args: { courseId: v.id("courses"), name: textArg("Name", 200), startDate: optionalArg(instantArg("Start date")) },
  returns: v.id("batches"),
  handler: async (ctx, { courseId, name, startDate }) => {
    await requireCourse(ctx, courseId);
    const trimmed = requireText("Batch name", name, 100);
    const existing = await batchesOfCourse(ctx, courseId, true);
    if (existing.some((batch) => batch.name.toLowerCase() === trimmed.toLowerCase())) {
      throwError("CONFLICT", `This course already has a batch named "${trimmed}".`, { field: "name" });
    }
    return await ctx.db.insert("batches", {
      courseId,
      name: trimmed,
      status: "active",
      ...(startDate !== undefined ? { startDate } : {}),
    });
  },
});

/**
 * Renames, re-dates, archives or restores a batch. Admins.
 * @throws ConvexError NOT_FOUND, INVALID_ARGUMENT.
 */
export const updateBatch = permissionMutation("catalog.manage")({
  args: {
    batchId: v.id("batches"),
    name: optionalArg(textArg("Name", 200)),
    status: v.optional(catalogStatusValidator),
    startDate: v.optional(v.union(instantArg("Start date"), v.null())),
  },
  returns: v.null(),
  handler: async (ctx, { batchId, name, status, startDate }) => {
    const batch = await ctx.db.get("batches", batchId);
    if (batch === null) throwError("NOT_FOUND", "That batch does not exist.");
    const patch: Partial<Doc<"batches">> = {};
    if (name !== undefined) patch.name = requireText("Batch name", name, 100);
    if (status !== undefined) patch.status = status;
    if (startDate !== undefined) patch.startDate = startDate ?? undefined;
    await ctx.db.patch("batches", batchId, patch);
    return null;
  },
});

/** All pathways by title. Staff. */
export const listPathways = permissionQuery("catalog.read")({
  args: {},
  returns: v.array(pathwayDocValidator),
  handler: async (ctx) => {
    const rows = await ctx.db
      .query("pathways")
      .withIndex("by_status", (q) => q.eq("status", "active"))
      .take(CATALOG_LIST_LIMIT);
    return rows.sort(byTitle);
  },
});

/**
 * Creates a pathway grouping courses (`{ title, description?, courseIds }`). Admins.
 * @throws ConvexError NOT_FOUND (a course), INVALID_ARGUMENT.
 */
export const createPathway = permissionMutation("catalog.manage")({
  args: { title: textArg("Title", 200), description: optionalArg(textArg("Description", 5000)), courseIds: listArg("Courses", v.id("courses"), 100) },
  returns: v.id("pathways"),
  handler: async (ctx, { title, description, courseIds }) => {
    const unique = [...new Set(courseIds)];
    for (const courseId of unique) await requireCourse(ctx, courseId);
    return await ctx.db.insert("pathways", {
      title: requireText("Title", title),
      description: optionalText("Description", description),
      courseIds: unique,
      status: "active",
    });
  },
});

/** All products by title (archived with `includeArchived`). Staff. */
export const listProducts = permissionQuery("catalog.read")({
  args: { includeArchived: v.optional(v.boolean()) },
  returns: v.array(productDocValidator),
  handler: async (ctx, { includeArchived }) => {
    const active = await ctx.db
      .query("products")
      .withIndex("by_status", (q) => q.eq("status", "active"))
      .take(CATALOG_LIST_LIMIT);
    const archived = includeArchived
      ? await ctx.db
          .query("products")
          .withIndex("by_status", (q) => q.eq("status", "archived"))
          .take(CATALOG_LIST_LIMIT)
      : [];
    return [...active.sort(byTitle), ...archived.sort(byTitle)];
  },
});

/**
 * Creates a product (`{ title, description?, kind }`). Admins.
 * @throws ConvexError INVALID_ARGUMENT.
 */
export const createProduct = permissionMutation("catalog.manage")({
  args: { title: textArg("Title", 200), description: optionalArg(textArg("Description", 5000)), kind: productKindValidator },
  returns: v.id("products"),
  handler: async (ctx, { title, description, kind }) =>
    await ctx.db.insert("products", {
      title: requireText("Title", title),
      description: optionalText("Description", description),
      kind,
      status: "active",
    }),
});

/**
 * Edits, archives or restores a product. Admins.
 * @throws ConvexError NOT_FOUND, INVALID_ARGUMENT.
 */
export const updateProduct = permissionMutation("catalog.manage")({
  args: {
    productId: v.id("products"),
    title: optionalArg(textArg("Title", 200)),
    description: optionalArg(textArg("Description", 5000)),
    kind: v.optional(productKindValidator),
    status: v.optional(catalogStatusValidator),
  },
  returns: v.null(),
  handler: async (ctx, { productId, title, description, kind, status }) => {
    await requireProduct(ctx, productId);
    const patch: Partial<Doc<"products">> = {};
    if (title !== undefined) patch.title = requireText("Title", title);
    if (description !== undefined) patch.description = optionalText("Description", description);
    if (kind !== undefined) patch.kind = kind;
    if (status !== undefined) patch.status = status;
    await ctx.db.patch("products", productId, patch);
    return null;
  },
});

/**
 * A course with its batches, for staff detail pages.
 * @throws ConvexError NOT_FOUND.
 */
export const getCourse = permissionQuery("catalog.read")({
  args: { courseId: v.id("courses") },
  returns: courseDocValidator.extend({ batches: v.array(batchDocValidator) }),
  handler: async (ctx, { courseId }) => {
    const course = await requireCourse(ctx, courseId);
    return { ...course, batches: await batchesOfCourse(ctx, courseId, true) };
  },
});

/**
 * The signed-in user's own products with active access (title, kind). Any signed-in user; staff
 * see only their own too.
 */
export const myProducts = userQuery({
  args: {},
  returns: v.array(productDocValidator),
  handler: async (ctx) => {
    const rows = await ctx.db
      .query("productAccess")
      .withIndex("by_studentId_and_status", (q) => q.eq("studentId", ctx.viewer._id).eq("status", "active"))
      .take(200);
    const products = await Promise.all(rows.map((row) => ctx.db.get("products", row.productId)));
    return products.flatMap((product) => (product === null ? [] : [product]));
  },
});

/**
 * One product by id, for staff detail pages. `productId` is the raw id from the page URL: an id
 * that is malformed, of another table or deleted gives null (the page shows "not found").
 */
export const getProduct = permissionQuery("catalog.read")({
  args: { productId: textArg("Product", 100) },
  returns: v.union(productDocValidator, v.null()),
  handler: async (ctx, { productId }) => {
    const id = ctx.db.normalizeId("products", productId);
    return id === null ? null : await ctx.db.get("products", id);
  },
});
