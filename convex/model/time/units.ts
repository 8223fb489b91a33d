/**
 * Lengths of time in epoch milliseconds, defined once for the server, the pages and the tests.
 * A DAY_MS is 24 hours of elapsed time, not a calendar day: a local day is 23 or 25 hours long on
 * daylight-saving days, so calendar days go through `localDates.ts` (`endOfDayInZone`, `addDays`).
 */

/** One minute in milliseconds. */
export const MINUTE_MS = 60 * 1000;
/** One hour in milliseconds. */
export const HOUR_MS = 60 * MINUTE_MS;
/** 24 hours in milliseconds (elapsed time; not the length of every local day). */
export const DAY_MS = 24 * HOUR_MS;
/** Minutes from midnight to midnight on a day without a daylight-saving change. */
export const DAY_MINUTES = 24 * 60;
