import { useTimeZone } from "../useViewer";
import {
  browserTimeZone,
  describeInZones,
  formatDate,
  formatDateTime,
  formatRange,
  formatRelative,
  formatTime,
  timeZoneAbbreviation,
} from "../time";

/**
 * Instants on screen. Each renders a `<time>` element with a machine-readable `dateTime`, the text
 * in the viewer's zone (profile setting, else the browser's) and, on hover (`title`), the same
 * instant in `otherZone` (e.g. the session's own zone), the browser's zone when it differs from the
 * profile's, and UTC.
 */

export type DateTimeFormat = "date" | "time" | "datetime" | "relative";

function hoverText(at: number, viewerZone: string, otherZone: string | undefined): string {
  const zones = [viewerZone, ...(otherZone ? [otherZone] : []), browserTimeZone(), "UTC"];
  return describeInZones(at, zones);
}

/**
 * One instant.
 * @param value epoch milliseconds.
 * @param format "date" | "time" | "datetime" (default) | "relative" ("in 2h").
 * @param otherZone an extra IANA zone listed on hover.
 * @param showZone append the zone's short name ("14:30 CET").
 */
export function DateTime({
  value,
  format = "datetime",
  otherZone,
  showZone = false,
}: {
  value: number;
  format?: DateTimeFormat;
  otherZone?: string;
  showZone?: boolean;
}) {
  const timeZone = useTimeZone();
  const text =
    format === "date"
      ? formatDate(value, timeZone)
      : format === "time"
        ? formatTime(value, timeZone)
        : format === "relative"
          ? formatRelative(value)
          : formatDateTime(value, timeZone);
  const zoneSuffix = showZone && format !== "date" && format !== "relative" ? ` ${timeZoneAbbreviation(timeZone, value)}` : "";
  return (
    <time dateTime={new Date(value).toISOString()} title={hoverText(value, timeZone, otherZone)}>
      {text}
      {zoneSuffix}
    </time>
  );
}

/**
 * A start–end range ("Mon, 3 Mar 2025, 14:30 – 15:30 CET"), date written once when both ends fall
 * on the same day in the viewer's zone.
 * @param start epoch milliseconds.
 * @param end epoch milliseconds.
 */
export function DateTimeRange({ start, end, otherZone }: { start: number; end: number; otherZone?: string }) {
  const timeZone = useTimeZone();
  return (
    <time
      dateTime={`${new Date(start).toISOString()}/${new Date(end).toISOString()}`}
      title={hoverText(start, timeZone, otherZone)}
    >
      {formatRange(start, end, timeZone)} {timeZoneAbbreviation(timeZone, start)}
    </time>
  );
}
