import { TZDate } from "@date-fns/tz";
import { throwError } from "../errors";

/**
 * Time arithmetic of coaching availability and slots, in a given IANA time zone (SPEC §6). All
 * instants are epoch milliseconds (UTC); wall-clock minutes are minutes after local midnight.
 * Daylight-saving changes are handled by `@date-fns/tz` (a window "09:00–17:00" is 09:00–17:00 local
 * on every day, whatever the UTC offset).
 */

export const MINUTE_MS = 60 * 1000;
export const DAY_MINUTES = 24 * 60;

/** A calendar date in some time zone. `month` is 1–12. */
export type LocalDate = { year: number; month: number; day: number };

/** One weekly window: `weekday` 0 = Sunday … 6 = Saturday, minutes after local midnight. */
export type WeeklyWindow = { weekday: number; startMinute: number; endMinute: number };

/** An interval of epoch milliseconds, end exclusive. */
export type Interval = { start: number; end: number };

/** The instant of `minute` minutes after local midnight of `date` in `timeZone` (epoch ms). */
export function localMinuteToInstant(date: LocalDate, minute: number, timeZone: string): number {
  return new TZDate(date.year, date.month - 1, date.day, 0, minute, timeZone).getTime();
}

/** The local calendar date and weekday of `instant` (epoch ms) in `timeZone`. */
export function localDateOf(instant: number, timeZone: string): LocalDate & { weekday: number } {
  const local = new TZDate(instant, timeZone);
  return { year: local.getFullYear(), month: local.getMonth() + 1, day: local.getDate(), weekday: local.getDay() };
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

/** "2026-07-20" for a local date. */
export function formatLocalDate(date: LocalDate): string {
  const pad = (value: number, length: number) => String(value).padStart(length, "0");
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/**
 * Parses "YYYY-MM-DD".
 * @throws ConvexError INVALID_ARGUMENT when it is not a real calendar date.
 */
export function parseLocalDate(value: string, field = "Date"): LocalDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match) {
    const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
    const check = addDays(date, 0);
    if (check.year === date.year && check.month === date.month && check.day === date.day) return date;
  }
  throwError("INVALID_ARGUMENT", `${field} must be a date written as YYYY-MM-DD, e.g. 2026-07-20.`, { field });
}

/** "09:30" for minutes after midnight (1440 → "24:00"). */
export function formatMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

/**
 * The instants the weekly `windows` cover on local `date` in `timeZone` (the windows of that
 * weekday, converted with that day's UTC offset).
 */
export function windowsOnDate(windows: WeeklyWindow[], date: LocalDate & { weekday: number }, timeZone: string): Interval[] {
  return windows
    .filter((window) => window.weekday === date.weekday)
    .map((window) => ({
      start: localMinuteToInstant(date, window.startMinute, timeZone),
      end: localMinuteToInstant(date, window.endMinute, timeZone),
    }))
    .filter((interval) => interval.end > interval.start);
}

/** One date override in its own zone (see `coachDateOverrides`). */
export type DateOverride = {
  date: string;
  kind: "time_off" | "extra_hours";
  startMinute: number;
  endMinute: number;
  timeZone: string;
};

/** Sorts and joins overlapping or touching intervals. */
export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

/** `base` (merged) minus every interval of `cuts`. */
export function subtractIntervals(base: Interval[], cuts: Interval[]): Interval[] {
  let result = mergeIntervals(base);
  for (const cut of mergeIntervals(cuts)) {
    result = result.flatMap((interval) => {
      if (!overlaps(interval, cut)) return [interval];
      const pieces: Interval[] = [];
      if (interval.start < cut.start) pieces.push({ start: interval.start, end: cut.start });
      if (cut.end < interval.end) pieces.push({ start: cut.end, end: interval.end });
      return pieces;
    });
  }
  return result;
}

/** The instants of a date override (its wall-clock minutes on its date, in its own zone). */
export function overrideInterval(override: DateOverride): Interval {
  const date = parseLocalDate(override.date);
  return {
    start: localMinuteToInstant(date, override.startMinute, override.timeZone),
    end: localMinuteToInstant(date, override.endMinute, override.timeZone),
  };
}

/**
 * A coach's bookable time around [rangeStart, rangeEnd) (epoch ms): their weekly `windows` in
 * `timeZone` on every local day touching the range (and the day before), plus their `extra_hours`
 * overrides, minus their `time_off` overrides; merged and sorted. Each part keeps its wall-clock
 * time in its zone across daylight-saving changes. The result may reach past the range.
 */
export function availableIntervals(
  windows: WeeklyWindow[],
  timeZone: string | null,
  overrides: DateOverride[],
  rangeStart: number,
  rangeEnd: number,
): Interval[] {
  const weekly: Interval[] = [];
  if (timeZone !== null) {
    const first = addDays(localDateOf(rangeStart, timeZone), -1);
    const last = localDateOf(rangeEnd, timeZone);
    const lastUtc = Date.UTC(last.year, last.month - 1, last.day);
    for (let offset = 0; ; offset += 1) {
      const date = addDays(first, offset);
      if (Date.UTC(date.year, date.month - 1, date.day) > lastUtc) break;
      weekly.push(...windowsOnDate(windows, date, timeZone));
    }
  }
  const extra = overrides.filter((o) => o.kind === "extra_hours").map(overrideInterval);
  const timeOff = overrides.filter((o) => o.kind === "time_off").map(overrideInterval);
  return subtractIntervals([...weekly, ...extra], timeOff);
}

/** True when [startTime, endTime) lies entirely inside one of the (merged) `intervals`. */
export function isInsideIntervals(intervals: Interval[], startTime: number, endTime: number): boolean {
  return intervals.some((interval) => startTime >= interval.start && endTime <= interval.end);
}

/**
 * Candidate session start times inside the available `intervals` whose start lies in [rangeStart,
 * rangeEnd): every `stepMinutes` from each interval's start, as long as the whole session
 * (`durationMinutes`) fits in the interval. Sorted, without duplicates.
 */
export function candidateSlots(
  intervals: Interval[],
  rangeStart: number,
  rangeEnd: number,
  durationMinutes: number,
  stepMinutes: number,
): Interval[] {
  const duration = durationMinutes * MINUTE_MS;
  const step = stepMinutes * MINUTE_MS;
  const starts = new Set<number>();
  for (const interval of intervals) {
    for (let start = interval.start; start + duration <= interval.end; start += step) {
      if (start >= rangeStart && start < rangeEnd) starts.add(start);
    }
  }
  return [...starts].sort((a, b) => a - b).map((start) => ({ start, end: start + duration }));
}

/** True when [a.start, a.end) and [b.start, b.end) share at least one instant. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}
