import { Alert, Anchor, Button, Card, Group, Stack, Text } from "@mantine/core";
import { useMutation, useQuery } from "convex/react";
import { useState } from "react";
import { Link } from "react-router";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { ConfirmButton } from "../../lib/components/ConfirmButton";
import { PageHeader } from "../../lib/components/PageHeader";
import { EmptyState, LoadingState } from "../../lib/components/states";
import { runWithFeedback } from "../../lib/notify";
import { dayInZone, formatDateTime, startOfDayInZone } from "../../lib/time";
import { useViewer } from "../../lib/useViewer";
import { useNow } from "../successSessions/sessionText";
import { addDaysToDate, type CoachingSessionView } from "./coachingText";
import { RescheduleButton } from "./RescheduleSession";
import { OpenInDiscordButton, ProvisioningStatus, SessionSummary } from "./SessionParts";
import { useCurrentMinute } from "../../lib/useCurrentMinute";
import { CancelSessionButton } from "./CancelSession";
import { PageSection } from "../../lib/components/PageSection";

/**
 * Coach "Coaching sessions" (`/coaching/coach`, SPEC §6): today's sessions and the coming ones in
 * the coach's time zone, each with the student, the private channel's state and link, and the
 * actions the server allows (`viewerCan`): start (from 15 minutes before), complete, cancel; then
 * past sessions, newest first, where the ones never completed can still be completed. Live.
 */

/** Days read at first; "Show more" extends up to the server's 62. */
const RANGE_STEPS = [14, 31, 62];
/** Past sessions read at first and added by each "Show older sessions". */
const PAST_PAGE = 10;
/** The server's cap on past sessions per call. */
const PAST_MAX = 200;

export function CoachSessionsPage() {
  const viewer = useViewer();
  const linking = useQuery(api.discordLinking.status, {});
  return (
    <>
      <PageHeader
        title="Coaching sessions"
        description={`Your 1:1 sessions. Times are in your time zone (${viewer.timeZone}); hover a time to see it in other zones.`}
        actions={
          <Button component={Link} to="/coaching/availability" variant="default">
            Edit availability
          </Button>
        }
      />
      {linking !== undefined && linking.discordUserId === null ? (
        <Alert color="indigo" title="Your Discord account is not linked" mb="md">
          Session channels are private: you only see them in Discord once your account is linked.{" "}
          {linking.configured ? <Anchor component={Link} to="/profile">Link Discord on your profile.</Anchor> : "Ask an administrator to set your Discord id."}
        </Alert>
      ) : null}
      <CoachSchedule />
    </>
  );
}

/**
 * A coach's schedule: today, upcoming (14 days, extendable to 62) and past sessions, in the viewer's
 * time zone, each card with the actions the server offers the viewer. Live.
 * @param coachId whose schedule (default: the viewer's own); staff pass a coach's id.
 */
export function CoachSchedule({ coachId }: { coachId?: Id<"users"> }) {
  const viewer = useViewer();
  const timeZone = viewer.timeZone;
  const [range] = useState(() => {
    const today = dayInZone(Date.now(), timeZone);
    return { from: startOfDayInZone(today, timeZone), tomorrow: startOfDayInZone(addDaysToDate(today, 1), timeZone) };
  });
  const [step, setStep] = useState(0);
  const days = RANGE_STEPS[step];
  const minute = useCurrentMinute();
  const sessions = useQuery(api.coaching.coachSessions, { from: range.from, days, now: minute, ...(coachId ? { coachId } : {}) });
  const now = useNow();

  const today = sessions?.filter((session) => session.startTime < range.tomorrow) ?? [];
  const upcoming = sessions?.filter((session) => session.startTime >= range.tomorrow) ?? [];

  if (sessions === undefined) return <LoadingState label="Loading sessions…" />;
  return (
    <Stack gap="xl">
      <PageSection title="Today">
        {today.length === 0 ? (
          <Text size="sm" c="dimmed">
            No sessions today.
          </Text>
        ) : (
          <Stack gap="sm">
            {today.map((session) => (
              <CoachSessionCard key={session._id} session={session} now={now} />
            ))}
          </Stack>
        )}
      </PageSection>
      <PageSection title="Upcoming">
        {upcoming.length === 0 ? (
          <EmptyState
            title="No upcoming sessions"
            description={`Nothing booked in the next ${days} days. Students book the free times of ${coachId ? "the coach's" : "your"} weekly availability.`}
          />
        ) : (
          <Stack gap="sm">
            {upcoming.map((session) => (
              <CoachSessionCard key={session._id} session={session} now={now} />
            ))}
          </Stack>
        )}
        {step < RANGE_STEPS.length - 1 ? (
          <Group justify="center" mt="md">
            <Button variant="default" onClick={() => setStep((current) => current + 1)}>
              Show the next {RANGE_STEPS[step + 1]} days
            </Button>
          </Group>
        ) : null}
      </PageSection>
      <PastSessions now={now} coachId={coachId} />
    </Stack>
  );
}

/** The coach's ended sessions, newest first; ones still open (never completed) are flagged. */
function PastSessions({ now, coachId }: { now: number; coachId?: Id<"users"> }) {
  const [limit, setLimit] = useState(PAST_PAGE);
  const past = useQuery(api.coaching.coachPastSessions, { limit, now: useCurrentMinute(), ...(coachId ? { coachId } : {}) });
  const open = past?.filter((session) => session.status === "SCHEDULED" || session.status === "IN_PROGRESS").length ?? 0;
  return (
    <PageSection title="Past sessions">
      {past === undefined ? (
        <LoadingState label="Loading past sessions…" />
      ) : past.length === 0 ? (
        <Text size="sm" c="dimmed">
          No past sessions yet.
        </Text>
      ) : (
        <Stack gap="sm">
          {open > 0 ? (
            <Alert color="yellow" title={open === 1 ? "1 past session is not completed" : `${open} past sessions are not completed`}>
              Mark the sessions that took place as completed, or cancel the ones that did not happen. Their
              Discord channels are removed either way.
            </Alert>
          ) : null}
          {past.map((session) => (
            <CoachSessionCard key={session._id} session={session} now={now} />
          ))}
          {past.length === limit && limit < PAST_MAX ? (
            <Group justify="center">
              <Button variant="default" onClick={() => setLimit((current) => Math.min(PAST_MAX, current + PAST_PAGE))}>
                Show older sessions
              </Button>
            </Group>
          ) : null}
        </Stack>
      )}
    </PageSection>
  );
}

function CoachSessionCard({ session, now }: { session: CoachingSessionView; now: number }) {
  const viewer = useViewer();
  const start = useMutation(api.coaching.start);
  const complete = useMutation(api.coaching.complete);
  const markNoShow = useMutation(api.coaching.markNoShow);
  const [starting, setStarting] = useState(false);
  const live = session.status === "SCHEDULED" || session.status === "IN_PROGRESS";
  const who = session.student.name;
  const when = formatDateTime(session.startTime, viewer.timeZone);

  return (
    <Card withBorder padding="md" radius="md" component="article" aria-label={`${who}, ${when}`}>
      <Stack gap="xs">
        <SessionSummary
          session={session}
          heading={who}
          otherZone={session.student.timeZone}
          detail={`${session.productTitle} · ${session.durationMinutes} min`}
        />
        {live ? <ProvisioningStatus session={session} audience="coach" now={now} /> : null}
        {live && !session.student.discordLinked && session.provisioningState !== "not_configured" ? (
          <Text size="xs" c="dimmed">
            {who} has not linked Discord yet; they get access to the channel once they do.
          </Text>
        ) : null}
        {session.notes ? (
          <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
            <Text span c="dimmed" size="sm">
              Student's notes:{" "}
            </Text>
            {session.notes}
          </Text>
        ) : null}
        {live ? (
          <Group gap="xs">
            {session.discordChannelUrl !== null && session.provisioningState === "ready" ? (
              <OpenInDiscordButton url={session.discordChannelUrl} label={`Open in Discord: the session with ${who}`} />
            ) : null}
            {session.viewerCan.start ? (
              <Button
                variant="light"
                color="green"
                loading={starting}
                aria-label={`Start the session with ${who}`}
                onClick={() => {
                  setStarting(true);
                  void runWithFeedback(() => start({ sessionId: session._id }), "Session started.").finally(() => setStarting(false));
                }}
              >
                Start
              </Button>
            ) : null}
            {session.viewerCan.complete ? (
              <ConfirmButton
                variant="light"
                title="Mark this session as completed?"
                message={`The session with ${who} is completed; its private Discord channel is removed 5 minutes later.`}
                confirmLabel="Complete"
                aria-label={`Complete the session with ${who}`}
                onConfirm={() => complete({ sessionId: session._id })}
                successMessage="Session completed."
              >
                Complete
              </ConfirmButton>
            ) : null}
            {session.viewerCan.markNoShow ? (
              <ConfirmButton
                variant="light"
                color="orange"
                title="Mark as no-show?"
                message={`${who} did not come to the session on ${when}. It is completed as a no-show and its Discord channel is removed 5 minutes later.`}
                confirmLabel="Mark no-show"
                aria-label={`Mark ${who} as no-show`}
                onConfirm={() => markNoShow({ sessionId: session._id })}
                successMessage="Marked as no-show."
              >
                No-show
              </ConfirmButton>
            ) : null}
            {session.viewerCan.reschedule ? <RescheduleButton session={session} otherName={who} /> : null}
            {session.viewerCan.cancel ? (
              <CancelSessionButton session={session} audience="coach" otherName={who} when={when} late={now > session.studentChangeDeadline} />
            ) : null}
          </Group>
        ) : null}
      </Stack>
    </Card>
  );
}
