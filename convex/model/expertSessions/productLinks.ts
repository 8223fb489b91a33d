import { v, type Infer } from "convex/values";
import type { Doc, Id } from "../../_generated/dataModel";
import type { QueryCtx } from "../../_generated/server";
import { throwError } from "../errors";
import { MAX_PRODUCTS_PER_SESSION } from "./limits";
import { requireProduct } from "../catalog/lookups";

/** Expert sessions (SPEC §5): the products a session is linked to, as chosen on the form and as shown in lists. */

/**
 * Checks the chosen products: at least one, none twice, each existing.
 * @throws ConvexError INVALID_ARGUMENT (none, too many, duplicates), NOT_FOUND (unknown product).
 */
export async function requireProductSelection(ctx: QueryCtx, productIds: readonly Id<"products">[]): Promise<Id<"products">[]> {
  if (productIds.length === 0) {
    throwError("INVALID_ARGUMENT", "Choose at least one product for this expert session.", { field: "productIds" });
  }
  if (productIds.length > MAX_PRODUCTS_PER_SESSION) {
    throwError("INVALID_ARGUMENT", `An expert session can belong to at most ${MAX_PRODUCTS_PER_SESSION} products.`, { field: "productIds" });
  }
  if (new Set(productIds).size !== productIds.length) {
    throwError("INVALID_ARGUMENT", "Each product can be chosen only once.", { field: "productIds" });
  }
  for (const productId of productIds) await requireProduct(ctx, productId);
  return [...productIds];
}

/** The product links of a session. */
export async function linksOf(ctx: QueryCtx, expertSessionId: Id<"expertSessions">): Promise<Doc<"expertSessionProducts">[]> {
  return await ctx.db
    .query("expertSessionProducts")
    .withIndex("by_expertSessionId_and_productId", (q) => q.eq("expertSessionId", expertSessionId))
    .take(MAX_PRODUCTS_PER_SESSION * 2);
}

/** Which links an edit adds and removes, given the current links and the chosen products. */
export function diffProductLinks(
  current: readonly Pick<Doc<"expertSessionProducts">, "_id" | "productId">[],
  chosen: readonly Id<"products">[],
): { add: Id<"products">[]; remove: Id<"expertSessionProducts">[] } {
  const chosenSet = new Set<string>(chosen);
  const currentSet = new Set<string>(current.map((link) => link.productId));
  return {
    add: chosen.filter((productId) => !currentSet.has(productId)),
    remove: current.filter((link) => !chosenSet.has(link.productId)).map((link) => link._id),
  };
}

/** A linked product as lists show it: its id and title. */
export const productBadgeValidator = v.object({ _id: v.id("products"), title: v.string() });


/** The badges of the given products that still exist, by title. */
export async function productBadges(ctx: QueryCtx, productIds: readonly Id<"products">[]) {
  const badges: Infer<typeof productBadgeValidator>[] = [];
  for (const productId of productIds) {
    const product = await ctx.db.get("products", productId);
    if (product !== null) badges.push({ _id: product._id, title: product.title });
  }
  return badges.sort((a, b) => a.title.localeCompare(b.title));
}

