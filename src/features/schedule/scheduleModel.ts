import { TZDate } from "@date-fns/tz";
import { addDays, addMonths, addWeeks, endOfMonth, endOfWeek, startOfDay, startOfMonth, startOfWeek } from "date-fns";
import type { FunctionReturnType } from "convex/server";
import type { api } from "../../../convex/_generated/api";
import type { RecurrenceFrequency } from "../../../convex/tables/successSessions";

/**
 * Pure helpers of My schedule: the range each view covers in the viewer's zone, the path and times
 * of each item, and the agenda's grouping of a recurring series into one entry.
 */

export type Schedule = FunctionReturnType<typeof api.schedule.mine>;
export type ScheduleItem = Schedule["items"][number];
export type SuccessItem = Extract<ScheduleItem, { kind: "success" }>;

export type ScheduleView = "agenda" | "week" | "month";
export const SCHEDULE_VIEWS: { value: ScheduleView; label: string }[] = [
  { value: "agenda", label: "Agenda" },
  { value: "week", label: "Week" },
  { value: "month", label: "Month" },
];

/** Days the agenda covers from its first day. */
const AGENDA_DAYS = 28;
/** Weeks start on Monday. */
const WEEK_STARTS_ON = 1;

/** `YYYY-MM-DD` of `at` in `timeZone`. */
export function dayOf(at: number, timeZone: string): string {
  const date = new TZDate(at, timeZone);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}

function midnightOf(day: string, timeZone: string): TZDate {
  const [year, month, date] = day.split("-").map(Number);
  return new TZDate(year, month - 1, date, timeZone);
}

/**
 * The range (epoch ms, `[from, to)`) a view shows around `anchorDay` in `timeZone`: the agenda
 * {@link AGENDA_DAYS} days from it, the week (Monday to Sunday) containing it, the month's full
 * weeks (at most 42 days, within the server's 62-day limit).
 */
export function rangeOf(view: ScheduleView, anchorDay: string, timeZone: string): { from: number; to: number } {
  const anchor = midnightOf(anchorDay, timeZone);
  switch (view) {
    case "agenda":
      return { from: anchor.getTime(), to: addDays(anchor, AGENDA_DAYS).getTime() };
    case "week": {
      const start = startOfWeek(anchor, { weekStartsOn: WEEK_STARTS_ON });
      return { from: start.getTime(), to: addWeeks(start, 1).getTime() };
    }
    case "month": {
      const start = startOfWeek(startOfMonth(anchor), { weekStartsOn: WEEK_STARTS_ON });
      const end = startOfDay(addDays(endOfWeek(endOfMonth(anchor), { weekStartsOn: WEEK_STARTS_ON }), 1));
      return { from: start.getTime(), to: end.getTime() };
    }
  }
}

/** The anchor day one step (`direction` ±1) before or after `anchorDay` in `view`. */
export function shiftAnchor(view: ScheduleView, anchorDay: string, direction: 1 | -1, timeZone: string): string {
  const anchor = midnightOf(anchorDay, timeZone);
  const moved =
    view === "month"
      ? addMonths(startOfMonth(anchor), direction)
      : view === "week"
        ? addWeeks(anchor, direction)
        : addDays(anchor, direction * AGENDA_DAYS);
  return dayOf(moved.getTime(), timeZone);
}

/** The heading of a view's range ("December 2026", "Dec 7 – 13, 2026", "Dec 4 – Dec 31"). */
export function rangeLabel(view: ScheduleView, anchorDay: string, timeZone: string): string {
  const { from, to } = rangeOf(view, anchorDay, timeZone);
  if (view === "month") {
    return new Intl.DateTimeFormat(undefined, { month: "long", year: "numeric", timeZone }).format(midnightOf(anchorDay, timeZone));
  }
  const format = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", year: "numeric", timeZone });
  return format.formatRange(from, to - 1);
}

/** Start and end of an item (epoch ms). */
export function timesOf(item: ScheduleItem): { start: number; end: number } {
  switch (item.kind) {
    case "success":
      return { start: item.session.startsAt, end: item.session.endsAt };
    case "coaching":
      return { start: item.session.startTime, end: item.session.endTime };
    case "coded":
      return { start: item.startsAt, end: item.endsAt };
  }
}

/** The item's title as the schedule shows it. */
export function titleOf(item: ScheduleItem): string {
  switch (item.kind) {
    case "success":
      return item.session.title;
    case "coaching":
      return `Coaching with ${item.role === "coach" ? item.session.student.name : item.session.coach.name}`;
    case "coded":
      return item.session.title;
  }
}

/** True when the item will not take place. */
export function isCancelled(item: ScheduleItem): boolean {
  return (item.kind === "success" && item.session.status === "cancelled") || (item.kind === "coaching" && item.session.status === "CANCELLED");
}

/** The page where the item lives (its own page, or the list it belongs to). */
export function pathOf(item: ScheduleItem): string {
  switch (item.kind) {
    case "success":
      return item.role === "host" ? "/teach/success-sessions" : "/sessions";
    case "coaching":
      return item.role === "coach" ? "/coaching/coach" : "/coaching";
    case "coded":
      return `/coded-sessions/${item.session._id}`;
  }
}

/** A stable key of an item. */
export function keyOf(item: ScheduleItem): string {
  return `${item.kind}:${item.session._id}`;
}

/** One entry of the agenda: a single item, or a recurring series shown once. */
export type AgendaEntry =
  | { type: "item"; day: string; item: ScheduleItem }
  | { type: "series"; day: string; seriesId: string; next: SuccessItem; occurrences: SuccessItem[] };

/**
 * The agenda's entries, by day: each recurring series with two or more occurrences in the range
 * becomes ONE entry at its next occurrence that has not ended (its first when all have ended);
 * everything else is one entry per item.
 * @param now epoch ms (which occurrence is next).
 */
export function agendaEntries(items: readonly ScheduleItem[], now: number): AgendaEntry[] {
  const bySeries = new Map<string, SuccessItem[]>();
  for (const item of items) {
    if (item.kind === "success" && item.session.seriesId !== undefined) {
      const list = bySeries.get(item.session.seriesId) ?? [];
      list.push(item);
      bySeries.set(item.session.seriesId, list);
    }
  }
  const entries: AgendaEntry[] = [];
  const placed = new Set<string>();
  for (const item of items) {
    const seriesId = item.kind === "success" ? item.session.seriesId : undefined;
    const occurrences = seriesId === undefined ? undefined : bySeries.get(seriesId);
    if (seriesId === undefined || occurrences === undefined || occurrences.length < 2) {
      entries.push({ type: "item", day: item.localDay, item });
      continue;
    }
    if (placed.has(seriesId)) continue;
    placed.add(seriesId);
    const next =
      occurrences.find((occurrence) => occurrence.session.endsAt > now && occurrence.session.status !== "cancelled") ??
      occurrences.find((occurrence) => occurrence.session.endsAt > now) ??
      occurrences[0];
    entries.push({ type: "series", day: next.localDay, seriesId, next, occurrences });
  }
  return entries.sort((a, b) => a.day.localeCompare(b.day) || entryStart(a) - entryStart(b));
}

function entryStart(entry: AgendaEntry): number {
  return entry.type === "item" ? timesOf(entry.item).start : entry.next.session.startsAt;
}

/**
 * The rule of a series in words, in the viewer's zone: "every Tuesday 9:00 PM", "every other
 * Tuesday 9:00 PM", "monthly on a Tuesday 9:00 PM", "monthly on the last day 9:00 PM".
 */
export function seriesRule(frequency: RecurrenceFrequency | undefined, startsAt: number, timeZone: string): string {
  const weekday = new Intl.DateTimeFormat(undefined, { weekday: "long", timeZone }).format(startsAt);
  const time = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit", timeZone }).format(startsAt);
  switch (frequency) {
    case "every_two_weeks":
      return `every other ${weekday} ${time}`;
    case "monthly_weekday":
      return `monthly on a ${weekday} ${time}`;
    case "monthly_last_day":
      return `monthly on the last day ${time}`;
    case "weekly":
    case undefined:
      return `every ${weekday} ${time}`;
  }
}

/** "Tue, Dec 8" in `timeZone`. */
export function shortDay(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { weekday: "short", month: "short", day: "numeric", timeZone }).format(at);
}

/** The day heading of the agenda ("Today", "Tomorrow", "Tuesday, December 8"). */
export function dayHeading(day: string, today: string, timeZone: string): string {
  const at = midnightOf(day, timeZone).getTime() + 12 * 60 * 60 * 1000;
  if (day === today) return "Today";
  if (day === dayOf(addDays(midnightOf(today, timeZone), 1).getTime(), timeZone)) return "Tomorrow";
  return new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric", timeZone }).format(at);
}
