import { addDays, localDateOf, localMinuteToInstant, parseLocalDate, type LocalDate } from "../time/localDates";
import { MINUTE_MS } from "../time/units";

/**
 * Time arithmetic of coaching availability and slots, in a given IANA time zone (SPEC §6); calendar
 * dates and wall-clock conversions come from `model/time/`. All
 * instants are epoch milliseconds (UTC); wall-clock minutes are minutes after local midnight.
 * Daylight-saving changes are handled by `@date-fns/tz` (a window "09:00–17:00" is 09:00–17:00 local
 * on every day, whatever the UTC offset).
 */

/** One weekly window: `weekday` 0 = Sunday … 6 = Saturday, minutes after local midnight. */
export type WeeklyWindow = { weekday: number; startMinute: number; endMinute: number };

/** An interval of epoch milliseconds, end exclusive. */
export type Interval = { start: number; end: number };

/** "09:30" for minutes after midnight (1440 → "24:00"). */
export function formatMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

/**
 * The instants the weekly `windows` cover on local `date` in `timeZone` (the windows of that
 * weekday, converted with that day's UTC offset).
 */
function windowsOnDate(windows: WeeklyWindow[], date: LocalDate & { weekday: number }, timeZone: string): Interval[] {
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
function mergeIntervals(intervals: Interval[]): Interval[] {
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
function subtractIntervals(base: Interval[], cuts: Interval[]): Interval[] {
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
