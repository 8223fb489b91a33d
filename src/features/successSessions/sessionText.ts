import { usePaginatedQuery } from "convex-helpers/react";
import type { PaginatedQueryArgs, PaginatedQueryItem, PaginatedQueryReference, PaginationStatus } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { convexToJson, type Value } from "convex/values";
import { useCallback, useEffect, useState } from "react";
import type { api } from "../../../convex/_generated/api";
import type { RecurrenceFrequency } from "../../../convex/tables/successSessions";
import { appErrorData } from "../../lib/errors";
import { formatRange } from "../../lib/time";

/**
 * Shared bits of the success-session pages: labels, the clash list of a CONFLICT error, a clock
 * that ticks and the live paged session lists (the attendance CSV lives in `attendanceCsv.ts`).
 */

/**
 * Students can join, and mentors take attendance, from this long (milliseconds) before a session's
 * start: the server's `JOIN_OPENS_MINUTES_BEFORE` (`convex/model/successSessions/attendance.ts`).
 */
export const JOIN_OPENS_MS = 15 * 60 * 1000;

/** A session as the list and get queries return it. */
export type SessionView = NonNullable<FunctionReturnType<typeof api.successSessions.get>>;

/** The audience of the students of a course who are in no batch, in words. */
export const UNBATCHED_LABEL = "Unbatched students";

/** The audience of a session in words: its batch's name, or "Unbatched students". */
export function audienceLabel(session: { batchName: string | null }): string {
  return session.batchName ?? UNBATCHED_LABEL;
}

/** Words for each recurrence frequency (without the weekday; see `recurrenceChoices` for full labels). */
export const FREQUENCY_LABELS: Record<RecurrenceFrequency, string> = {
  weekly: "Weekly",
  every_two_weeks: "Every 2 weeks",
  monthly_weekday: "Monthly, same weekday",
  monthly_last_day: "Monthly, last day",
};

/** Attendance statuses with labels, in the order mentors pick them. */
export const ATTENDANCE_OPTIONS = [
  { value: "present", label: "Present" },
  { value: "late", label: "Late" },
  { value: "excused", label: "Excused" },
  { value: "absent", label: "Absent" },
] as const;

/** One clash of a CONFLICT error from `successSessions.create` / `update` (see `details.clashes`). */
export type Clash = {
  occurrence: number;
  occurrenceStartsAt: number;
  occurrenceEndsAt: number;
  sessionId: string;
  title: string;
  startsAt: number;
  endsAt: number;
  timeZone: string;
};

/** The clashes carried by a CONFLICT error, or [] for any other error. */
export function clashesOf(error: unknown): Clash[] {
  const data = appErrorData(error);
  if (data?.code !== "CONFLICT") return [];
  const clashes = data.details?.clashes;
  return Array.isArray(clashes) ? (clashes as unknown as Clash[]) : [];
}

/**
 * One line per clash, in `timeZone`: "Occurrence 10, Tue, 11 Mar 2025, 18:00 – 19:00: overlaps
 * “Data clinic” (Tue, 11 Mar 2025, 18:30 – 19:30)".
 */
export function describeClash(clash: Clash, timeZone: string, occurrences: number): string {
  const which = occurrences > 1 ? `Occurrence ${clash.occurrence}, ` : "";
  return `${which}${formatRange(clash.occurrenceStartsAt, clash.occurrenceEndsAt, timeZone)}: overlaps “${clash.title}” (${formatRange(clash.startsAt, clash.endsAt, timeZone)})`;
}

/** The current time (epoch ms), re-rendering every `intervalMs` (default 30 s). */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * The earliest `endsAt` (epoch ms) after `now` among `sessions`: when the clock passes it, that
 * session moves from the upcoming list to the past one. Undefined when none ends after `now`.
 */
export function earliestEndAfter(sessions: readonly { endsAt: number }[], now: number): number | undefined {
  let earliest: number | undefined;
  for (const { endsAt } of sessions) if (endsAt > now && (earliest === undefined || endsAt < earliest)) earliest = endsAt;
  return earliest;
}

/** A live session list loaded page by page, as {@link useSessionPages} returns it. */
export type SessionPages<Item> = {
  /** Every item loaded so far, in the query's order; updates live. */
  results: Item[];
  /**
   * `LoadingFirstPage` until the first item arrives or the list is known to be empty;
   * `LoadingMore` while more is on its way; `CanLoadMore` when "Show more" has something to show;
   * `Exhausted` when everything is loaded.
   */
  status: PaginationStatus;
  /**
   * Asks for `pageSize` more items (no-op unless `status` is `CanLoadMore`). Stable while the loaded
   * count and status stay the same, and idempotent for one count.
   */
  showMore: () => void;
};

/**
 * A success-session list query (`listForStudent`, `listForMentor`, `listForStaff`) page by page,
 * live. Uses `usePaginatedQuery` from `convex-helpers/react`: our lists are convex-helpers streams,
 * and that hook pins each loaded page's end (`endCursor`) when it loads the next, so sessions
 * added or removed later never open a gap or repeat an item between pages.
 *
 * The server caps the rows one call reads, so a page can come back short (even empty) with more
 * matches further on; this hook then keeps loading by itself until `pageSize` items per "Show
 * more" are there or the list ends, and reports that as loading, never as an empty list.
 * Changing `args` starts over at one page. Query errors are thrown during render (the page's
 * error boundary shows them), as with `useQuery`.
 *
 * @param pageSize items per page and per "Show more" (at most 100, the server's page cap).
 */
export function useSessionPages<Query extends PaginatedQueryReference>(
  query: Query,
  args: PaginatedQueryArgs<Query>,
  pageSize: number,
): SessionPages<PaginatedQueryItem<Query>> {
  const { results, status, loadMore } = usePaginatedQuery(query, args, { initialNumItems: pageSize });
  const argsKey = JSON.stringify(convexToJson(args as Value));
  const [wanted, setWanted] = useState({ argsKey, count: pageSize });
  const target = wanted.argsKey === argsKey ? wanted.count : pageSize;
  const short = status === "CanLoadMore" && results.length < target;
  useEffect(() => {
    if (short) loadMore(pageSize);
  }, [short, loadMore, pageSize]);
  const loaded = results.length;
  const showMore = useCallback(() => {
    if (status !== "CanLoadMore") return;
    const count = loaded + pageSize;
    // Asking again for the same count changes nothing (no re-render), so callers may call it from effects.
    setWanted((current) => (current.argsKey === argsKey && current.count === count ? current : { argsKey, count }));
  }, [status, loaded, pageSize, argsKey]);
  return {
    results,
    status: results.length === 0 && status !== "Exhausted" ? "LoadingFirstPage" : short ? "LoadingMore" : status,
    showMore,
  };
}
