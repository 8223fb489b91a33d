import { Triggers } from "convex-helpers/server/triggers";
import type { DataModel } from "../_generated/dataModel";
import { countLedgerChange } from "./discord/capacity";

/**
 * Table triggers (convex-helpers): code that runs in the same transaction as every write to a table,
 * for mutations built with the builders of `functions.ts` (they wrap `ctx.db` with {@link triggers}).
 *
 * - `discordResources`: keeps the guild's running totals (`discordGuildTotals`) in step with the
 *   resource ledger (`discord/capacity.ts#countLedgerChange`).
 */
export const triggers = new Triggers<DataModel>();

triggers.register("discordResources", countLedgerChange);
