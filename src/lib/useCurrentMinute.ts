import { useEffect, useState } from "react";

/** One minute in milliseconds. */
const MINUTE_MS = 60_000;

/** `at` rounded down to the start of its minute (epoch milliseconds). */
export function startOfMinute(at: number): number {
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
