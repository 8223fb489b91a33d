import { Alert, Button, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useQuery } from "convex/react";
import { useMemo, useState } from "react";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { DateTime } from "../../lib/components/DateTime";
import { PageHeader } from "../../lib/components/PageHeader";
import { EmptyState, LoadingState } from "../../lib/components/states";
import { dayInZone, startOfDayInZone } from "../../lib/time";
import { useViewer } from "../../lib/useViewer";
import { audienceLabel, downloadCsv, sessionsCsv, studentsCsv, type AttendanceReport } from "./sessionText";

/**
 * Attendance report (staff: all sessions; mentors: their own): each session's turnout and each
 * student's attendance percentage over the sessions where attendance was taken, filtered by course,
 * batch and dates, with CSV downloads of both tables.
 */

const ALL = "all";
const UNBATCHED = "unbatched";
const DAY = 24 * 60 * 60 * 1000;

function percent(value: number | null): string {
  return value === null ? "—" : `${value}%`;
}

export function AttendanceReportPage() {
  const viewer = useViewer();
  const staff = viewer.isStaff;
  const [courseId, setCourseId] = useState(ALL);
  const [audience, setAudience] = useState(ALL);
  const [fromDay, setFromDay] = useState(() => dayInZone(Date.now() - 90 * DAY, viewer.timeZone));
  const [toDay, setToDay] = useState("");
  const validDay = (day: string) => /^\d{4}-\d{2}-\d{2}$/.test(day);

  // Staff pick from the catalog; mentors from the courses and batches of their own sessions.
  const courses = useQuery(api.catalog.listCourses, staff ? { includeArchived: true } : "skip");
  const batches = useQuery(
    api.catalog.listBatches,
    staff && courseId !== ALL ? { courseId: courseId as Id<"courses">, includeArchived: true } : "skip",
  );
  const ownSessions = useQuery(api.attendance.report, staff ? "skip" : {});
  const report = useQuery(api.attendance.report, {
    ...(courseId !== ALL ? { courseId: courseId as Id<"courses"> } : {}),
    ...(courseId !== ALL && audience !== ALL ? { batchId: audience === UNBATCHED ? null : (audience as Id<"batches">) } : {}),
    ...(validDay(fromDay) ? { from: startOfDayInZone(fromDay, viewer.timeZone) } : {}),
    ...(validDay(toDay) ? { to: startOfDayInZone(toDay, viewer.timeZone) + DAY } : {}),
  });

  const courseOptions = useMemo(() => {
    if (staff) return (courses ?? []).map((course) => ({ value: course._id as string, label: course.title }));
    const seen = new Map<string, string>();
    for (const session of ownSessions?.sessions ?? []) seen.set(session.courseId, session.courseTitle);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [staff, courses, ownSessions]);
  const batchOptions = useMemo(() => {
    if (staff) {
      return (batches ?? []).map((batch) => ({ value: batch._id as string, label: batch.status === "archived" ? `${batch.name} (archived)` : batch.name }));
    }
    const seen = new Map<string, string>();
    for (const session of ownSessions?.sessions ?? []) {
      if (session.courseId === courseId && session.batchId !== null) seen.set(session.batchId, session.batchName ?? "Batch");
    }
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [staff, batches, ownSessions, courseId]);

  return (
    <>
      <PageHeader
        title="Attendance report"
        description="Turnout per session, and each student's attendance over the sessions where attendance was taken. Present and late count as attended; excused sessions are left out."
      />
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" mb="md">
        <Select
          label="Course"
          searchable
          allowDeselect={false}
          data={[{ value: ALL, label: "All courses" }, ...courseOptions]}
          value={courseId}
          onChange={(value) => {
            setCourseId(value ?? ALL);
            setAudience(ALL);
          }}
        />
        <Select
          label="Batch"
          allowDeselect={false}
          disabled={courseId === ALL}
          data={[{ value: ALL, label: "All batches and unbatched" }, ...batchOptions, { value: UNBATCHED, label: "Unbatched students" }]}
          value={audience}
          onChange={(value) => setAudience(value ?? ALL)}
        />
        <TextInput label="From" type="date" value={fromDay} onChange={(event) => setFromDay(event.currentTarget.value)} />
        <TextInput label="To" type="date" value={toDay} onChange={(event) => setToDay(event.currentTarget.value)} />
      </SimpleGrid>
      {report === undefined ? <LoadingState label="Building the report…" /> : <ReportTables report={report} timeZone={viewer.timeZone} />}
    </>
  );
}

function ReportTables({ report, timeZone }: { report: AttendanceReport; timeZone: string }) {
  if (report.sessions.length === 0) {
    return <EmptyState title="No attendance taken yet" description="Sessions appear here once someone joined or was marked." />;
  }
  const stamp = () => dayInZone(Date.now(), timeZone);
  return (
    <Stack gap="xl">
      {report.truncated ? (
        <Alert color="yellow" variant="light">
          Only the latest {report.sessions.length} sessions are included. Narrow the dates to see older ones.
        </Alert>
      ) : null}
      <section aria-labelledby="students-heading">
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4" id="students-heading">
            Students
          </Title>
          <Button variant="default" size="xs" onClick={() => downloadCsv(`attendance-students-${stamp()}.csv`, studentsCsv(report))}>
            Download students CSV
          </Button>
        </Group>
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Student</Table.Th>
                <Table.Th>Sessions</Table.Th>
                <Table.Th>Attended</Table.Th>
                <Table.Th>Late</Table.Th>
                <Table.Th>Excused</Table.Th>
                <Table.Th>Missed</Table.Th>
                <Table.Th>Attendance</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.students.map((row) => (
                <Table.Tr key={row.studentId}>
                  <Table.Td>
                    <Text size="sm">{row.name}</Text>
                    <Text size="xs" c="dimmed">
                      {row.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>{row.sessionsCounted}</Table.Td>
                  <Table.Td>{row.attended}</Table.Td>
                  <Table.Td>{row.late}</Table.Td>
                  <Table.Td>{row.excused}</Table.Td>
                  <Table.Td>{row.missed}</Table.Td>
                  <Table.Td fw={600}>{percent(row.attendancePercent)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </section>
      <section aria-labelledby="sessions-heading">
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4" id="sessions-heading">
            Sessions
          </Title>
          <Button variant="default" size="xs" onClick={() => downloadCsv(`attendance-sessions-${stamp()}.csv`, sessionsCsv(report, timeZone))}>
            Download sessions CSV
          </Button>
        </Group>
        <Table.ScrollContainer minWidth={800}>
          <Table striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Session</Table.Th>
                <Table.Th>Starts</Table.Th>
                <Table.Th>Audience</Table.Th>
                <Table.Th>Mentor</Table.Th>
                <Table.Th>Present</Table.Th>
                <Table.Th>Late</Table.Th>
                <Table.Th>Excused</Table.Th>
                <Table.Th>Absent</Table.Th>
                <Table.Th>Expected</Table.Th>
                <Table.Th>Turnout</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.sessions.map((row) => (
                <Table.Tr key={row.sessionId}>
                  <Table.Td>{row.title}</Table.Td>
                  <Table.Td>
                    <DateTime value={row.startsAt} otherZone={row.timeZone} />
                  </Table.Td>
                  <Table.Td>
                    {row.courseTitle} · {audienceLabel(row)}
                  </Table.Td>
                  <Table.Td>{row.mentorName}</Table.Td>
                  <Table.Td>{row.present}</Table.Td>
                  <Table.Td>{row.late}</Table.Td>
                  <Table.Td>{row.excused}</Table.Td>
                  <Table.Td>{row.absent}</Table.Td>
                  <Table.Td>{row.expected}</Table.Td>
                  <Table.Td fw={600}>{percent(row.turnoutPercent)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </section>
    </Stack>
  );
}
