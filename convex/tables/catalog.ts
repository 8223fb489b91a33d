import { defineTable } from "convex/server";
import { v, type Infer } from "convex/values";
import { literals } from "convex-helpers/validators";

export const catalogStatusValidator = literals("active", "archived");
export type CatalogStatus = Infer<typeof catalogStatusValidator>;
export const enrollmentStatusValidator = literals("active", "paused", "completed", "cancelled");
export const productKindValidator = literals("job_readiness", "coaching", "other");
export const productAccessStatusValidator = literals("active", "revoked");

/** Courses, batches, pathways, enrollments, products and product access (SPEC §2). */
export const catalogTables = {
  courses: defineTable({
    title: v.string(),
    description: v.string(),
    status: catalogStatusValidator,
  }).index("by_status", ["status"]),

  batches: defineTable({
    courseId: v.id("courses"),
    name: v.string(),
    status: catalogStatusValidator,
    /** Epoch milliseconds (UTC) of the batch's first day, if known. */
    startDate: v.optional(v.number()),
  }).index("by_courseId_and_status", ["courseId", "status"]),

  pathways: defineTable({
    title: v.string(),
    description: v.string(),
    courseIds: v.array(v.id("courses")),
    status: catalogStatusValidator,
  }).index("by_status", ["status"]),

  enrollments: defineTable({
    studentId: v.id("users"),
    courseId: v.id("courses"),
    /** null = unbatched. */
    batchId: v.union(v.id("batches"), v.null()),
    pathwayId: v.optional(v.id("pathways")),
    status: enrollmentStatusValidator,
    /** Epoch milliseconds when the student was enrolled. */
    enrolledAt: v.number(),
  })
    .index("by_studentId_and_status", ["studentId", "status"])
    .index("by_studentId_and_courseId", ["studentId", "courseId"])
    .index("by_courseId_and_batchId_and_status", ["courseId", "batchId", "status"])
    .index("by_courseId_and_status", ["courseId", "status"]),

  products: defineTable({
    title: v.string(),
    description: v.string(),
    kind: productKindValidator,
    status: catalogStatusValidator,
  }).index("by_status", ["status"]),

  productAccess: defineTable({
    studentId: v.id("users"),
    productId: v.id("products"),
    status: productAccessStatusValidator,
    /** Epoch milliseconds of the last grant. */
    grantedAt: v.number(),
    revokedAt: v.optional(v.number()),
    /**
     * Coaching sessions this access includes (a package of 4); absent = unlimited. Booking uses one
     * (`coachingSessionsUsed` grows), a cancellation within the product's policy returns it.
     */
    coachingSessionAllowance: v.optional(v.number()),
    coachingSessionsUsed: v.optional(v.number()),
  })
    .index("by_studentId_and_status", ["studentId", "status"])
    .index("by_studentId_and_productId", ["studentId", "productId"])
    .index("by_productId_and_status", ["productId", "status"]),
};
