import { Migrations } from "@convex-dev/migrations";
import { components, internal } from "./_generated/api";
import type { DataModel } from "./_generated/dataModel";
import { moveSessionToSpace } from "./model/discord/spaceMigration";

/**
 * Data migrations (`@convex-dev/migrations`: batched, resumable from where they stopped, state kept
 * in the component). Run all pending ones after a deploy with `npx convex run migrations:run`.
 */
export const migrations = new Migrations<DataModel>(components.migrations);

/** Moves each coaching session's Discord fields into its `discordSpaces` row; see `model/discord/spaceMigration.ts#moveSessionToSpace`. */
export const moveDiscordSpaces = migrations.define({
  table: "coachingSessions",
  migrateOne: (ctx, session) => moveSessionToSpace(ctx, session),
});

/** Runs every migration above that has not completed, in order. */
export const run = migrations.runner([internal.migrations.moveDiscordSpaces]);
