import type { Doc, Id, TableNames } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { throwError } from "./errors";

/**
 * Loads the document `id` of `table` for a caller.
 *
 * @param notFoundMessage the NOT_FOUND message ("That course does not exist.").
 * @param isVisible the access rule (`convex/model/access.ts`) the caller must pass; a document they
 *   may not see is answered like a missing one, so its existence does not leak. Absent: no rule.
 * @returns the document.
 * @throws ConvexError NOT_FOUND when it does not exist or `isVisible` refuses it.
 */
export async function requireDocument<Table extends TableNames>(
  ctx: QueryCtx,
  table: Table,
  id: Id<Table>,
  notFoundMessage: string,
  isVisible: (document: Doc<Table>) => boolean | Promise<boolean> = () => true,
): Promise<Doc<Table>> {
  const document = await ctx.db.get(table, id);
  if (document === null || !(await isVisible(document))) throwError("NOT_FOUND", notFoundMessage);
  return document;
}
