import { Alert, Button, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "convex/react";
import { useId, useMemo, useState, type Key } from "react";
import { api } from "../../../convex/_generated/api";
import { DataTable, type TableColumns } from "../../lib/components/DataTable";
import { DateTime } from "../../lib/components/DateTime";
import { DayInput } from "../../lib/components/DayInput";
import { FilterBar } from "../../lib/components/FilterBar";
import { PageHeader } from "../../lib/components/PageHeader";
import { EmptyState, LoadingState } from "../../lib/components/states";
import { DAY_MS, dayInZone, endOfDayInZone, formatDate, isCalendarDay, startOfDayInZone } from "../../lib/time";
import { useViewer } from "../../lib/useViewer";
import { csvFileName, downloadCsv, sessionsCsv, studentsCsv, type AttendanceReportData } from "./attendanceCsv";
import { useCurrentMinute } from "../../lib/useCurrentMinute";
import { TitleCell } from "../../lib/components/TitleCell";
import { ALL } from "../../lib/components/FilterSelect";
import { CourseBatchFilter, UNBATCHED, useCatalogCourseBatchOptions, useCourseBatchFilter, type FilterOption } from "./CourseBatchFilter";
import { UNBATCHED_LABEL } from "./sessionText";

/**
 * Attendance report (staff: all sessions; mentors: their own): each session's turnout and each
 * student's attendance percentage over the sessions where attendance was taken, filtered by course,
 * batch (batches of the chosen course, or "Unbatched students") and dates in the viewer's zone, with
 * CSV downloads of both tables.
 */

function percent(value: number | null): string {
  return value === null ? "—" : `${value}%`;
}

export function AttendanceReportPage() {
  const viewer = useViewer();
  const staff = viewer.isStaff;
  const timeZone = viewer.timeZone;
  const courseBatch = useCourseBatchFilter();
  const { courseId, audience } = courseBatch;
  const [defaultFromDay] = useState(() => dayInZone(Date.now() - 90 * DAY_MS, timeZone));
  const [fromDay, setFromDay] = useState(defaultFromDay);
  const [toDay, setToDay] = useState("");
  const from = isCalendarDay(fromDay) ? fromDay : null;
  const to = isCalendarDay(toDay) ? toDay : null;
  const activeFilters = courseBatch.activeCount + [fromDay !== defaultFromDay, toDay !== ""].filter(Boolean).length;
  const rangeError = from !== null && to !== null && to < from ? "The end date is before the start date." : null;

  // Staff pick from the catalog; mentors from the courses and batches of their own sessions.
  const catalogOptions = useCatalogCourseBatchOptions(courseId, staff);
  const now = useCurrentMinute();
  const ownSessions = useQuery(api.attendance.report, staff ? "skip" : { now });
  const report = useQuery(
    api.attendance.report,
    rangeError !== null
      ? "skip"
      : {
          now,
          ...courseBatch.args,
          ...(from !== null ? { from: startOfDayInZone(from, timeZone) } : {}),
          // Through the end of the "To" day in the viewer's zone (days are 23 or 25 hours long on DST changes).
          ...(to !== null ? { to: endOfDayInZone(to, timeZone) } : {}),
        },
  );

  const courseOptions = useMemo<FilterOption[]>(() => {
    if (staff) return catalogOptions.courseOptions;
    const seen = new Map<string, string>();
    for (const session of ownSessions?.sessions ?? []) seen.set(session.courseId, session.courseTitle);
    return [...seen].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label));
  }, [staff, catalogOptions.courseOptions, ownSessions]);
  const batchOptions = useMemo<FilterOption[]>(() => {
    if (courseId === ALL) return [];
    if (staff) return catalogOptions.batchOptions;
    const seen = new Map<string, string>();
    for (const session of ownSessions?.sessions ?? []) {
      if (session.courseId === courseId && session.batchId !== null) seen.set(session.batchId, session.batchName ?? "Batch");
    }
    return [...seen].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label));
  }, [staff, catalogOptions.batchOptions, ownSessions, courseId]);

  // The filters in words, for the CSV file names.
  const courseLabel = courseOptions.find((option) => option.value === courseId)?.label;
  const audienceLabel =
    audience === UNBATCHED ? UNBATCHED_LABEL : batchOptions.find((option) => option.value === audience)?.label;
  const scope = courseId === ALL ? ["All courses"] : [courseLabel ?? "course", ...(audience === ALL ? [] : [audienceLabel ?? "batch"])];
  const fileName = (kind: "students" | "sessions") => csvFileName(kind, scope, from, to ?? dayInZone(Date.now(), timeZone));

  return (
    <>
      <PageHeader
        title="Attendance report"
        description="Turnout per session, and each student's attendance over the sessions where attendance was taken. Present and late count as attended; excused sessions are left out."
      />
      <FilterBar activeCount={activeFilters}>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" mb="md">
          <CourseBatchFilter filter={courseBatch} courseOptions={courseOptions} batchOptions={batchOptions} />
          <DayInput label="From" value={fromDay} onChange={setFromDay} />
          <DayInput label="To" placeholder="Today" clearable value={toDay} error={rangeError} onChange={setToDay} />
        </SimpleGrid>
      </FilterBar>
      {rangeError !== null ? (
        <EmptyState title="Check the dates" description="Pick an end date on or after the start date." />
      ) : report === undefined ? (
        <LoadingState label="Building the report…" />
      ) : (
        <ReportTables report={report} timeZone={timeZone} fileName={fileName} />
      )}
    </>
  );
}

function ReportTables({
  report,
  timeZone,
  fileName,
}: {
  report: AttendanceReportData;
  timeZone: string;
  fileName: (kind: "students" | "sessions") => string;
}) {
  if (report.sessions.length === 0) {
    return (
      <EmptyState
        title="No attendance taken in this range"
        description="Sessions appear here once a student joined or attendance was marked. Try other dates, another course or batch."
      />
    );
  }
  return (
    <Stack gap="xl">
      {report.truncated ? (
        <Alert color="yellow" variant="light">
          {report.truncatedBefore !== null
            ? `This report covers the latest sessions only: those that started before ${formatDate(report.truncatedBefore, timeZone)} are left out. Narrow the dates to see them.`
            : "This report covers the latest sessions only. Narrow the dates to see older ones."}
        </Alert>
      ) : null}
      <ReportTable
        title="Students"
        downloadLabel="Download students CSV"
        onDownload={() => downloadCsv(fileName("students"), studentsCsv(report))}
        rows={report.students}
        rowKey={(row) => row.studentId}
        columns={[
          {
            header: "Student",
            cell: (row) => <TitleCell title={row.name} size="sm" plain detail={row.email} />,
          },
          { header: "Sessions", cell: (row) => row.sessionsCounted },
          { header: "Attended", cell: (row) => row.attended },
          { header: "Late", cell: (row) => row.late },
          { header: "Excused", cell: (row) => row.excused },
          { header: "Missed", cell: (row) => row.missed },
          { header: "Attendance", cell: (row) => <Text fw={600} size="sm">{percent(row.attendancePercent)}</Text> },
        ]}
        minWidth={560}
      />
      <ReportTable
        title="Sessions"
        downloadLabel="Download sessions CSV"
        onDownload={() => downloadCsv(fileName("sessions"), sessionsCsv(report, timeZone))}
        rows={report.sessions}
        rowKey={(row) => row.sessionId}
        columns={[
          { header: "Session", cell: (row) => row.title },
          { header: "Starts", cell: (row) => <DateTime value={row.startsAt} otherZone={row.timeZone} /> },
          { header: "Audience", cell: (row) => `${row.courseTitle} · ${row.batchName ?? UNBATCHED_LABEL}` },
          { header: "Mentor", cell: (row) => row.mentorName },
          { header: "Present", cell: (row) => row.present },
          { header: "Late", cell: (row) => row.late },
          { header: "Excused", cell: (row) => row.excused },
          { header: "Absent", cell: (row) => row.absent },
          { header: "Expected", cell: (row) => row.expected },
          { header: "Turnout", cell: (row) => <Text fw={600} size="sm">{percent(row.turnoutPercent)}</Text> },
        ]}
        minWidth={800}
      />
    </Stack>
  );
}

/** One part of the report: its heading, a CSV download, and its table (named like the heading). */
function ReportTable<T>({
  title,
  downloadLabel,
  onDownload,
  rows,
  rowKey,
  columns,
  minWidth,
}: {
  title: string;
  downloadLabel: string;
  onDownload: () => void;
  rows: readonly T[];
  rowKey: (row: T) => Key;
  columns: TableColumns<T>;
  minWidth: number;
}) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <Group justify="space-between" mb="xs" gap="xs">
        <Title order={2} size="h4" id={headingId}>
          {title}
        </Title>
        <Button variant="default" size="xs" onClick={onDownload}>
          {downloadLabel}
        </Button>
      </Group>
      <DataTable
        rows={rows}
        label={title}
        rowKey={rowKey}
        columns={columns}
        minWidth={minWidth}
        loadingLabel={`Loading ${title.toLowerCase()}…`}
        empty={{ title: `No ${title.toLowerCase()}` }}
      />
    </section>
  );
}
