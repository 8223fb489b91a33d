import type { Doc } from "../../_generated/dataModel";

/**
 * Release 1 ("widen") of renaming the time fields of `coachingSessions` and `discordSpaces` from
 * `startTime`/`endTime` to `startsAt`/`endsAt` (DEVELOPERS.md, "Names of indexes and time fields"):
 * writers write both names, readers still read the old ones, and two migrations fill the new names
 * of documents written before.
 */

/**
 * The time fields of a `coachingSessions` or `discordSpaces` document under both names, to spread
 * into every insert or patch that sets a session's times, so that the two names always hold the same
 * instants.
 * @param startsAt epoch milliseconds (UTC) of the start; `endsAt` of the end.
 * @returns `{ startTime, endTime, startsAt, endsAt }`.
 */
export function sessionTimes(startsAt: number, endsAt: number) {
  return { startTime: startsAt, endTime: endsAt, startsAt, endsAt };
}

/**
 * The patch that copies a document's `startTime`/`endTime` into `startsAt`/`endsAt`, or undefined
 * when they already hold the same values (the `copySessionTimeNames` and `copyDiscordSpaceTimeNames`
 * migrations; running it again changes nothing).
 */
export function copiedTimeNames(
  document: Pick<Doc<"coachingSessions"> | Doc<"discordSpaces">, "startTime" | "endTime" | "startsAt" | "endsAt">,
): { startsAt: number; endsAt: number } | undefined {
  if (document.startsAt === document.startTime && document.endsAt === document.endTime) return undefined;
  return { startsAt: document.startTime, endsAt: document.endTime };
}
