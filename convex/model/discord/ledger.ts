import type { Infer } from "convex/values";
import { literals } from "convex-helpers/validators";
import type { Id } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import { discordResourceKindValidator } from "../../tables/coaching";
import { spaceOf } from "./spaces";

/**
 * The resource ledger (`discordResources`, SPEC §6): every role and channel this system created or
 * adopted, written the moment Discord returns its id, so a crash never loses a created resource and
 * capacity checks count what the system holds (a trigger keeps the guild totals in step, see
 * `capacity.ts#countLedgerChange`). Write it only from mutations built in `model/functions.ts`.
 */

/**
 * What a run does with a resource it just created or adopted:
 * - `keep`: it belongs to the space (the run goes on);
 * - `stop`: the session was cancelled or finished meanwhile; the resource is stored on the space and
 *   the cleanup that follows the run deletes it; the run stops;
 * - `delete`: the space already has another resource of this kind, or a cleanup run is working on it:
 *   the run must delete this one itself (it would be an orphan).
 */
export const recordedResourceValidator = literals("keep", "stop", "delete");
export type RecordedResource = Infer<typeof recordedResourceValidator>;

/**
 * Stores a role or channel Discord just created (or a run adopted by name): a ledger row (live) and,
 * when the session's space has none yet, its id on the space.
 * @param now epoch ms.
 */
export async function recordResource(
  ctx: MutationCtx,
  args: {
    sessionId: Id<"coachingSessions">;
    kind: Infer<typeof discordResourceKindValidator>;
    discordId: string;
    name: string;
    categoryId: string | null;
  },
  now: number,
): Promise<RecordedResource> {
  const existing = await ctx.db
    .query("discordResources")
    .withIndex("by_discordId", (q) => q.eq("discordId", args.discordId))
    .first();
  if (existing === null) {
    await ctx.db.insert("discordResources", {
      kind: args.kind,
      discordId: args.discordId,
      name: args.name,
      sessionId: args.sessionId,
      ...(args.kind === "channel" ? { categoryId: args.categoryId } : {}),
      live: true,
      createdAt: now,
    });
  }
  const space = await spaceOf(ctx, args.sessionId);
  if (space === null || space.state === "cleaning" || space.state === "cleaned") return "delete";
  const current = args.kind === "role" ? space.roleId : space.channelId;
  if (current !== undefined && current !== args.discordId) return "delete";
  if (current === undefined) {
    await ctx.db.patch("discordSpaces", space._id, args.kind === "role" ? { roleId: args.discordId } : { channelId: args.discordId });
  }
  return space.finishedAs !== undefined ? "stop" : "keep";
}

/** Marks a Discord resource deleted (or found gone) in the ledger; unknown ids are ignored. */
export async function recordResourceGone(ctx: MutationCtx, discordId: string, now: number): Promise<void> {
  const rows = await ctx.db
    .query("discordResources")
    .withIndex("by_discordId", (q) => q.eq("discordId", discordId))
    .take(5);
  for (const row of rows) {
    if (!row.live) continue;
    await ctx.db.patch("discordResources", row._id, { live: false, deletedAt: now });
  }
}
