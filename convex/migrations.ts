import { Migrations } from "@convex-dev/migrations";
import { v } from "convex/values";
import { components, internal } from "./_generated/api";
import type { DataModel } from "./_generated/dataModel";
import type { PropertyValidators } from "convex/values";
import type { internalMutation as rawInternalMutation, MutationCtx } from "./_generated/server";
import { copiedTimeNames } from "./model/coaching/timeNames";
import { moveSessionToSpace, withoutHeldSlots } from "./model/discord/spaceMigration";
import { internalMutation } from "./model/functions";

/**
 * Data migrations (`@convex-dev/migrations`: batched, resumable from where they stopped, state kept
 * in the component). Run all pending ones after a deploy with `npx convex run migrations:run`.
 *
 * The component's functions are built with our `internalMutation` (so table triggers run on their
 * writes) and declare their result as `v.any()`: it is the component's own run status.
 */
export const migrations = new Migrations<DataModel>(components.migrations, {
  internalMutation: ((definition: { args: PropertyValidators; handler: (ctx: MutationCtx, args: never) => Promise<unknown> }) =>
    internalMutation({ args: definition.args, returns: v.any(), handler: definition.handler })) as unknown as typeof rawInternalMutation,
});

/** Moves each coaching session's Discord fields into its `discordSpaces` row; see `model/discord/spaceMigration.ts#moveSessionToSpace`. */
export const moveDiscordSpaces = migrations.define({
  table: "coachingSessions",
  migrateOne: (ctx, session) => moveSessionToSpace(ctx, session),
});

/** Removes the legacy `heldSlots` of Discord spaces; see `model/discord/spaceMigration.ts#withoutHeldSlots`. */
export const clearDiscordHeldSlots = migrations.define({
  table: "discordSpaces",
  migrateOne: (_ctx, space) => withoutHeldSlots(space),
});

/** Copies each coaching session's `startTime`/`endTime` into `startsAt`/`endsAt`; see `model/coaching/timeNames.ts#copiedTimeNames`. */
export const copySessionTimeNames = migrations.define({
  table: "coachingSessions",
  migrateOne: (_ctx, session) => copiedTimeNames(session),
});

/** Copies each Discord space's `startTime`/`endTime` into `startsAt`/`endsAt`; see `model/coaching/timeNames.ts#copiedTimeNames`. */
export const copyDiscordSpaceTimeNames = migrations.define({
  table: "discordSpaces",
  migrateOne: (_ctx, space) => copiedTimeNames(space),
});

/** Starts every migration above that has not completed, one after the other (`npx convex run migrations:run`). */
export const run = internalMutation({
  args: {},
  returns: v.null(),
  handler: async (ctx) => {
    await migrations.runSerially(ctx, [
      internal.migrations.moveDiscordSpaces,
      internal.migrations.clearDiscordHeldSlots,
      internal.migrations.copySessionTimeNames,
      internal.migrations.copyDiscordSpaceTimeNames,
    ]);
    return null;
  },
});
