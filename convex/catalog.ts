import { v } from "convex/values";
import {
  batchDocValidator,
  courseDocValidator,
  pathwayDocValidator,
  productDocValidator,
} from "./model/catalog/lookups";
import * as editing from "./model/catalog/editing";
import * as views from "./model/catalog/views";
import { permissionMutation, permissionQuery, userQuery } from "./model/functions";
import { textArg, optionalArg, instantArg, listArg } from "./model/validation";
import { catalogStatusValidator, productKindValidator } from "./tables/catalog";

/**
 * Courses, batches, pathways and products (SPEC §2). Staff read them (`catalog.read`); admins and
 * superadmins change them (`catalog.manage`). Students read their own through `enrollments:mine`.
 */

/** The title and description arguments of a course, pathway or product (the bounds `model/catalog/editing.ts` checks). */
const titleAndDescriptionArgs = { title: textArg("Title", 200), description: optionalArg(textArg("Description", 5000)) };
/** {@link titleAndDescriptionArgs} of an edit: each may be left out. */
const titleAndDescriptionEditArgs = { title: optionalArg(titleAndDescriptionArgs.title), description: titleAndDescriptionArgs.description };

/** All courses by title; see `listCourses` in `model/catalog/views.ts`. */
export const listCourses = permissionQuery("catalog.read")({
  args: { includeArchived: v.optional(v.boolean()) },
  returns: v.array(courseDocValidator),
  handler: (ctx, { includeArchived }) => views.listCourses(ctx, includeArchived ?? false),
});

/** Creates a course; see `createCourse` in `model/catalog/editing.ts`. */
export const createCourse = permissionMutation("catalog.manage")({
  args: titleAndDescriptionArgs,
  returns: v.id("courses"),
  handler: (ctx, args) => editing.createCourse(ctx, args),
});

/** Edits a course; see `updateCourse` in `model/catalog/editing.ts`. */
export const updateCourse = permissionMutation("catalog.manage")({
  args: {
    courseId: v.id("courses"),
    ...titleAndDescriptionEditArgs,
    status: v.optional(catalogStatusValidator),
  },
  returns: v.null(),
  handler: (ctx, { courseId, ...fields }) => editing.updateCourse(ctx, courseId, fields),
});

/** The batches of a course; see `listBatchesOfCourse` in `model/catalog/views.ts`. */
export const listBatches = permissionQuery("catalog.read")({
  args: { courseId: v.id("courses"), includeArchived: v.optional(v.boolean()) },
  returns: v.array(batchDocValidator),
  handler: (ctx, { courseId, includeArchived }) => views.listBatchesOfCourse(ctx, courseId, includeArchived ?? false),
});

/** Creates a batch of a course; see `createBatch` in `model/catalog/editing.ts`. */
export const createBatch = permissionMutation("catalog.manage")({
  args: { courseId: v.id("courses"), name: textArg("Name", 200), startDate: optionalArg(instantArg("Start date")) },
  returns: v.id("batches"),
  handler: (ctx, { courseId, ...fields }) => editing.createBatch(ctx, courseId, fields),
});

/** Renames, re-dates, archives or restores a batch; see `updateBatch` in `model/catalog/editing.ts`. */
export const updateBatch = permissionMutation("catalog.manage")({
  args: {
    batchId: v.id("batches"),
    name: optionalArg(textArg("Name", 200)),
    status: v.optional(catalogStatusValidator),
    startDate: v.optional(v.union(instantArg("Start date"), v.null())),
  },
  returns: v.null(),
  handler: (ctx, { batchId, ...fields }) => editing.updateBatch(ctx, batchId, fields),
});

/** All pathways by title; see `listPathways` in `model/catalog/views.ts`. */
export const listPathways = permissionQuery("catalog.read")({
  args: {},
  returns: v.array(pathwayDocValidator),
  handler: (ctx) => views.listPathways(ctx),
});

/** Creates a pathway; see `createPathway` in `model/catalog/editing.ts`. */
export const createPathway = permissionMutation("catalog.manage")({
  args: { ...titleAndDescriptionArgs, courseIds: listArg("Courses", v.id("courses"), 100) },
  returns: v.id("pathways"),
  handler: (ctx, args) => editing.createPathway(ctx, args),
});

/** All products by title; see `listProducts` in `model/catalog/views.ts`. */
export const listProducts = permissionQuery("catalog.read")({
  args: { includeArchived: v.optional(v.boolean()) },
  returns: v.array(productDocValidator),
  handler: (ctx, { includeArchived }) => views.listProducts(ctx, includeArchived ?? false),
});

/** Creates a product; see `createProduct` in `model/catalog/editing.ts`. */
export const createProduct = permissionMutation("catalog.manage")({
  args: { ...titleAndDescriptionArgs, kind: productKindValidator },
  returns: v.id("products"),
  handler: (ctx, args) => editing.createProduct(ctx, args),
});

/** Edits, archives or restores a product; see `updateProduct` in `model/catalog/editing.ts`. */
export const updateProduct = permissionMutation("catalog.manage")({
  args: {
    productId: v.id("products"),
    ...titleAndDescriptionEditArgs,
    kind: v.optional(productKindValidator),
    status: v.optional(catalogStatusValidator),
  },
  returns: v.null(),
  handler: (ctx, { productId, ...fields }) => editing.updateProduct(ctx, productId, fields),
});

/** A course with its batches; see `courseWithBatches` in `model/catalog/views.ts`. */
export const getCourse = permissionQuery("catalog.read")({
  args: { courseId: v.id("courses") },
  returns: courseDocValidator.extend({ batches: v.array(batchDocValidator) }),
  handler: (ctx, { courseId }) => views.courseWithBatches(ctx, courseId),
});

/** The caller's own products with active access; see `productsOfUser` in `model/catalog/views.ts`. */
export const myProducts = userQuery({
  args: {},
  returns: v.array(productDocValidator),
  handler: (ctx) => views.productsOfUser(ctx, ctx.viewer._id),
});

/** One product by the raw id of a page URL, or null; see `productByRawId` in `model/catalog/views.ts`. */
export const getProduct = permissionQuery("catalog.read")({
  args: { productId: textArg("Product", 100) },
  returns: v.union(productDocValidator, v.null()),
  handler: (ctx, { productId }) => views.productByRawId(ctx, productId),
});
