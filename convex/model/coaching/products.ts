import { v } from "convex/values";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { hasPermission, hasRole, type Viewer } from "../access";
import { hasActiveProductAccess, requireProduct } from "../catalog/lookups";
import { throwError } from "../errors";
import { optionalText, requireText, textArg, optionalArg, wholeNumberArg, listArg } from "../validation";
import { productPolicyOf, productPolicyValidator, type ProductPolicy } from "./policy";
import { requireDocument } from "../documents";

/** Coaching products (SPEC §6): a bookable offer on top of a catalog product of kind `coaching`. */

const MIN_DURATION_MINUTES = 15;
export const MAX_DURATION_MINUTES = 240;
/** Upper bound of coaching products read at once (a small table). */
const COACHING_PRODUCT_LIST_LIMIT = 200;
/** Most coaches on one product. */
const MAX_COACHES_PER_PRODUCT = 50;

const coachSummaryValidator = v.object({ _id: v.id("users"), name: v.string(), timeZone: v.union(v.string(), v.null()) });

/** A coaching product as the API returns it. */
export const coachingProductViewValidator = v.object({
  _id: v.id("coachingProducts"),
  productId: v.id("products"),
  title: v.string(),
  description: v.string(),
  durationMinutes: v.number(),
  priceCents: v.number(),
  active: v.boolean(),
  coaches: v.array(coachSummaryValidator),
  /** Buffers, minimum notice, booking horizon and cancellation window (defaults filled in). */
  policy: productPolicyValidator,
});

type CoachingProductView = {
  _id: Id<"coachingProducts">;
  productId: Id<"products">;
  title: string;
  description: string;
  durationMinutes: number;
  priceCents: number;
  active: boolean;
  coaches: Array<{ _id: Id<"users">; name: string; timeZone: string | null }>;
  policy: ProductPolicy;
};

/** Fields of {@link createCoachingProduct} / {@link updateCoachingProduct}. */
type CoachingProductInput = {
  productId: Id<"products">;
  title: string;
  description?: string;
  durationMinutes: number;
  priceCents: number;
  coachIds: Id<"users">[];
  active: boolean;
};

export const coachingProductInputFields = {
  productId: v.id("products"),
  title: textArg("Title", 120),
  description: optionalArg(textArg("Description", 2000)),
  durationMinutes: wholeNumberArg("Duration (minutes)", MIN_DURATION_MINUTES, MAX_DURATION_MINUTES),
  /** At most 1,000,000.00 in the product's currency. */
  priceCents: wholeNumberArg("Price (cents)", 0, 100_000_000),
  coachIds: listArg("Coaches", v.id("users"), MAX_COACHES_PER_PRODUCT),
  active: v.boolean(),
};

/** Staff who see every coaching product (active or not). */
function canSeeAllCoachingProducts(viewer: Viewer): boolean {
  return hasPermission(viewer, "coaching.manage") || hasPermission(viewer, "catalog.read") || hasPermission(viewer, "sessions.readAll");
}

/**
 * Whether `viewer` may see a coaching product: staff always; its coaches; students while it is
 * active and they hold active access to its catalog product. Callers answer "not found" when false.
 */
async function canSeeCoachingProduct(ctx: QueryCtx, viewer: Viewer, product: Doc<"coachingProducts">): Promise<boolean> {
  if (canSeeAllCoachingProducts(viewer)) return true;
  if (product.coachIds.includes(viewer._id)) return true;
  return product.active && hasPermission(viewer, "coaching.book") && (await hasActiveProductAccess(ctx, viewer._id, product.productId));
}

/** Adds coach names and zones. */
export async function toCoachingProductView(ctx: QueryCtx, product: Doc<"coachingProducts">): Promise<CoachingProductView> {
  const coaches = await Promise.all(product.coachIds.map((coachId) => ctx.db.get("users", coachId)));
  return {
    _id: product._id,
    productId: product.productId,
    title: product.title,
    description: product.description,
    durationMinutes: product.durationMinutes,
    priceCents: product.priceCents,
    active: product.active,
    coaches: coaches.flatMap((coach) =>
      coach !== null && coach.active && hasRole(coach, "coach") ? [{ _id: coach._id, name: coach.name, timeZone: coach.timeZone ?? null }] : [],
    ),
    policy: productPolicyOf(product),
  };
}

/**
 * The coaching products `viewer` may see, active first, by title: everything for staff, the ones
 * they give for coaches, the active ones of their products for students; an empty list for anyone
 * else. Any signed-in user.
 */
export async function listVisibleCoachingProducts(ctx: QueryCtx, viewer: Viewer): Promise<CoachingProductView[]> {
  const active = await ctx.db
    .query("coachingProducts")
    .withIndex("by_active", (q) => q.eq("active", true))
    .take(COACHING_PRODUCT_LIST_LIMIT);
  const inactive = canSeeAllCoachingProducts(viewer) || hasRole(viewer, "coach")
    ? await ctx.db
        .query("coachingProducts")
        .withIndex("by_active", (q) => q.eq("active", false))
        .take(COACHING_PRODUCT_LIST_LIMIT)
    : [];
  const visible: Doc<"coachingProducts">[] = [];
  for (const product of [...active, ...inactive]) {
    if (await canSeeCoachingProduct(ctx, viewer, product)) visible.push(product);
  }
  const byTitle = (a: Doc<"coachingProducts">, b: Doc<"coachingProducts">) =>
    Number(b.active) - Number(a.active) || a.title.localeCompare(b.title);
  return await Promise.all(visible.sort(byTitle).map((product) => toCoachingProductView(ctx, product)));
}

/**
 * The coaching product when `viewer` may see it.
 * @throws ConvexError NOT_FOUND otherwise (no existence leak).
 */
export async function requireVisibleCoachingProduct(
  ctx: QueryCtx,
  viewer: Viewer,
  coachingProductId: Id<"coachingProducts">,
): Promise<Doc<"coachingProducts">> {
  return await requireDocument(ctx, "coachingProducts", coachingProductId, "This coaching product does not exist or is not one of your products.", (product) =>
    canSeeCoachingProduct(ctx, viewer, product),
  );
}

async function validateInput(ctx: QueryCtx, input: CoachingProductInput) {
  const catalogProduct = await requireProduct(ctx, input.productId);
  if (catalogProduct.kind !== "coaching") {
    throwError("INVALID_ARGUMENT", `"${catalogProduct.title}" is not a coaching product (its kind is ${catalogProduct.kind}).`, {
      field: "productId",
    });
  }
  const title = requireText("Title", input.title, 120);
  const description = optionalText("Description", input.description, 2000);
  const { durationMinutes, priceCents } = input;
  if (
    !Number.isInteger(durationMinutes) ||
    durationMinutes < MIN_DURATION_MINUTES ||
    durationMinutes > MAX_DURATION_MINUTES ||
    durationMinutes % 5 !== 0
  ) {
    throwError(
      "INVALID_ARGUMENT",
      `Duration must be ${MIN_DURATION_MINUTES}–${MAX_DURATION_MINUTES} minutes, in steps of 5.`,
      { field: "durationMinutes" },
    );
  }
  if (!Number.isInteger(priceCents) || priceCents < 0 || priceCents > 100_000_00) {
    throwError("INVALID_ARGUMENT", "Price must be a whole number of cents between 0 and 10,000,000.", { field: "priceCents" });
  }
  const coachIds = [...new Set(input.coachIds)];
  if (coachIds.length > MAX_COACHES_PER_PRODUCT) {
    throwError("INVALID_ARGUMENT", `At most ${MAX_COACHES_PER_PRODUCT} coaches per product.`, { field: "coachIds" });
  }
  if (input.active && coachIds.length === 0) {
    throwError("INVALID_ARGUMENT", "An active coaching product needs at least one coach.", { field: "coachIds" });
  }
  for (const coachId of coachIds) {
    const coach = await ctx.db.get("users", coachId);
    if (coach === null || !coach.active) throwError("NOT_FOUND", "One of the chosen coaches does not exist.", { field: "coachIds" });
    if (!hasRole(coach, "coach")) throwError("INVALID_ARGUMENT", `${coach.name} does not have the coach role.`, { field: "coachIds" });
  }
  return { productId: input.productId, title, description, durationMinutes, priceCents, coachIds, active: input.active };
}

/**
 * Creates a coaching product on a catalog product of kind `coaching`. Admins (`coaching.manage`).
 * @param input `{ productId, title, description?, durationMinutes (15–240, steps of 5), priceCents,
 *   coachIds, active }`.
 * @throws ConvexError NOT_FOUND (catalog product, coach), INVALID_ARGUMENT (fields, kind, coach role).
 */
export async function createCoachingProduct(ctx: MutationCtx, input: CoachingProductInput): Promise<Id<"coachingProducts">> {
  return await ctx.db.insert("coachingProducts", await validateInput(ctx, input));
}

/**
 * Replaces a coaching product's fields (the same as {@link createCoachingProduct}; its policy stays,
 * see `policy.ts`). Existing bookings keep their duration. Admins (`coaching.manage`).
 * @throws ConvexError NOT_FOUND, INVALID_ARGUMENT as {@link createCoachingProduct}.
 */
export async function updateCoachingProduct(
  ctx: MutationCtx,
  coachingProductId: Id<"coachingProducts">,
  input: CoachingProductInput,
): Promise<void> {
  await requireDocument(ctx, "coachingProducts", coachingProductId, "That coaching product does not exist.");
  await ctx.db.patch("coachingProducts", coachingProductId, await validateInput(ctx, input));
}
