import { internal } from "../../_generated/api";
import type { Id } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import type { ReminderLead, SessionKind } from "../../tables/notifications";
import { deliverSessionNoticeChunk } from "./sessionNotices";
import { loadSession, SESSION_KINDS, sessionIdOf, type SessionKindDefinition } from "./sessionKinds";
import { DAY_MS, HOUR_MS } from "../time/units";

/**
 * Reminder emails 24 hours and 1 hour before a session starts (SPEC §7).
 *
 * {@link scheduleReminders} plans one job per lead time at `startsAt − lead` (jobs whose time has
 * passed are not planned), remembering the scheduled function ids in `sessionReminders`; calling it
 * again with a new start cancels and replaces the jobs, with the same start it changes nothing.
 * {@link notifySessionEvent} (sessionNotices.ts) calls it for you on `created`, `changed` and
 * `booked`, and {@link cancelReminders} on `cancelled`.
 *
 * When a job runs ({@link runReminder}) it re-reads the session through the kind's registry entry
 * (`sessionKinds.ts`): a cancelled, deleted, moved or already started session gets no reminder
 * (the row records why); otherwise every recipient gets one email, the row becomes `sent`, and the
 * kind's `onReminderSent` hook runs (coaching sets `reminderSent`).
 */

/** Lead times, in ms before the start. */
const REMINDER_LEADS: Record<ReminderLead, number> = {
  "24h": DAY_MS,
  "1h": HOUR_MS,
};

async function cancelIfPending(ctx: MutationCtx, scheduledId: Id<"_scheduled_functions"> | undefined): Promise<void> {
  if (scheduledId === undefined) return;
  const job = await ctx.db.system.get("_scheduled_functions", scheduledId);
  if (job !== null && job.state.kind === "pending") await ctx.scheduler.cancel(scheduledId);
}

async function reminderRows(ctx: MutationCtx, kind: SessionKind, entityId: string) {
  return await ctx.db
    .query("sessionReminders")
    .withIndex("by_kind_and_entityId", (q) => q.eq("kind", kind).eq("entityId", entityId))
    .take(50);
}

/**
 * Plans (or moves) the 24 h and 1 h reminders of a session.
 *
 * @param args.kind `"success"` or `"coaching"`.
 * @param args.entityId the session's document id.
 * @param args.startsAt the session's start, epoch ms.
 * @returns the planned run times (epoch ms) per lead time still ahead.
 */
export async function scheduleReminders(
  ctx: MutationCtx,
  args: { kind: SessionKind; entityId: string; startsAt: number },
  now: number,
): Promise<Partial<Record<ReminderLead, number>>> {
  const rows = await reminderRows(ctx, args.kind, args.entityId);
  const planned: Partial<Record<ReminderLead, number>> = {};
  for (const [lead, leadMs] of Object.entries(REMINDER_LEADS) as [ReminderLead, number][]) {
    const forLead = rows.filter((row) => row.lead === lead);
    // A reminder planned (or already sent) for this very start stays; anything else is replaced.
    const kept = forLead.find((row) => row.startsAt === args.startsAt && row.status !== "skipped");
    for (const row of forLead) {
      if (row === kept) continue;
      await cancelIfPending(ctx, row.scheduledFunctionId);
      await ctx.db.delete("sessionReminders", row._id);
    }
    if (kept !== undefined) {
      if (kept.status === "scheduled") planned[lead] = kept.runAt;
      continue;
    }
    const runAt = args.startsAt - leadMs;
    if (runAt <= now) continue;
    const reminderId = await ctx.db.insert("sessionReminders", {
      kind: args.kind,
      entityId: args.entityId,
      lead,
      startsAt: args.startsAt,
      runAt,
      status: "scheduled",
    });
    const scheduledFunctionId = await ctx.scheduler.runAt(runAt, internal.notifications.sendReminder, { reminderId });
    await ctx.db.patch("sessionReminders", reminderId, { scheduledFunctionId });
    planned[lead] = runAt;
  }
  return planned;
}

/**
 * Cancels a session's pending reminders (for a cancelled or deleted session). Reminders already
 * sent stay recorded.
 */
export async function cancelReminders(ctx: MutationCtx, args: { kind: SessionKind; entityId: string }): Promise<void> {
  for (const row of await reminderRows(ctx, args.kind, args.entityId)) {
    if (row.status !== "scheduled") continue;
    await cancelIfPending(ctx, row.scheduledFunctionId);
    await ctx.db.delete("sessionReminders", row._id);
  }
}

/**
 * The reminder job (`internal.notifications.sendReminder`): re-checks the session and sends the
 * reminder to its audience, or records why not.
 */
export async function runReminder(ctx: MutationCtx, reminderId: Id<"sessionReminders">, now: number): Promise<void> {
  const row = await ctx.db.get("sessionReminders", reminderId);
  if (row === null || row.status !== "scheduled") return;
  const session = await loadSession(ctx, row.kind, row.entityId);
  const skippedReason =
    session === null
      ? "The session no longer exists."
      : session.cancelled
        ? "The session was cancelled."
        : session.startsAt !== row.startsAt
          ? "The session was moved."
          : session.startsAt <= now
            ? "The session had already started."
            : null;
  if (skippedReason !== null) {
    await ctx.db.patch("sessionReminders", reminderId, { status: "skipped", skippedReason, completedAt: now });
    return;
  }
  await deliverSessionNoticeChunk(ctx, {
    kind: row.kind,
    entityId: row.entityId,
    event: row.lead === "24h" ? "reminder24h" : "reminder1h",
    cursor: null,
  }, now);
  await ctx.db.patch("sessionReminders", reminderId, { status: "sent", completedAt: now });
  const definition: SessionKindDefinition = SESSION_KINDS[row.kind];
  const sessionId = sessionIdOf(ctx, row.kind, row.entityId);
  if (sessionId !== null) await definition.onReminderSent?.(ctx, sessionId);
}
