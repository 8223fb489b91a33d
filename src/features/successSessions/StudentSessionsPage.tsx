import { Anchor, Badge, Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import { useMutation } from "convex/react";
import { useEffect, useId } from "react";
import { api } from "../../../convex/_generated/api";
import { DateTimeRange } from "../../lib/components/DateTime";
import { PageHeader } from "../../lib/components/PageHeader";
import { EmptyState, LoadingState } from "../../lib/components/states";
import { StatusBadge } from "../../lib/components/StatusBadge";
import { notifyError } from "../../lib/notify";
import { formatTime } from "../../lib/time";
import { useAdvanceClockAt, useListClock } from "../../lib/useCurrentMinute";
import { useViewer } from "../../lib/useViewer";
import { AddToCalendarButton } from "../notifications/addToCalendar";
import { ATTENDANCE_OPTIONS, audienceLabel, earliestEndAfter, JOIN_OPENS_MS, useNow, useSessionPages, type SessionPages, type SessionView } from "./sessionText";
import { newTabLinkProps } from "../../lib/externalLink";

/**
 * Student "Live sessions": the next session they may see with a Join button, the other upcoming
 * ones, and past sessions since they enrolled, with recordings. Join opens the meeting link in a new
 * tab and records attendance (once) on the server. Lists are built by the server from the student's
 * active enrollments only.
 */

const UPCOMING_PAGE = 20;
const PAST_PAGE = 10;

export function StudentSessionsPage() {
  // Both lists share one clock that moves when the first upcoming session ends (it then moves to Past).
  const [now, setNow] = useListClock();
  const upcoming = useSessionPages(api.successSessions.listForStudent, { timeframe: "upcoming", now }, UPCOMING_PAGE);
  const past = useSessionPages(api.successSessions.listForStudent, { timeframe: "past", now }, PAST_PAGE);
  useAdvanceClockAt(earliestEndAfter(upcoming.results, now), setNow);

  const next = upcoming.results.find((session) => session.status !== "cancelled");
  const others = upcoming.results.filter((session) => session !== next);
  // Only cancelled sessions loaded so far: keep loading until a session that takes place shows up.
  const lookingForNext = next === undefined && (upcoming.status === "CanLoadMore" || upcoming.status === "LoadingMore");
  const { showMore } = upcoming;
  useEffect(() => {
    if (lookingForNext) showMore();
  }, [lookingForNext, showMore]);

  return (
    <>
      <PageHeader
        title="Live sessions"
        description="Group sessions for your courses and batches. Times are in your time zone; hover a time to see the session's own zone."
      />
      <Stack gap="xl">
        <section aria-labelledby="next-session-heading">
          <Title order={2} size="h4" id="next-session-heading" mb="sm">
            Next session
          </Title>
          {upcoming.status === "LoadingFirstPage" || lookingForNext ? (
            <LoadingState label="Loading your sessions…" />
          ) : next === undefined ? (
            <EmptyState title="No upcoming sessions" description="When a session is scheduled for your course or batch, it appears here." />
          ) : (
            <SessionCard session={next} highlight />
          )}
        </section>

        {others.length > 0 ? (
          <section aria-labelledby="upcoming-heading">
            <Title order={2} size="h4" id="upcoming-heading" mb="sm">
              Also coming up
            </Title>
            <Stack gap="sm">
              {others.map((session) => (
                <SessionCard key={session._id} session={session} />
              ))}
              <ShowMoreButton pages={upcoming}>Show more upcoming sessions</ShowMoreButton>
            </Stack>
          </section>
        ) : null}

        <section aria-labelledby="past-heading">
          <Title order={2} size="h4" id="past-heading" mb="sm">
            Past sessions
          </Title>
          {past.status === "LoadingFirstPage" ? (
            <LoadingState label="Loading past sessions…" />
          ) : past.results.length === 0 ? (
            <Text c="dimmed" size="sm">
              No past sessions since you enrolled.
            </Text>
          ) : (
            <Stack gap="sm">
              {past.results.map((session) => (
                <PastSessionCard key={session._id} session={session} />
              ))}
              <ShowMoreButton pages={past}>Show older sessions</ShowMoreButton>
            </Stack>
          )}
        </section>
      </Stack>
    </>
  );
}

/** "Show more" under a list while it has more: spinning (and disabled) while the next page loads. */
function ShowMoreButton({ pages, children }: { pages: SessionPages<SessionView>; children: string }) {
  if (pages.status !== "CanLoadMore" && pages.status !== "LoadingMore") return null;
  return (
    <Button variant="default" onClick={pages.showMore} loading={pages.status === "LoadingMore"}>
      {children}
    </Button>
  );
}

function SessionHeading({ session }: { session: SessionView }) {
  return (
    <Stack gap={2}>
      <Group gap="xs">
        <Text component="h3" fw={600}>
          {session.title}
        </Text>
        {session.status !== "upcoming" ? <StatusBadge status={session.status} /> : null}
      </Group>
      <Text size="sm">
        <DateTimeRange start={session.startsAt} end={session.endsAt} otherZone={session.timeZone} />
      </Text>
      <Text size="sm" c="dimmed">
        {session.courseTitle} · {audienceLabel(session)} · with {session.mentorName}
      </Text>
    </Stack>
  );
}

function SessionCard({ session, highlight = false }: { session: SessionView; highlight?: boolean }) {
  return (
    <Card withBorder padding="md" radius="md" shadow={highlight ? "sm" : undefined}>
      <Group justify="space-between" align="flex-start" gap="sm">
        <SessionHeading session={session} />
        {session.status !== "cancelled" ? (
          <Group gap="xs">
            <AddToCalendarButton kind="success" sessionId={session._id} aria-label={`Add to calendar: ${session.title}`}>
              Add to calendar
            </AddToCalendarButton>
            <JoinButton session={session} />
          </Group>
        ) : null}
      </Group>
      {highlight && session.description ? (
        <Text size="sm" mt="sm">
          {session.description}
        </Text>
      ) : null}
      {highlight && session.status !== "cancelled" && (session.zoomMeetingId || session.zoomPasscode) ? (
        <Text size="sm" mt="xs" c="dimmed">
          {session.zoomMeetingId ? `Zoom meeting id ${session.zoomMeetingId}` : null}
          {session.zoomMeetingId && session.zoomPasscode ? " · " : null}
          {session.zoomPasscode ? `Passcode ${session.zoomPasscode}` : null}
        </Text>
      ) : null}
    </Card>
  );
}

/**
 * Opens the meeting in a new tab (a real link, so pop-up blockers let it through) and records the
 * attendance on the server at the same time. Before the join window it says when it opens.
 */
function JoinButton({ session }: { session: SessionView }) {
  const viewer = useViewer();
  const join = useMutation(api.attendance.join);
  const now = useNow();
  const opensAt = session.startsAt - JOIN_OPENS_MS;
  const opensId = useId();
  if (now < opensAt) {
    // The time is beside the button, not in it, so the button's spoken name ("Join <title>")
    // contains its visible text and the time is read with it as its description.
    return (
      <Group gap={6} wrap="nowrap">
        <Button variant="light" disabled aria-label={`Join ${session.title}`} aria-describedby={opensId}>
          Join
        </Button>
        <Text size="xs" c="dimmed" id={opensId}>
          Opens at {formatTime(opensAt, viewer.timeZone)}
        </Text>
      </Group>
    );
  }
  return (
    <Button
      component="a"
      href={session.meetingUrl}
      color="green"
      {...newTabLinkProps(`Join ${session.title}`)}
      onClick={() => {
        join({ sessionId: session._id }).catch((error: unknown) => notifyError(error, "Your attendance was not recorded"));
      }}
    >
      Join
    </Button>
  );
}

function PastSessionCard({ session }: { session: SessionView }) {
  const attendance = ATTENDANCE_OPTIONS.find((option) => option.value === session.myAttendance);
  return (
    <Card withBorder padding="sm" radius="md">
      <Group justify="space-between" align="flex-start" gap="sm">
        <SessionHeading session={session} />
        <Stack gap={4} align="flex-end">
          {attendance ? (
            <Badge variant="light" color={attendance.value === "absent" ? "red" : attendance.value === "excused" ? "gray" : "green"}>
              {attendance.label}
            </Badge>
          ) : null}
          {session.recordingUrl ? (
            <Anchor
              href={session.recordingUrl}
              size="sm"
              {...newTabLinkProps(`Watch the recording of ${session.title}`)}
            >
              Watch the recording
            </Anchor>
          ) : (
            <Text size="xs" c="dimmed">
              No recording
            </Text>
          )}
        </Stack>
      </Group>
    </Card>
  );
}
