import { Badge, Button, Group, Radio, SimpleGrid, Stack, Text } from "@mantine/core";
import { useMutation, useQuery } from "convex/react";
import { useState } from "react";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { DateTimeRange } from "../../lib/components/DateTime";
import { ConfirmButton } from "../../lib/components/ConfirmButton";
import { DataTable } from "../../lib/components/DataTable";
import { DayInput } from "../../lib/components/DayInput";
import { FilterBar } from "../../lib/components/FilterBar";
import { PageHeader } from "../../lib/components/PageHeader";
import { StatusBadge } from "../../lib/components/StatusBadge";
import { notifySuccess } from "../../lib/notify";
import { dayInZone, endOfDayInZone, isCalendarDay, startOfDayInZone } from "../../lib/time";
import { useViewer } from "../../lib/useViewer";
import { SessionFormModal } from "./SessionFormModal";
import { audienceLabel, FREQUENCY_LABELS, useSessionPages, type SessionView } from "./sessionText";
import { ALL, FilterSelect } from "../../lib/components/FilterSelect";
import { CourseBatchFilter, useCatalogCourseBatchOptions, useCourseBatchFilter } from "./CourseBatchFilter";

/**
 * Staff "Success sessions": every session with its course, audience, mentor and status, filtered by
 * course, batch (or unbatched), mentor, status and a date range (days in the viewer's zone). Admins
 * schedule, edit and cancel (with confirmation); enrollment managers read.
 */

const PAGE_SIZE = 25;

const STATUS_OPTIONS = [
  { value: "upcoming", label: "Upcoming" },
  { value: "live", label: "Live" },
  { value: "completed", label: "Completed" },
  { value: "cancelled", label: "Cancelled" },
];

export function StaffSessionsPage() {
  const viewer = useViewer();
  const canManage = viewer.can("successSessions.manage");
  const courseBatch = useCourseBatchFilter();
  const { courseOptions, batchOptions } = useCatalogCourseBatchOptions(courseBatch.courseId);
  const [mentorId, setMentorId] = useState<string>(ALL);
  const [status, setStatus] = useState<string>(ALL);
  const [defaultFromDay] = useState(() => dayInZone(Date.now(), viewer.timeZone));
  const [fromDay, setFromDay] = useState(defaultFromDay);
  const [toDay, setToDay] = useState("");
  const [editing, setEditing] = useState<SessionView | "new" | null>(null);
  const activeFilters =
    courseBatch.activeCount + [mentorId !== ALL, status !== ALL, fromDay !== defaultFromDay, toDay !== ""].filter(Boolean).length;

  const mentors = useQuery(api.users.listByRole, { role: "mentor" });
  // Changing a filter starts the list over at one page.
  const sessions = useSessionPages(
    api.successSessions.listForStaff,
    {
      ...courseBatch.args,
      ...(mentorId !== ALL ? { mentorId: mentorId as Id<"users"> } : {}),
      ...(status !== ALL ? { status: status as "upcoming" | "live" | "completed" | "cancelled" } : {}),
      ...(isCalendarDay(fromDay) ? { from: startOfDayInZone(fromDay, viewer.timeZone) } : {}),
      // The end of the chosen day, exclusive: 23 or 25 hours after its start on daylight-saving days.
      ...(isCalendarDay(toDay) ? { to: endOfDayInZone(toDay, viewer.timeZone) } : {}),
    },
    PAGE_SIZE,
  );

  return (
    <>
      <PageHeader
        title="Success sessions"
        description="Live group sessions for a course's batch or its unbatched students. Times are in your time zone; hover for the session's own zone."
        actions={canManage ? <Button onClick={() => setEditing("new")}>Schedule session</Button> : undefined}
      />
      <FilterBar activeCount={activeFilters}>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 6 }} spacing="sm" mb="md">
          <CourseBatchFilter filter={courseBatch} courseOptions={courseOptions} batchOptions={batchOptions} />
          <FilterSelect
            label="Mentor"
            searchable
            allLabel="All mentors"
            options={(mentors ?? []).map((mentor) => ({ value: mentor._id, label: mentor.name }))}
            value={mentorId}
            onChange={setMentorId}
          />
          <FilterSelect label="Status" allLabel="Any status" options={STATUS_OPTIONS} value={status} onChange={setStatus} />
          <DayInput label="From" clearable placeholder="Any day" value={fromDay} onChange={setFromDay} />
          <DayInput label="To" clearable placeholder="Any day" value={toDay} onChange={setToDay} />
        </SimpleGrid>
      </FilterBar>

      <DataTable
        rows={sessions.status === "LoadingFirstPage" ? undefined : sessions.results}
        label="Success sessions"
        columns={[
          {
            header: "When",
            cell: (session) => <DateTimeRange start={session.startsAt} end={session.endsAt} otherZone={session.timeZone} />,
          },
          {
            header: "Session",
            cell: (session) => (
              <>
                <Text size="sm" fw={500}>
                  {session.title}
                </Text>
                {session.seriesFrequency ? (
                  <Badge size="xs" variant="outline" color="gray">
                    {FREQUENCY_LABELS[session.seriesFrequency]} · {session.occurrenceNumber}/{session.seriesOccurrenceCount}
                  </Badge>
                ) : null}
              </>
            ),
          },
          { header: "Course", cell: (session) => session.courseTitle },
          { header: "Audience", cell: (session) => audienceLabel(session) },
          { header: "Mentor", cell: (session) => session.mentorName },
          { header: "Status", cell: (session) => <StatusBadge status={session.status} /> },
          canManage && {
            header: "Actions",
            actions: true,
            cell: (session) => (
              <Group gap={4} wrap="nowrap">
                <Button
                  size="xs"
                  variant="subtle"
                  disabled={session.status === "cancelled"}
                  onClick={() => setEditing(session)}
                  aria-label={`Edit ${session.title}`}
                >
                  Edit
                </Button>
                {session.status === "upcoming" || session.status === "live" ? <CancelSessionButton session={session} /> : null}
              </Group>
            ),
          },
        ]}
        minWidth={900}
        highlightOnHover
        loadingLabel="Loading sessions…"
        empty={{
          title: "No sessions match",
          description: "Change the filters or pick an earlier “From” date.",
          action: canManage ? <Button onClick={() => setEditing("new")}>Schedule session</Button> : undefined,
        }}
      />
      {sessions.results.length > 0 && (sessions.status === "CanLoadMore" || sessions.status === "LoadingMore") ? (
        <Group justify="center" mt="sm">
          <Button variant="default" onClick={sessions.showMore} loading={sessions.status === "LoadingMore"}>
            Show more
          </Button>
        </Group>
      ) : null}
      <SessionFormModal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        session={editing !== null && editing !== "new" ? editing : undefined}
      />
    </>
  );
}

/** "Cancel" with a confirmation dialog; for a series it asks "this occurrence" or "this and following". */
function CancelSessionButton({ session }: { session: SessionView }) {
  const cancel = useMutation(api.successSessions.cancel);
  const [scope, setScope] = useState<"this" | "following">("this");
  return (
    <ConfirmButton
      size="xs"
      variant="subtle"
      color="red"
      aria-label={`Cancel ${session.title}`}
      title={`Cancel "${session.title}"?`}
      message={`Students of ${session.courseTitle} (${audienceLabel(session)}) will see it as cancelled. This cannot be undone.`}
      details={
        session.seriesId ? (
          <Radio.Group label="Cancel" value={scope} onChange={(value) => setScope(value as "this" | "following")}>
            <Stack gap={4} mt={4}>
              <Radio value="this" label="This occurrence" />
              <Radio value="following" label="This and following occurrences" />
            </Stack>
          </Radio.Group>
        ) : null
      }
      cancelLabel="Keep session"
      confirmLabel="Cancel session"
      onConfirm={async () => {
        const cancelled = await cancel({ sessionId: session._id, scope });
        notifySuccess(cancelled.length > 1 ? `${cancelled.length} sessions cancelled.` : "Session cancelled.");
      }}
    >
      Cancel
    </ConfirmButton>
  );
}
