import type { FunctionReturnType } from "convex/server";
import { useEffect, useState } from "react";
import type { api } from "../../../convex/_generated/api";
import type { RecurrenceFrequency } from "../../../convex/tables/successSessions";
import { appErrorData } from "../../lib/errors";
import { formatDateTime, formatRange } from "../../lib/time";

/**
 * Shared bits of the success-session pages: labels, the clash list of a CONFLICT error, the CSV of
 * the attendance report and a clock that ticks.
 */

/** A session as the list and get queries return it. */
export type SessionView = NonNullable<FunctionReturnType<typeof api.successSessions.get>>;
export type AttendanceReport = FunctionReturnType<typeof api.attendance.report>;

/** The audience of a session in words: its batch's name, or "Unbatched students". */
export function audienceLabel(session: { batchName: string | null }): string {
  return session.batchName ?? "Unbatched students";
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

function csvCell(value: string | number | null): string {
  let text = value === null ? "" : String(value);
  if (typeof value === "string" && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows → CSV text (RFC 4180, CRLF line ends; cells that spreadsheets would run as formulas are defused). */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/** The per-student part of a report as CSV. */
export function studentsCsv(report: AttendanceReport): string {
  return toCsv(
    ["Student", "Email", "Sessions counted", "Attended", "Late", "Excused", "Missed", "Attendance %"],
    report.students.map((row) => [row.name, row.email, row.sessionsCounted, row.attended, row.late, row.excused, row.missed, row.attendancePercent]),
  );
}

/** The per-session part of a report as CSV, times in `timeZone`. */
export function sessionsCsv(report: AttendanceReport, timeZone: string): string {
  return toCsv(
    ["Session", "Starts", "Course", "Audience", "Mentor", "Present", "Late", "Excused", "Absent", "Expected", "Turnout %"],
    report.sessions.map((row) => [
      row.title,
      formatDateTime(row.startsAt, timeZone),
      row.courseTitle,
      audienceLabel(row),
      row.mentorName,
      row.present,
      row.late,
      row.excused,
      row.absent,
      row.expected,
      row.turnoutPercent,
    ]),
  );
}

/** Offers `csv` as a download named `fileName` (no-op where the browser cannot make object URLs). */
export function downloadCsv(fileName: string, csv: string): void {
  if (typeof URL.createObjectURL !== "function") return;
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
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
