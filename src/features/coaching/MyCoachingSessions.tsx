import { Alert, Anchor, Card, Group, SegmentedControl, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "convex/react";
import { useState } from "react";
import { Link } from "react-router";
import { api } from "../../../convex/_generated/api";
import { EmptyState, LoadingState } from "../../lib/components/states";
import { formatDateTime } from "../../lib/time";
import { useViewer } from "../../lib/useViewer";
import { AddToCalendarButton } from "../notifications/addToCalendar";
import { useNow } from "../successSessions/sessionText";
import type { CoachingSessionView } from "./coachingText";
import { RescheduleButton } from "./RescheduleSession";
import { OpenInDiscordButton, ProvisioningStatus, SessionSummary } from "./SessionParts";
import { useCurrentMinute } from "../../lib/useCurrentMinute";
import { CancelSessionButton } from "./CancelSession";

/**
 * "My coaching sessions" (SPEC §6): the student's bookings, upcoming (soonest first) or past, each
 * with its status, time in the student's zone, coach, the private Discord channel's state in plain
 * words and "Open in Discord" once it is ready, Add to calendar, and Cancel for their own future
 * bookings and Move until the product's cancellation window closes (the server decides via
 * `viewerCan`), with the deadline in words. Live: provisioning progress shows up by itself.
 */

const PAST_LIMIT = 20;

export function MyCoachingSessions() {
  const [scope, setScope] = useState<"upcoming" | "past">("upcoming");
  const minute = useCurrentMinute();
  const sessions = useQuery(api.coaching.myBookings, scope === "past" ? { scope, limit: PAST_LIMIT, now: minute } : { scope, now: minute });
  const linking = useQuery(api.discordLinking.status, {});
  const now = useNow();
  const hasLiveBooking = sessions?.some((session) => session.status === "SCHEDULED" || session.status === "IN_PROGRESS") ?? false;

  return (
    <section aria-labelledby="my-coaching-heading">
      <Group justify="space-between" align="center" mb="sm" gap="sm">
        <Title order={2} size="h4" id="my-coaching-heading">
          My coaching sessions
        </Title>
        <SegmentedControl
          aria-label="Which sessions to show"
          value={scope}
          onChange={(value) => setScope(value as "upcoming" | "past")}
          data={[
            { value: "upcoming", label: "Upcoming" },
            { value: "past", label: "Past" },
          ]}
        />
      </Group>
      {scope === "upcoming" && hasLiveBooking && linking?.configured && linking.discordUserId === null ? (
        <Alert color="indigo" title="Link your Discord account" mb="sm">
          Coaching happens in a private Discord voice channel. <Anchor component={Link} to="/profile">Link Discord on your profile</Anchor>{" "}
          so you get access to your sessions' channels.
        </Alert>
      ) : null}
      {sessions === undefined ? (
        <LoadingState label="Loading your coaching sessions…" />
      ) : sessions.length === 0 ? (
        <EmptyState
          title={scope === "upcoming" ? "No upcoming coaching sessions" : "No past coaching sessions"}
          description={scope === "upcoming" ? "Sessions you book appear here." : undefined}
        />
      ) : (
        <Stack gap="sm">
          {sessions.map((session) => (
            <StudentSessionCard key={session._id} session={session} now={now} />
          ))}
        </Stack>
      )}
    </section>
  );
}

function StudentSessionCard({ session, now }: { session: CoachingSessionView; now: number }) {
  const viewer = useViewer();
  const live = session.status === "SCHEDULED" || session.status === "IN_PROGRESS";
  const when = formatDateTime(session.startTime, viewer.timeZone);
  return (
    <Card withBorder padding="md" radius="md" component="article" aria-label={`${session.productTitle} with ${session.coach.name}, ${when}`}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" gap="xs">
          <SessionSummary
            session={session}
            heading={session.productTitle}
            otherZone={session.coach.timeZone}
            detail={`with ${session.coach.name} · ${session.durationMinutes} min`}
          />
        </Group>
        {live ? <ProvisioningStatus session={session} audience="student" now={now} /> : null}
        {session.notes ? (
          <Text size="sm" c="dimmed" style={{ whiteSpace: "pre-wrap" }}>
            Your notes: {session.notes}
          </Text>
        ) : null}
        {live && session.provisioningState === "ready" && !session.student.discordLinked ? (
          <Text size="sm" c="indigo">
            Your channel is ready. <Anchor component={Link} to="/profile">Link your Discord account</Anchor> to get access.
          </Text>
        ) : null}
        {live ? (
          <Group gap="xs">
            {session.discordChannelUrl !== null && session.provisioningState === "ready" ? (
              <OpenInDiscordButton url={session.discordChannelUrl} label={`Open in Discord: the session with ${session.coach.name}`} />
            ) : null}
            <AddToCalendarButton kind="coaching" sessionId={session._id} aria-label={`Add to calendar: the session with ${session.coach.name} on ${when}`}>
              Add to calendar
            </AddToCalendarButton>
            {session.viewerCan.reschedule ? <RescheduleButton session={session} otherName={session.coach.name} /> : null}
            {session.viewerCan.cancel ? <CancelSessionButton session={session} audience="student" otherName={session.coach.name} when={when} /> : null}
          </Group>
        ) : null}
        {session.status === "SCHEDULED" && !session.viewerCan.cancel ? (
          <Text size="xs" c="dimmed">
            It is too late to cancel or move it yourself; ask {session.coach.name} (it counts as a late cancellation).
          </Text>
        ) : session.status === "SCHEDULED" && session.studentChangeDeadline < session.startTime ? (
          <Text size="xs" c="dimmed">
            You can cancel or move it yourself until {formatDateTime(session.studentChangeDeadline, viewer.timeZone)}.
          </Text>
        ) : null}
      </Stack>
    </Card>
  );
}
