import { useEffect, useState } from "react";

/** One minute in milliseconds. */
const MINUTE_MS = 60_000;

/** `at` rounded down to the start of its minute (epoch milliseconds). */
function startOfMinute(at: number): number {
  return Math.floor(at / MINUTE_MS) * MINUTE_MS;
}

/**
 * The current time rounded down to the minute (epoch milliseconds), re-rendering the component at
 * each minute boundary.
 *
 * Convex queries never read the clock (a query re-runs only when data it read changes, so a clock
 * read goes stale): a query whose answer depends on "now" takes it as its `now` argument, and the
 * page passes this value. Rounding to the minute keeps the subscription stable for a minute, then
 * re-subscribes once with the next minute.
 */
export function useCurrentMinute(): number {
  const [minute, setMinute] = useState(() => startOfMinute(Date.now()));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const schedule = () => {
      const next = startOfMinute(Date.now()) + MINUTE_MS;
      timer = setTimeout(() => {
        setMinute(startOfMinute(Date.now()));
        schedule();
      }, next - Date.now());
    };
    schedule();
    return () => clearTimeout(timer);
  }, []);
  return minute;
}

/** Longest timer browsers keep (about 24.8 days); later boundaries are re-checked when it fires. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * A `now` (epoch milliseconds) for live list queries that moves forward only when the lists' content
 * would change. Paginated lists start again at their first page whenever their arguments change, so
 * passing {@link useCurrentMinute} would reload them every minute; this clock changes only when
 * {@link useAdvanceClockAt} sees the time pass the next moment an item moves (for example the
 * earliest end among the upcoming sessions shown, when that session moves to the past list).
 *
 * @returns `[now, setNow]`: the value starts at the current minute; hand `setNow` to `useAdvanceClockAt`.
 */
export function useListClock(): [number, (now: number) => void] {
  return useState(() => startOfMinute(Date.now()));
}

/**
 * Calls `setNow` with the current time once the clock passes `nextChangeAt`.
 * @param nextChangeAt epoch ms of the next moment the lists change; undefined when nothing shown
 *   depends on the time.
 * @param setNow the setter from {@link useListClock}.
 */
export function useAdvanceClockAt(nextChangeAt: number | undefined, setNow: (now: number) => void): void {
  useEffect(() => {
    if (nextChangeAt === undefined) return;
    let timer: ReturnType<typeof setTimeout>;
    const wait = () => {
      const remaining = nextChangeAt - Date.now();
      timer =
        remaining < 0
          ? setTimeout(() => setNow(Math.max(Date.now(), nextChangeAt)), 0)
          : setTimeout(wait, Math.min(remaining + 1, MAX_TIMER_MS));
    };
    wait();
    return () => clearTimeout(timer);
  }, [nextChangeAt, setNow]);
}
