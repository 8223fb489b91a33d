import { daysBetween, daysInMonth, instantOf, localDateTime } from "../time/localDates";
import type { RecurrenceFrequency } from "../../tables/successSessions";
import { throwError } from "../errors";

/**
 * Recurring success sessions (SPEC §3): occurrence start times computed on the wall clock of the
 * session's IANA time zone, so a 18:00 Berlin session stays at 18:00 Berlin time across the March
 * and October/November daylight-saving changes. Pure functions (no database), shared by the backend
 * and the scheduling dialog.
 */

/** Most occurrences one series may have. */
export const MAX_OCCURRENCES = 52;

/** 1-based week of the month of a day (1–7 → 1, …, 29–31 → 5). */
function weekOfMonth(day: number): number {
  return Math.ceil(day / 7);
}

/** The day of the month of the `nth` (1–4) `weekday` of `month` (1–12), or of its last one (`nth` 5). */
function nthWeekdayOfMonth(year: number, month: number, weekday: number, nth: number): number {
  if (nth >= 5) {
    const lastDay = daysInMonth(year, month);
    const lastWeekday = new Date(Date.UTC(year, month - 1, lastDay)).getUTCDay();
    return lastDay - ((lastWeekday - weekday + 7) % 7);
  }
  const firstWeekday = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  return 1 + ((weekday - firstWeekday + 7) % 7) + 7 * (nth - 1);
}

/**
 * Start instants of every occurrence of a series, the first being `startsAt` itself.
 *
 * @param startsAt epoch ms of the first occurrence.
 * @param timeZone IANA zone whose wall clock the series follows.
 * @param frequency see `recurrenceFrequencyValidator`.
 * @param occurrences how many (1–52).
 * @throws ConvexError INVALID_ARGUMENT for more than 52 or fewer than 1 occurrences, or
 *   `monthly_last_day` starting on a day that is not the last of its month.
 */
export function occurrenceStarts(
  startsAt: number,
  timeZone: string,
  frequency: RecurrenceFrequency,
  occurrences: number,
): number[] {
  if (!Number.isInteger(occurrences) || occurrences < 1) {
    throwError("INVALID_ARGUMENT", "A series needs at least one occurrence.", { field: "occurrences" });
  }
  if (occurrences > MAX_OCCURRENCES) {
    throwError("INVALID_ARGUMENT", `A series can have at most ${MAX_OCCURRENCES} occurrences; you asked for ${occurrences}.`, {
      field: "occurrences",
    });
  }
  const first = localDateTime(startsAt, timeZone);
  const time = { hours: first.hours, minutes: first.minutes, seconds: first.seconds, milliseconds: first.milliseconds };
  if (frequency === "monthly_last_day" && first.day !== daysInMonth(first.year, first.month)) {
    throwError("INVALID_ARGUMENT", "“Monthly on the last day” needs a first date on the last day of a month.", {
      field: "recurrence",
    });
  }
  const starts: number[] = [startsAt];
  for (let index = 1; index < occurrences; index += 1) {
    switch (frequency) {
      case "weekly":
      case "every_two_weeks": {
        const days = (frequency === "weekly" ? 7 : 14) * index;
        starts.push(instantOf({ year: first.year, month: first.month, day: first.day + days, ...time }, timeZone));
        break;
      }
      case "monthly_weekday": {
        const monthStart = new Date(Date.UTC(first.year, first.month - 1 + index, 1));
        const year = monthStart.getUTCFullYear();
        const month = monthStart.getUTCMonth() + 1;
        const day = nthWeekdayOfMonth(year, month, first.weekday, weekOfMonth(first.day));
        starts.push(instantOf({ year, month, day, ...time }, timeZone));
        break;
      }
      case "monthly_last_day": {
        const monthStart = new Date(Date.UTC(first.year, first.month - 1 + index, 1));
        const year = monthStart.getUTCFullYear();
        const month = monthStart.getUTCMonth() + 1;
        starts.push(instantOf({ year, month, day: daysInMonth(year, month), ...time }, timeZone));
        break;
      }
    }
  }
  return starts;
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const ORDINALS = ["first", "second", "third", "fourth", "last"];

/**
 * The recurrence choices that make sense for a first occurrence at `startsAt` in `timeZone`, with a
 * label a person reads ("Monthly on the second Tuesday"). `monthly_last_day` is offered only when the
 * date is the last day of its month.
 */
export function recurrenceChoices(startsAt: number, timeZone: string): { frequency: RecurrenceFrequency; label: string }[] {
  const local = localDateTime(startsAt, timeZone);
  const weekday = WEEKDAYS[local.weekday];
  const choices: { frequency: RecurrenceFrequency; label: string }[] = [
    { frequency: "weekly", label: `Weekly on ${weekday}` },
    { frequency: "every_two_weeks", label: `Every 2 weeks on ${weekday}` },
    { frequency: "monthly_weekday", label: `Monthly on the ${ORDINALS[weekOfMonth(local.day) - 1]} ${weekday}` },
  ];
  if (local.day === daysInMonth(local.year, local.month)) {
    choices.push({ frequency: "monthly_last_day", label: "Monthly on the last day" });
  }
  return choices;
}

/**
 * Moves an occurrence the way an edit of an earlier occurrence was moved ("this and following"):
 * the same number of calendar days, to the new wall-clock time of day, in the (possibly new) zone.
 *
 * @param occurrenceStartsAt the occurrence's current start (epoch ms).
 * @param edited the edited occurrence's start before (`fromStartsAt` in `fromTimeZone`) and after
 *   (`toStartsAt` in `toTimeZone`) the edit.
 * @returns the occurrence's new start (epoch ms).
 */
export function shiftOccurrence(
  occurrenceStartsAt: number,
  edited: { fromStartsAt: number; fromTimeZone: string; toStartsAt: number; toTimeZone: string },
): number {
  const before = localDateTime(edited.fromStartsAt, edited.fromTimeZone);
  const after = localDateTime(edited.toStartsAt, edited.toTimeZone);
  const dayShift = daysBetween(before, after);
  const occurrence = localDateTime(occurrenceStartsAt, edited.fromTimeZone);
  return instantOf(
    {
      year: occurrence.year,
      month: occurrence.month,
      day: occurrence.day + dayShift,
      hours: after.hours,
      minutes: after.minutes,
      seconds: after.seconds,
      milliseconds: after.milliseconds,
    },
    edited.toTimeZone,
  );
}
