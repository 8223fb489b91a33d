import { TZDate } from "@date-fns/tz";
import type { FunctionReturnType } from "convex/server";
import { format } from "date-fns";
import type { api } from "../../../convex/_generated/api";
import { saveTextFile } from "../../lib/download";

/**
 * CSV downloads of the attendance report (`api.attendance.report`): the per-student and per-session
 * tables as RFC 4180 text with a header row, file names that say what is inside, and the download
 * itself. Pure functions except {@link downloadCsv}.
 */

/** The `api.attendance.report` result. */
export type AttendanceReportData = FunctionReturnType<typeof api.attendance.report>;

type Cell = string | number | null;

/** Leading characters that make Excel, LibreOffice or Google Sheets treat a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell: null → empty; text starting with `=`, `+`, `-`, `@`, tab or carriage return gets a
 * leading `'` so spreadsheets show it as text instead of running it (formula injection); cells
 * with a comma, quote or line break are quoted with inner quotes doubled. Numbers are written as is.
 */
function csvCell(value: Cell): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header row and data rows → CSV text (RFC 4180: comma-separated, CRLF after every row). */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/**
 * `at` as wall-clock time in `timeZone`, "2025-03-11 18:00" (24-hour clock; a form every
 * spreadsheet reads as a date and time).
 * @param at epoch milliseconds.
 */
export function csvDateTime(at: number, timeZone: string): string {
  return format(new TZDate(at, timeZone), "yyyy-MM-dd HH:mm");
}

/**
 * The per-student table: name, email, sessions counted, attended (present or late), of which late,
 * excused, missed, attendance % (empty when nothing counts).
 */
export function studentsCsv(report: AttendanceReportData): string {
  return toCsv(
    ["Student", "Email", "Sessions counted", "Attended (present or late)", "Late", "Excused", "Missed", "Attendance %"],
    report.students.map((row) => [row.name, row.email, row.sessionsCounted, row.attended, row.late, row.excused, row.missed, row.attendancePercent]),
  );
}

/**
 * The per-session table, latest first: title, start as wall-clock time in `timeZone` (the viewer's
 * zone, named in the header) and as a UTC ISO 8601 instant, course, audience (batch name or
 * "Unbatched students"), mentor, counts per status, expected, turnout % (empty when nobody was expected).
 */
export function sessionsCsv(report: AttendanceReportData, timeZone: string): string {
  return toCsv(
    ["Session", `Starts (${timeZone})`, "Starts UTC (ISO 8601)", "Course", "Audience", "Mentor", "Present", "Late", "Excused", "Absent", "Expected", "Turnout %"],
    report.sessions.map((row) => [
      row.title,
      csvDateTime(row.startsAt, timeZone),
      new Date(row.startsAt).toISOString(),
      row.courseTitle,
      row.batchName ?? "Unbatched students",
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

/** "Data Science: Batch 12" → "data-science-batch-12" (ASCII letters and digits, at most 40 characters). */
function slug(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 40)
    .replace(/^-+|-+$/g, "");
}

/**
 * A file name that says what a download holds:
 * "attendance-students-data-science-batch-12-2025-01-01-to-2025-03-31.csv".
 * @param kind which table.
 * @param scope the filters in words, e.g. ["Data Science", "Batch 12"] or ["All courses"].
 * @param fromDay first day of the range ("2025-01-01") or null for "since the beginning".
 * @param toDay last day of the range ("2025-03-31").
 */
export function csvFileName(kind: "students" | "sessions", scope: readonly string[], fromDay: string | null, toDay: string): string {
  const range = fromDay === null ? `until-${toDay}` : `${fromDay}-to-${toDay}`;
  return [`attendance-${kind}`, ...scope.map(slug).filter((part) => part !== ""), range].join("-") + ".csv";
}

/** Excel reads a CSV as UTF-8 (names with accents, non-Latin scripts) only when it starts with this mark. */
const UTF8_BOM = "\uFEFF";

/** Saves `csv` as a file named `fileName` in the browser: UTF-8 with a byte order mark, `text/csv` ({@link saveTextFile}). */
export function downloadCsv(fileName: string, csv: string): void {
  saveTextFile(fileName, UTF8_BOM + csv, "text/csv;charset=utf-8");
}
