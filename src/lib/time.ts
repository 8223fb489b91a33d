import { tzName } from "@date-fns/tz";
import { currentTimeZoneName, isValidTimeZone } from "../../convex/model/time/zones";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../convex/model/time/units";

// Zone names and calendar days are the server's own code (`convex/model/time/`), shared with the pages.
export { sameTimeZone } from "../../convex/model/time/zones";
export { dayInZone, endOfDayInZone, startOfDayInZone } from "../../convex/model/time/localDates";
export { DAY_MS } from "../../convex/model/time/units";

/** True for a complete calendar day "YYYY-MM-DD" (what a day input gives; "" while cleared or half-typed). */
export function isCalendarDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value);
}

/**
 * Formatting of instants for people. Every instant in the app is an epoch-millisecond UTC number;
 * it is shown in the VIEWER's time zone: the zone saved on their profile (`users.me().timeZone`),
 * else the browser's. Components get the zone from `useViewer().timeZone` or use the ready-made
 * `<DateTime>` / `<DateTimeRange>` components (src/lib/components/DateTime.tsx), which also show
 * the instant in a second zone on hover.
 *
 * All functions take the zone explicitly so they are pure and testable; `locale` defaults to the
 * browser's language.
 */

/**
 * The browser's IANA time zone ("Europe/Berlin") by its current name (Chromium still reports
 * "Asia/Calcutta" for "Asia/Kolkata", see {@link currentTimeZoneName}), or "UTC" when the runtime
 * does not say.
 */
export function browserTimeZone(): string {
  return currentTimeZoneName(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
}

/**
 * The zone to show times in: `saved` (the user's profile setting) when it is a valid IANA zone,
 * else the browser's zone.
 */
export function resolveTimeZone(saved: string | null | undefined): string {
  return saved && isValidTimeZone(saved) ? saved : browserTimeZone();
}

/**
 * Every IANA zone this browser knows, by current name, sorted (for the profile's zone picker).
 * @param include zones to list even if the browser's list lacks them (the saved and browser zone).
 */
export function allTimeZones(include: readonly string[] = []): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  const zones = (supported ? supported("timeZone") : []).map(currentTimeZoneName);
  const extra = include.filter((zone) => zone !== "" && isValidTimeZone(zone));
  return [...new Set(["UTC", ...zones, ...extra])].sort();
}

type FormatOptions = { locale?: string };

const formatterCache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ""}|${JSON.stringify(options)}`;
  let cached = formatterCache.get(key);
  if (cached === undefined) {
    cached = new Intl.DateTimeFormat(locale, options);
    formatterCache.set(key, cached);
  }
  return cached;
}

/**
 * The calendar date of `at` in `timeZone`, e.g. "Mon, 3 Mar 2025" (locale order).
 * @param at epoch milliseconds.
 */
export function formatDate(at: number, timeZone: string, { locale }: FormatOptions = {}): string {
  return formatter(locale, { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone }).format(at);
}

/**
 * The wall-clock time of `at` in `timeZone`, e.g. "14:30" or "2:30 PM" (locale's clock).
 * @param at epoch milliseconds.
 */
export function formatTime(at: number, timeZone: string, { locale }: FormatOptions = {}): string {
  return formatter(locale, { hour: "numeric", minute: "2-digit", timeZone }).format(at);
}

/** The fields of {@link formatDateTime} and {@link formatRange}: weekday, date, year and time. */
const DATE_TIME_FIELDS: Intl.DateTimeFormatOptions = {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
};

/**
 * Date and time of `at` in `timeZone`, e.g. "Mon, 3 Mar 2025, 14:30".
 * @param at epoch milliseconds.
 */
export function formatDateTime(at: number, timeZone: string, { locale }: FormatOptions = {}): string {
  return formatter(locale, { ...DATE_TIME_FIELDS, timeZone }).format(at);
}

/**
 * A start–end range in `timeZone`, without repeating the date when both ends fall on the same
 * day there: "Mon, 3 Mar 2025, 14:30 – 15:30".
 * @param start epoch milliseconds.
 * @param end epoch milliseconds (≥ start).
 */
export function formatRange(start: number, end: number, timeZone: string, { locale }: FormatOptions = {}): string {
  const format = formatter(locale, { ...DATE_TIME_FIELDS, timeZone });
  if (end < start) return `${format.format(start)} – ${format.format(end)}`;
  return format.formatRange(start, end);
}

/**
 * The zone's short name at instant `at`, e.g. "CET", "GMT+5:30" (depends on the locale's data).
 * @param at epoch milliseconds (names change with daylight saving).
 */
export function timeZoneAbbreviation(timeZone: string, at: number): string {
  try {
    return tzName(timeZone, new Date(at), "short");
  } catch {
    return timeZone;
  }
}

const RELATIVE_UNITS: { unit: Intl.RelativeTimeFormatUnit; ms: number }[] = [
  { unit: "year", ms: 365 * DAY_MS },
  { unit: "month", ms: 30 * DAY_MS },
  { unit: "week", ms: 7 * DAY_MS },
  { unit: "day", ms: DAY_MS },
  { unit: "hour", ms: HOUR_MS },
  { unit: "minute", ms: MINUTE_MS },
];

/**
 * `at` relative to `now`, short: "in 2h", "5m ago", "in 3d", "now" (under a minute).
 * Independent of time zones.
 * @param at epoch milliseconds.
 * @param now epoch milliseconds (default `Date.now()`).
 */
export function formatRelative(at: number, now: number = Date.now(), { locale }: FormatOptions = {}): string {
  const difference = at - now;
  const absolute = Math.abs(difference);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto", style: "narrow" });
  for (const { unit, ms } of RELATIVE_UNITS) {
    if (absolute >= ms) return format.format(Math.round(difference / ms), unit);
  }
  return format.format(0, "second");
}

/**
 * The instant written out in several zones, one per line, for a `title` tooltip:
 * "Mon, 3 Mar 2025, 19:00 (Asia/Kolkata)\nMon, 3 Mar 2025, 13:30 (UTC)". Duplicate zones are dropped.
 * @param at epoch milliseconds.
 */
export function describeInZones(at: number, zones: readonly string[], options: FormatOptions = {}): string {
  return [...new Set(zones)].map((zone) => `${formatDateTime(at, zone, options)} (${zone})`).join("\n");
}
