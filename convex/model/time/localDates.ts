import { TZDate, tzOffset } from "@date-fns/tz";
import { throwError } from "../errors";
import { HOUR_MS, MINUTE_MS } from "./units";

/**
 * Calendar dates and wall-clock times in an IANA time zone, shared by the server and the pages. All
 * instants are epoch milliseconds (UTC). Months are 1–12 everywhere (as written in "2026-07-20"),
 * weekdays 0 (Sunday) – 6. Zone arithmetic goes through `@date-fns/tz`, so a local day is 23 or 25
 * hours long on daylight-saving days and a wall time keeps its clock reading across them.
 */

/** A calendar date in some time zone; `month` is 1–12. */
export type LocalDate = { year: number; month: number; day: number };

/** A wall-clock date and time in some zone; `month` is 1–12, `weekday` 0 (Sunday) – 6. */
type LocalDateTime = LocalDate & {
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
    month: date.getMonth() + 1,
    day: date.getDate(),
    hours: date.getHours(),
    minutes: date.getMinutes(),
    seconds: date.getSeconds(),
    milliseconds: date.getMilliseconds(),
    weekday: date.getDay(),
  };
}

/** The local calendar date and weekday of `instant` (epoch ms) in `timeZone`. */
export function localDateOf(instant: number, timeZone: string): LocalDate & { weekday: number } {
  const { year, month, day, weekday } = localDateTime(instant, timeZone);
  return { year, month, day, weekday };
}

/** Twelve hours (ms): offsets this far before and after a wall time cover any daylight-saving change. */
const HALF_DAY_MS = 12 * HOUR_MS;

/**
 * The instant (epoch ms) of a wall-clock time in `timeZone`, as RFC 5545 §3.3.5 resolves local times.
 * `month` (1–12) and `day` may overflow (day 32 of January is February 1st). A time that occurs
 * twice (01:30 on the night clocks go back) is its FIRST occurrence; a time that does not exist
 * (inside a spring-forward gap) moves forward by the gap, as calendars do.
 */
export function instantOf(
  parts: LocalDate & Pick<LocalDateTime, "hours" | "minutes"> & Partial<Pick<LocalDateTime, "seconds" | "milliseconds">>,
  timeZone: string,
): number {
  // The wall time read as if it were UTC; the real instant is that minus the zone's offset then.
  const wallAsUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hours, parts.minutes, parts.seconds ?? 0, parts.milliseconds ?? 0);
  const offsetMs = (at: number) => tzOffset(timeZone, new Date(at)) * MINUTE_MS;
  const matches = [offsetMs(wallAsUtc - HALF_DAY_MS), offsetMs(wallAsUtc + HALF_DAY_MS)]
    .map((offset) => wallAsUtc - offset)
    .filter((instant) => instant + offsetMs(instant) === wallAsUtc);
  if (matches.length > 0) return Math.min(...matches);
  const normalized = new Date(Date.UTC(parts.year, parts.month - 1, parts.day));
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

/** The instant of `minute` minutes after local midnight of `date` in `timeZone` (epoch ms). */
export function localMinuteToInstant(date: LocalDate, minute: number, timeZone: string): number {
  return new TZDate(date.year, date.month - 1, date.day, 0, minute, timeZone).getTime();
}

/** Number of days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `date` plus `days` calendar days (any integer). */
export function addDays(date: LocalDate, days: number): LocalDate & { weekday: number } {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    weekday: shifted.getUTCDay(),
  };
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.UTC(to.year, to.month - 1, to.day) - Date.UTC(from.year, from.month - 1, from.day)) / (24 * HOUR_MS));
}

/** "2026-07-20" for a local date. */
export function formatLocalDate(date: LocalDate): string {
  const pad = (value: number, length: number) => String(value).padStart(length, "0");
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** The local date written "YYYY-MM-DD", or null when it is not a real calendar date. */
function readLocalDate(value: string): LocalDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  const check = addDays(date, 0);
  return check.year === date.year && check.month === date.month && check.day === date.day ? date : null;
}

/**
 * Parses "YYYY-MM-DD".
 * @throws ConvexError INVALID_ARGUMENT when it is not a real calendar date.
 */
export function parseLocalDate(value: string, field = "Date"): LocalDate {
  const date = readLocalDate(value);
  if (date === null) throwError("INVALID_ARGUMENT", `${field} must be a date written as YYYY-MM-DD, e.g. 2026-07-20.`, { field });
  return date;
}

/** The calendar day ("2025-03-03") of `at` (epoch ms) in `timeZone`; inverse of {@link startOfDayInZone}. */
export function dayInZone(at: number, timeZone: string): string {
  return formatLocalDate(localDateOf(at, timeZone));
}

/** The year, month (1–12) and day written in "YYYY-MM-DD", read leniently (day 32 of January is February 1st). */
function dateParts(date: string): [number, number, number] {
  const [year, month, day] = date.split("-").map(Number);
  return [year, month, day];
}

/**
 * Epoch milliseconds of the first instant of the calendar day `date` ("2025-03-03") in `timeZone`
 * (midnight, or the first moment after a daylight-saving gap that swallows midnight).
 */
export function startOfDayInZone(date: string, timeZone: string): number {
  const [year, month, day] = dateParts(date);
  return new TZDate(year, month - 1, day, timeZone).getTime();
}

/**
 * Epoch milliseconds where the calendar day `date` ("2025-03-30") ends in `timeZone`, exclusive: the
 * start of the next calendar day there. On daylight-saving days this is 23 or 25 hours after
 * {@link startOfDayInZone}, never a fixed 24.
 */
export function endOfDayInZone(date: string, timeZone: string): number {
  const [year, month, day] = dateParts(date);
  return new TZDate(year, month - 1, day + 1, timeZone).getTime();
}
