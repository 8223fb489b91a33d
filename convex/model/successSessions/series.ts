import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { MAX_OCCURRENCES } from "./recurrence";

/**
 * Success-session series (SPEC §3): which occurrences an edit or cancellation touches, and splitting a
 * series record when "this and following" occurrences change (RFC 5545 / Google Calendar practice).
 */

/** Which occurrences an edit or cancellation applies to. */
export type EditScope = "this" | "following";

/** The occurrences an edit of `session` with `scope` touches: itself, or it and the later non-cancelled ones of its series. */
export async function sessionsInScope(
  ctx: QueryCtx,
  session: Doc<"successSessions">,
  scope: EditScope,
): Promise<Doc<"successSessions">[]> {
  if (scope === "this" || session.seriesId === undefined) return [session];
  const seriesId = session.seriesId;
  const following = await ctx.db
    .query("successSessions")
    .withIndex("by_seriesId_and_startsAt", (q) => q.eq("seriesId", seriesId).gte("startsAt", session.startsAt))
    .take(MAX_OCCURRENCES + 1);
  return [session, ...following.filter((other) => other._id !== session._id && other.status !== "cancelled")];
}

/**
 * What a "this and following" edit does to the `successSessionSeries` records, worked out from the
 * series as it is before the edit (reads only, so it can run before any write):
 * - `none`: scope "this", a session outside any series, or an edit that touches just one occurrence
 *   (the series records stay as they are);
 * - `inPlace`: the edited occurrence is the first of its series (no occurrence of the series, of any
 *   status, starts before it): the series record itself follows the edit;
 * - `split`: the series is cut before the edited occurrence (RFC 5545 / Google Calendar practice).
 *   `staying` are the occurrences that start earlier (any status); `moving` are the edited
 *   occurrence, the later non-cancelled ones (the edit's targets) and the later cancelled ones.
 */
type SeriesChangePlan =
  | { kind: "none" }
  | { kind: "inPlace"; series: Doc<"successSessionSeries"> }
  | {
      kind: "split";
      series: Doc<"successSessionSeries">;
      staying: Doc<"successSessions">[];
      moving: Doc<"successSessions">[];
    };

/**
 * Plans the series-record side of an edit (see {@link SeriesChangePlan}). Two index ranges on
 * `by_seriesId_and_startsAt`, each bounded by the series cap.
 * @param targets the occurrences the edit changes (from `sessionsInScope`).
 */
export async function planSeriesChange(
  ctx: QueryCtx,
  session: Doc<"successSessions">,
  scope: EditScope,
  targets: readonly Doc<"successSessions">[],
): Promise<SeriesChangePlan> {
  if (scope !== "following" || session.seriesId === undefined || targets.length < 2) return { kind: "none" };
  const seriesId = session.seriesId;
  const series = await ctx.db.get("successSessionSeries", seriesId);
  if (series === null) return { kind: "none" };
  const staying = await ctx.db
    .query("successSessions")
    .withIndex("by_seriesId_and_startsAt", (q) => q.eq("seriesId", seriesId).lt("startsAt", session.startsAt))
    .take(MAX_OCCURRENCES + 1);
  if (staying.length === 0) return { kind: "inPlace", series };
  const targetIds = new Set(targets.map((target) => target._id));
  const laterCancelled = (
    await ctx.db
      .query("successSessions")
      .withIndex("by_seriesId_and_startsAt", (q) => q.eq("seriesId", seriesId).gte("startsAt", session.startsAt))
      .take(MAX_OCCURRENCES + 1)
  ).filter((other) => !targetIds.has(other._id) && other.status === "cancelled");
  return { kind: "split", series, staying, moving: [...targets, ...laterCancelled] };
}

/** Sorts occurrences by start (`startsAtOf`), ties by their current occurrence number. */
function inStartOrder<T extends Doc<"successSessions">>(sessions: readonly T[], startsAtOf: (session: T) => number): T[] {
  return [...sessions].sort(
    (a, b) => startsAtOf(a) - startsAtOf(b) || (a.occurrenceNumber ?? 0) - (b.occurrenceNumber ?? 0),
  );
}

/**
 * Carries out a {@link SeriesChangePlan} after the occurrences themselves were edited, keeping every
 * series record consistent with its documents: `occurrenceCount` = the number of session documents
 * in the series (cancelled ones included, as at creation) and `occurrenceNumber` = 1..count in start
 * order.
 * - `inPlace`: the series takes the new time zone when the edit changed it (frequency and count stay).
 * - `split`: a new series record (same frequency; the new time zone when the edit changed it, else the
 *   old series' zone; created by the editor) receives the moving occurrences, renumbered 1..n by their
 *   start after the edit. Cancelled later occurrences move with them, unchanged otherwise (no new
 *   times, no calendar sequence bump): the old series ends where the split is, like an RFC 5545
 *   `UNTIL`, and the cancellations stay exceptions of the part they fall in. The old record keeps
 *   the earlier occurrences: its count becomes their number and they are renumbered in start order
 *   when an earlier "this" move left them out of order.
 *
 * @param edit.timeZone the zone the edit applies, when it changes the zone (undefined otherwise).
 * @param edit.editorId the staff member editing (`createdBy` of a new series).
 * @param edit.newStartsAt epoch ms start of each edited occurrence after the edit, by id.
 */
export async function applySeriesChange(
  ctx: MutationCtx,
  plan: SeriesChangePlan,
  edit: { timeZone: string | undefined; editorId: Id<"users">; newStartsAt: ReadonlyMap<Id<"successSessions">, number> },
): Promise<void> {
  if (plan.kind === "none") return;
  if (plan.kind === "inPlace") {
    if (edit.timeZone !== undefined && edit.timeZone !== plan.series.timeZone) {
      await ctx.db.patch("successSessionSeries", plan.series._id, { timeZone: edit.timeZone });
    }
    return;
  }
  const newSeriesId = await ctx.db.insert("successSessionSeries", {
    frequency: plan.series.frequency,
    occurrenceCount: plan.moving.length,
    timeZone: edit.timeZone ?? plan.series.timeZone,
    createdBy: edit.editorId,
  });
  const moving = inStartOrder(plan.moving, (session) => edit.newStartsAt.get(session._id) ?? session.startsAt);
  for (const [index, session] of moving.entries()) {
    await ctx.db.patch("successSessions", session._id, { seriesId: newSeriesId, occurrenceNumber: index + 1 });
  }
  await ctx.db.patch("successSessionSeries", plan.series._id, { occurrenceCount: plan.staying.length });
  for (const [index, session] of inStartOrder(plan.staying, (staying) => staying.startsAt).entries()) {
    if (session.occurrenceNumber !== index + 1) {
      await ctx.db.patch("successSessions", session._id, { occurrenceNumber: index + 1 });
    }
  }
}
