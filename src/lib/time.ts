import { tzName } from "@date-fns/tz";

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

/** True when `timeZone` is an IANA zone this browser knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone }).format(0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The zone to show times in: `saved` (the user's profile setting) when it is a valid IANA zone,
 * else the browser's zone.
 */
export function resolveTimeZone(saved: string | null | undefined): string {
  return saved && isValidTimeZone(saved) ? saved : browserTimeZone();
}

/**
 * Current names of zones that browsers' ICU data still lists under an old name, so that searching
 * "Kolkata" or "Kyiv" finds them.
 */
const CURRENT_ZONE_NAMES: Record<string, string> = {
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Europe/Kiev": "Europe/Kyiv",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "America/Godthab": "America/Nuuk",
  "Pacific/Truk": "Pacific/Chuuk",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Enderbury": "Pacific/Kanton",
};

/**
 * The current name of `timeZone`: "Asia/Calcutta" → "Asia/Kolkata", "Europe/Kiev" → "Europe/Kyiv"
 * (when this browser knows the new name); any other zone unchanged.
 */
export function currentTimeZoneName(timeZone: string): string {
  const current = CURRENT_ZONE_NAMES[timeZone];
  return current !== undefined && isValidTimeZone(current) ? current : timeZone;
}

/** True when `a` and `b` name the same zone, old names included ("Asia/Calcutta" = "Asia/Kolkata"). */
export function sameTimeZone(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  return currentTimeZoneName(a) === currentTimeZoneName(b);
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

/**
 * Date and time of `at` in `timeZone`, e.g. "Mon, 3 Mar 2025, 14:30".
 * @param at epoch milliseconds.
 */
export function formatDateTime(at: number, timeZone: string, { locale }: FormatOptions = {}): string {
  return formatter(locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZone,
  }).format(at);
}

/**
 * A start–end range in `timeZone`, without repeating the date when both ends fall on the same
 * day there: "Mon, 3 Mar 2025, 14:30 – 15:30".
 * @param start epoch milliseconds.
 * @param end epoch milliseconds (≥ start).
 */
export function formatRange(start: number, end: number, timeZone: string, { locale }: FormatOptions = {}): string {
  const format = formatter(locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZone,
  });
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
  { unit: "year", ms: 365 * 24 * 60 * 60 * 1000 },
  { unit: "month", ms: 30 * 24 * 60 * 60 * 1000 },
  { unit: "week", ms: 7 * 24 * 60 * 60 * 1000 },
  { unit: "day", ms: 24 * 60 * 60 * 1000 },
  { unit: "hour", ms: 60 * 60 * 1000 },
  { unit: "minute", ms: 60 * 1000 },
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

/**
 * Epoch milliseconds of midnight at the start of the calendar day `date` ("2025-03-03") in
 * `timeZone` (for date pickers that produce a day, e.g. a batch's start date).
 */
export function startOfDayInZone(date: string, timeZone: string): number {
  const [year, month, day] = date.split("-").map(Number);
  // Guess the UTC midnight, then correct by the zone's offset at that moment (twice, for DST edges).
  let guess = Date.UTC(year, month - 1, day);
  for (let step = 0; step < 2; step += 1) {
    const parts = formatter("en-CA", {
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZone,
    }).formatToParts(guess);
    const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
    const wallClock = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
    guess += Date.UTC(year, month - 1, day) - wallClock;
  }
  return guess;
}

/** The calendar day ("2025-03-03") of `at` in `timeZone`; inverse of {@link startOfDayInZone}. */
export function dayInZone(at: number, timeZone: string): string {
  return formatter("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone }).format(at);
}
