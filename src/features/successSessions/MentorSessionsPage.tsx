import { Badge, Button, Card, Collapse, Group, SegmentedControl, Select, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery } from "convex/react";
import { useState } from "react";
import { api } from "../../../convex/_generated/api";
import { DataTable } from "../../lib/components/DataTable";
import { DateTime, DateTimeRange } from "../../lib/components/DateTime";
import { PageHeader } from "../../lib/components/PageHeader";
import { EmptyState, LoadingState, QueryBoundary } from "../../lib/components/states";
import { StatusBadge } from "../../lib/components/StatusBadge";
import { runWithFeedback } from "../../lib/notify";
import { useAdvanceClockAt, useListClock } from "../../lib/useCurrentMinute";
import { ATTENDANCE_OPTIONS, audienceLabel, earliestEndAfter, JOIN_OPENS_MS, useNow, useSessionPages, type SessionView } from "./sessionText";
import { newTabLinkProps } from "../../lib/externalLink";
import { TitleCell } from "../../lib/components/TitleCell";

/**
 * Mentor "My sessions": only the sessions assigned to the signed-in mentor, upcoming or past, each
 * with its attendee list (the batch's active students plus anyone with a record) where the mentor
 * marks `present | late | excused | absent` and corrects it later, and the recording link.
 */

const PAGE_SIZE = 20;

export function MentorSessionsPage() {
  const [timeframe, setTimeframe] = useState<"upcoming" | "past">("upcoming");
  // Both lists share one clock that moves when the first upcoming session ends (it then moves to Past).
  const [now, setNow] = useListClock();
  const upcoming = useSessionPages(api.successSessions.listForMentor, { timeframe: "upcoming", now }, PAGE_SIZE);
  const past = useSessionPages(api.successSessions.listForMentor, { timeframe: "past", now }, PAGE_SIZE);
  useAdvanceClockAt(earliestEndAfter(upcoming.results, now), setNow);
  const sessions = timeframe === "upcoming" ? upcoming : past;
  return (
    <>
      <PageHeader title="My sessions" description="Success sessions you host. Open a session's attendees to take or correct attendance." />
      <SegmentedControl
        mb="md"
        value={timeframe}
        onChange={(value) => setTimeframe(value as "upcoming" | "past")}
        data={[
          { value: "upcoming", label: "Upcoming" },
          { value: "past", label: "Past" },
        ]}
        aria-label="Which sessions"
      />
      {sessions.status === "LoadingFirstPage" ? (
        <LoadingState label="Loading your sessions…" />
      ) : sessions.results.length === 0 ? (
        <EmptyState title={timeframe === "upcoming" ? "No upcoming sessions" : "No past sessions"} description="Sessions assigned to you appear here." />
      ) : (
        <Stack gap="sm">
          {sessions.results.map((session) => (
            <MentorSessionCard key={session._id} session={session} />
          ))}
          {sessions.status === "CanLoadMore" || sessions.status === "LoadingMore" ? (
            <Button variant="default" onClick={sessions.showMore} loading={sessions.status === "LoadingMore"}>
              Show more
            </Button>
          ) : null}
        </Stack>
      )}
    </>
  );
}

function MentorSessionCard({ session }: { session: SessionView }) {
  const [open, setOpen] = useState(false);
  return (
    <Card withBorder padding="md" radius="md">
      <Group justify="space-between" align="flex-start" gap="sm">
        <Stack gap={2}>
          <Group gap="xs">
            <Text component="h2" fw={600}>
              {session.title}
            </Text>
            <StatusBadge status={session.status} />
          </Group>
          <Text size="sm">
            <DateTimeRange start={session.startsAt} end={session.endsAt} otherZone={session.timeZone} />
          </Text>
          <Text size="sm" c="dimmed">
            {session.courseTitle} · {audienceLabel(session)}
          </Text>
        </Stack>
        <Group gap="xs">
          {session.status !== "cancelled" ? (
            <Button
              component="a"
              href={session.meetingUrl}
              variant="light"
              {...newTabLinkProps(`Open meeting: ${session.title}`)}
            >
              Open meeting
            </Button>
          ) : null}
          <Button variant="default" onClick={() => setOpen((value) => !value)} aria-expanded={open} aria-label={`${open ? "Hide attendees" : "Attendees"} of ${session.title}`}>
            {open ? "Hide attendees" : "Attendees"}
          </Button>
        </Group>
      </Group>
      <Collapse expanded={open}>
        {open ? (
          <QueryBoundary>
            <Roster session={session} />
            {session.status !== "cancelled" ? <RecordingForm session={session} /> : null}
          </QueryBoundary>
        ) : null}
      </Collapse>
    </Card>
  );
}

function Roster({ session }: { session: SessionView }) {
  const roster = useQuery(api.attendance.roster, { sessionId: session._id });
  const mark = useMutation(api.attendance.mark);
  const now = useNow();
  if (roster === undefined) return <LoadingState label="Loading attendees…" />;
  if (roster.rows.length === 0) {
    return (
      <Text size="sm" c="dimmed" mt="sm">
        No students are in this session's audience yet.
      </Text>
    );
  }
  const canTake = session.status !== "cancelled" && now >= session.startsAt - JOIN_OPENS_MS;
  return (
    <Stack gap="xs" mt="sm">
      <Group gap="xs">
        {ATTENDANCE_OPTIONS.map((option) => (
          <Badge key={option.value} variant="light" color="gray">
            {option.label}: {roster.counts[option.value]}
          </Badge>
        ))}
        <Badge variant="light" color="gray">
          Not marked: {roster.counts.unmarked}
        </Badge>
      </Group>
      {!canTake && session.status !== "cancelled" ? (
        <Text size="xs" c="dimmed">
          Attendance opens 15 minutes before the start; until then you can mark students as excused.
        </Text>
      ) : null}
      <DataTable
        rows={roster.rows}
        label={`Attendees of ${session.title}`}
        rowKey={(row) => row.studentId}
        columns={[
          {
            header: "Student",
            cell: (row) => <TitleCell title={row.name} size="sm" plain detail={`${row.email}${row.inAudience ? "" : " · no longer in this batch"}`} />,
          },
          { header: "Joined", cell: (row) => (row.joinedAt !== null ? <DateTime value={row.joinedAt} format="time" /> : "—") },
          {
            header: "Attendance",
            cell: (row) => (
              <Select
                size="xs"
                w={140}
                aria-label={`Attendance of ${row.name}`}
                placeholder="Not marked"
                disabled={session.status === "cancelled"}
                data={ATTENDANCE_OPTIONS.map((option) => ({ ...option, disabled: !canTake && option.value !== "excused" }))}
                value={row.status}
                allowDeselect={false}
                onChange={(value) => {
                  if (value === null) return;
                  void runWithFeedback(() =>
                    mark({ sessionId: session._id, studentId: row.studentId, status: value as (typeof ATTENDANCE_OPTIONS)[number]["value"] }),
                  );
                }}
              />
            ),
          },
        ]}
        minWidth={520}
        loadingLabel="Loading attendees…"
        empty={{ title: "No students in this session's audience yet" }}
      />
    </Stack>
  );
}

function RecordingForm({ session }: { session: SessionView }) {
  const setRecording = useMutation(api.successSessions.setRecording);
  const [value, setValue] = useState(session.recordingUrl ?? "");
  const changed = value.trim() !== (session.recordingUrl ?? "");
  return (
    <Group align="flex-end" gap="xs" mt="sm">
      <TextInput
        label="Recording link"
        placeholder="https://…"
        value={value}
        onChange={(event) => setValue(event.currentTarget.value)}
        style={{ flex: "1 1 16rem" }}
      />
      <Button
        variant="default"
        disabled={!changed}
        onClick={() =>
          void runWithFeedback(
            () => setRecording({ sessionId: session._id, recordingUrl: value.trim() === "" ? null : value }),
            value.trim() === "" ? "Recording removed." : "Recording saved.",
          )
        }
      >
        Save recording
      </Button>
    </Group>
  );
}
