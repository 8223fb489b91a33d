import { TZDate, tzOffset } from "@date-fns/tz";
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

const DAY_MS = 24 * 60 * 60 * 1000;

/** A wall-clock date and time in some zone; `month` is 0-11, `weekday` 0 (Sunday) - 6. */
export type LocalDateTime = {
  year: number;
  month: number;
  day: number;
  hours: number;
  minutes: number;
  seconds: number;
  milliseconds: number;
  weekday: number;
};

/** The wall-clock parts of the instant `epochMs` in `timeZone`. */
export function localDateTime(epochMs: number, timeZone: string): LocalDateTime {
  const date = new TZDate(epochMs, timeZone);
  return {
    year: date.getFullYear(),
    month: date.getMonth(),
    day: date.getDate(),
    hours: date.getHours(),
    minutes: date.getMinutes(),
    seconds: date.getSeconds(),
    milliseconds: date.getMilliseconds(),
    weekday: date.getDay(),
  };
}

/** Twelve hours (ms): offsets this far before and after a wall time cover any daylight-saving change. */
const HALF_DAY_MS = 12 * 60 * 60 * 1000;

/**
 * The instant (epoch ms) of a wall-clock time in `timeZone`, as RFC 5545 §3.3.5 resolves local times.
 * `month` (0–11) and `day` may overflow (day 32 of January is February 1st). A time that occurs
 * twice (01:30 on the night clocks go back) is its FIRST occurrence; a time that does not exist
 * (inside a spring-forward gap) moves forward by the gap, as calendars do.
 */
export function instantOf(
  parts: Pick<LocalDateTime, "year" | "month" | "day" | "hours" | "minutes"> & Partial<Pick<LocalDateTime, "seconds" | "milliseconds">>,
  timeZone: string,
): number {
  // The wall time read as if it were UTC; the real instant is that minus the zone's offset then.
  const wallAsUtc = Date.UTC(parts.year, parts.month, parts.day, parts.hours, parts.minutes, parts.seconds ?? 0, parts.milliseconds ?? 0);
  const offsetMs = (at: number) => tzOffset(timeZone, new Date(at)) * 60_000;
  const matches = [offsetMs(wallAsUtc - HALF_DAY_MS), offsetMs(wallAsUtc + HALF_DAY_MS)]
    .map((offset) => wallAsUtc - offset)
    .filter((instant) => instant + offsetMs(instant) === wallAsUtc);
  if (matches.length > 0) return Math.min(...matches);
  const normalized = new Date(Date.UTC(parts.year, parts.month, parts.day));
  return new TZDate(
    normalized.getUTCFullYear(),
    normalized.getUTCMonth(),
    normalized.getUTCDate(),
    parts.hours,
    parts.minutes,
    parts.seconds ?? 0,
    parts.milliseconds ?? 0,
    timeZone,
  ).getTime();
}

/** Number of days in `month` (0-11) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** 1-based week of the month of a day (1–7 → 1, …, 29–31 → 5). */
function weekOfMonth(day: number): number {
  return Math.ceil(day / 7);
}

/** The day of the month of the `nth` (1–4) `weekday` of a month, or of its last one (`nth` 5). */
function nthWeekdayOfMonth(year: number, month: number, weekday: number, nth: number): number {
  if (nth >= 5) {
    const lastDay = daysInMonth(year, month);
    const lastWeekday = new Date(Date.UTC(year, month, lastDay)).getUTCDay();
    return lastDay - ((lastWeekday - weekday + 7) % 7);
  }
  const firstWeekday = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return 1 + ((weekday - firstWeekday + 7) % 7) + 7 * (nth - 1);
}

/** True when the local date of `epochMs` in `timeZone` is the last day of its month. */
export function isLastDayOfMonth(epochMs: number, timeZone: string): boolean {
  const local = localDateTime(epochMs, timeZone);
  return local.day === daysInMonth(local.year, local.month);
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
        const monthStart = new Date(Date.UTC(first.year, first.month + index, 1));
        const year = monthStart.getUTCFullYear();
        const month = monthStart.getUTCMonth();
        const day = nthWeekdayOfMonth(year, month, first.weekday, weekOfMonth(first.day));
        starts.push(instantOf({ year, month, day, ...time }, timeZone));
        break;
      }
      case "monthly_last_day": {
        const monthStart = new Date(Date.UTC(first.year, first.month + index, 1));
        const year = monthStart.getUTCFullYear();
        const month = monthStart.getUTCMonth();
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
  const dayShift = Math.round(
    (Date.UTC(after.year, after.month, after.day) - Date.UTC(before.year, before.month, before.day)) / DAY_MS,
  );
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
