import type { Doc } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import type { WithoutSystemFields } from "convex/server";
import { spaceOf } from "./spaces";
import { sessionTimes } from "../coaching/timeNames";

/**
 * Moving the Discord fields that `coachingSessions` carried before `discordSpaces` existed into a
 * space row (the `moveDiscordSpaces` migration in `convex/migrations.ts`).
 */

/** The names of the legacy fields on `coachingSessions` (see `legacyDiscordFields` in tables/coaching.ts). */
const LEGACY_FIELDS = [
  "discordKey",
  "discordRoleId",
  "discordChannelId",
  "discordSetupComplete",
  "discordRoleGrantedTo",
  "discordRoleCreateAttempted",
  "discordChannelCreateAttempted",
  "provisioningState",
  "provisioningAttempts",
  "provisioningLastError",
  "provisioningNextAttemptAt",
  "provisioningLeaseId",
  "provisioningLeaseExpiresAt",
  "discordHeldSlots",
  "provisionedAt",
  "cleanedAt",
] as const;

/** True when the session still carries legacy Discord fields. */
function hasLegacyDiscordFields(session: Doc<"coachingSessions">): boolean {
  return LEGACY_FIELDS.some((field) => session[field] !== undefined);
}

/**
 * The space a session's legacy fields describe (a session without them gets a `pending` space with
 * its primary key, as booking would have made).
 */
export function spaceFromLegacyFields(session: Doc<"coachingSessions">): WithoutSystemFields<Doc<"discordSpaces">> {
  return {
    sessionId: session._id,
    ...sessionTimes(session.startTime, session.endTime),
    ...(session.status === "CANCELLED" || session.status === "COMPLETED" ? { finishedAs: session.status } : {}),
    key: session.discordKey || session._id.slice(-8).toLowerCase(),
    state: session.provisioningState ?? "pending",
    roleId: session.discordRoleId,
    channelId: session.discordChannelId,
    setupComplete: session.discordSetupComplete ?? false,
    roleGrantedTo: session.discordRoleGrantedTo ?? [],
    roleCreateAttempted: session.discordRoleCreateAttempted ?? false,
    channelCreateAttempted: session.discordChannelCreateAttempted ?? false,
    attempts: session.provisioningAttempts ?? 0,
    lastError: session.provisioningLastError,
    nextAttemptAt: session.provisioningNextAttemptAt,
    leaseId: session.provisioningLeaseId,
    leaseExpiresAt: session.provisioningLeaseExpiresAt,
    provisionedAt: session.provisionedAt,
    cleanedAt: session.cleanedAt,
  };
}

/**
 * The patch that removes a space's legacy `heldSlots` (send times the hand-written pacing held for a
 * space's next run; nothing reads them since the shared rate limiter paces Discord requests), or
 * undefined when there are none (the `clearDiscordHeldSlots` migration).
 */
export function withoutHeldSlots(space: Doc<"discordSpaces">): { heldSlots: undefined } | undefined {
  return space.heldSlots === undefined ? undefined : { heldSlots: undefined };
}

/**
 * Migrates one session: inserts its space from the legacy fields unless it has one, then removes the
 * legacy fields. Running it again on the same session changes nothing, so the migration can resume
 * from any point.
 */
export async function moveSessionToSpace(ctx: MutationCtx, session: Doc<"coachingSessions">): Promise<void> {
  if ((await spaceOf(ctx, session._id)) === null) {
    await ctx.db.insert("discordSpaces", spaceFromLegacyFields(session));
  }
  if (!hasLegacyDiscordFields(session)) return;
  await ctx.db.patch("coachingSessions", session._id, Object.fromEntries(LEGACY_FIELDS.map((field) => [field, undefined])));
}
