import { Anchor, Badge, Button, Card, Group, Stack, Text } from "@mantine/core";
import { useMutation } from "convex/react";
import { useId } from "react";
import { Link } from "react-router";
import { api } from "../../../convex/_generated/api";
import { ConfirmButton } from "../../lib/components/ConfirmButton";
import { DateTimeRange } from "../../lib/components/DateTime";
import { StatusBadge } from "../../lib/components/StatusBadge";
import { newTabLinkProps } from "../../lib/externalLink";
import { notifyError } from "../../lib/notify";
import { formatDateTime, formatTime } from "../../lib/time";
import { useViewer } from "../../lib/useViewer";
import { AddToCalendarButton } from "../notifications/addToCalendar";
import { JOIN_OPENS_MS } from "../successSessions/sessionText";
import { isCancelled, pathOf, seriesRule, shortDay, timesOf, titleOf, type ScheduleItem, type SuccessItem } from "./scheduleModel";


const KIND_LABELS = { success: "Success session", coaching: "Coaching", coded: "Coded session" } as const;
const KIND_COLORS = { success: "blue", coaching: "grape", coded: "teal" } as const;

/** What kind of item it is, as a small badge. */
function KindBadge({ item }: { item: ScheduleItem }) {
  return (
    <Badge variant="light" color={KIND_COLORS[item.kind]}>
      {KIND_LABELS[item.kind]}
    </Badge>
  );
}

/** The people line of an item ("Data Science · Batch 1 · with Maya Mentor", "You host", …). */
function detailsOf(item: ScheduleItem): string {
  switch (item.kind) {
    case "success":
      return item.role === "host"
        ? `You host · ${item.session.courseTitle}${item.session.batchName ? ` · ${item.session.batchName}` : " · unbatched students"}`
        : `${item.session.courseTitle} · with ${item.session.mentorName}`;
    case "coaching":
      return `${item.session.productTitle} · ${item.session.durationMinutes} min`;
    case "coded":
      return item.role === "lecturer" ? "You teach" : `with ${item.session.lecturerName}`;
  }
}

/**
 * One schedule item with the action it needs now: Join (success sessions, from 15 minutes before),
 * Open in Discord (coaching, once the channel exists), Open the meeting (coded sessions with a link),
 * Add to calendar, Cancel (coaching bookings the viewer may cancel), and a link to its page.
 * @param now epoch ms (the current minute), which decides what is open.
 */
export function ScheduleItemCard({ item, now }: { item: ScheduleItem; now: number }) {
  const { start, end } = timesOf(item);
  const title = titleOf(item);
  const cancelled = isCancelled(item);
  const status = item.kind === "coded" ? null : item.session.status;
  return (
    <Card withBorder padding="sm" radius="md" component="article" aria-label={title}>
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" gap="xs">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Anchor component={Link} to={pathOf(item)} fw={600} td={cancelled ? "line-through" : undefined}>
              {title}
            </Anchor>
            <Text size="sm">
              <DateTimeRange start={start} end={end} />
            </Text>
            <Text size="sm" c="dimmed">
              {detailsOf(item)}
            </Text>
          </Stack>
          <Group gap={4}>
            <KindBadge item={item} />
            {status !== null && status !== "upcoming" && status !== "SCHEDULED" ? <StatusBadge status={status} /> : null}
          </Group>
        </Group>
        {cancelled || end <= now ? null : <ItemActions item={item} now={now} title={title} />}
      </Stack>
    </Card>
  );
}

function ItemActions({ item, now, title }: { item: ScheduleItem; now: number; title: string }) {
  switch (item.kind) {
    case "success":
      return (
        <Group gap="xs">
          {item.role === "host" ? <HostMeetingLink item={item} now={now} /> : <JoinSuccessSession item={item} now={now} />}
          <AddToCalendarButton kind="success" sessionId={item.session._id} size="xs" aria-label={`Add to calendar: ${title}`}>
            Add to calendar
          </AddToCalendarButton>
        </Group>
      );
    case "coaching":
      return <CoachingActions item={item} title={title} />;
    case "coded":
      return item.session.meetingUrl !== undefined && item.session.status === "open" ? (
        <Group gap="xs">
          <Button component="a" href={item.session.meetingUrl} size="xs" color="green" {...newTabLinkProps(`Open the meeting of ${title}`)}>
            Open the meeting
          </Button>
        </Group>
      ) : null;
  }
}

/** Join for attendees: a real link (records attendance too) from 15 minutes before; before that it says when it opens. */
function JoinSuccessSession({ item, now }: { item: SuccessItem; now: number }) {
  const { timeZone } = useViewer();
  const join = useMutation(api.attendance.join);
  const opensId = useId();
  const opensAt = item.session.startsAt - JOIN_OPENS_MS;
  if (now < opensAt) {
    return (
      <Group gap={6} wrap="nowrap">
        <Button size="xs" variant="light" disabled aria-label={`Join ${item.session.title}`} aria-describedby={opensId}>
          Join
        </Button>
        <Text size="xs" c="dimmed" id={opensId}>
          Opens {formatDateTime(opensAt, timeZone)}
        </Text>
      </Group>
    );
  }
  return (
    <Button
      component="a"
      href={item.session.meetingUrl}
      size="xs"
      color="green"
      {...newTabLinkProps(`Join ${item.session.title}`)}
      onClick={() => {
        join({ sessionId: item.session._id }).catch((error: unknown) => notifyError(error, "Your attendance was not recorded"));
      }}
    >
      Join
    </Button>
  );
}

/** The host's meeting link, from 15 minutes before the start. */
function HostMeetingLink({ item, now }: { item: SuccessItem; now: number }) {
  const { timeZone } = useViewer();
  if (now < item.session.startsAt - JOIN_OPENS_MS) {
    return (
      <Text size="xs" c="dimmed">
        Meeting link opens at {formatTime(item.session.startsAt - JOIN_OPENS_MS, timeZone)}
      </Text>
    );
  }
  return (
    <Button component="a" href={item.session.meetingUrl} size="xs" color="green" {...newTabLinkProps(`Open the meeting of ${item.session.title}`)}>
      Open the meeting
    </Button>
  );
}

function CoachingActions({ item, title }: { item: Extract<ScheduleItem, { kind: "coaching" }>; title: string }) {
  const cancel = useMutation(api.coaching.cancel);
  const { session } = item;
  return (
    <Group gap="xs">
      {session.discordChannelUrl !== null ? (
        <Button component="a" href={session.discordChannelUrl} size="xs" color="indigo" {...newTabLinkProps(`Open in Discord: ${title}`)}>
          Open in Discord
        </Button>
      ) : (
        <Text size="xs" c="dimmed">
          The Discord channel appears here before the session.
        </Text>
      )}
      <AddToCalendarButton kind="coaching" sessionId={session._id} size="xs" aria-label={`Add to calendar: ${title}`}>
        Add to calendar
      </AddToCalendarButton>
      {session.viewerCan.cancel ? (
        <ConfirmButton
          size="xs"
          color="red"
          variant="light"
          aria-label={`Cancel ${title}`}
          title="Cancel this coaching session?"
          message="The other person is told by email and the private Discord channel is removed."
          confirmLabel="Cancel session"
          successMessage="Session cancelled."
          onConfirm={() => cancel({ sessionId: session._id })}
        >
          Cancel
        </ConfirmButton>
      ) : null}
    </Group>
  );
}

/**
 * A recurring series as ONE agenda entry: "every Tuesday 9:00 PM · next Tue, Dec 8 · 8 sessions",
 * with the next occurrence's actions.
 */
export function SeriesCard({ next, now }: { next: SuccessItem; now: number }) {
  const { timeZone } = useViewer();
  const count = next.session.seriesOccurrenceCount;
  const rule = seriesRule(next.session.seriesFrequency, next.session.startsAt, timeZone);
  return (
    <Card withBorder padding="sm" radius="md" component="article" aria-label={`${next.session.title} (series)`}>
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" gap="xs">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Anchor component={Link} to={pathOf(next)} fw={600}>
              {next.session.title}
            </Anchor>
            <Text size="sm" data-testid="series-summary">
              {rule} · next {shortDay(next.session.startsAt, timeZone)}
              {count !== undefined ? ` · ${count} sessions` : ""}
            </Text>
            <Text size="sm" c="dimmed">
              {detailsOf(next)}
            </Text>
          </Stack>
          <KindBadge item={next} />
        </Group>
        {next.session.status === "cancelled" || next.session.endsAt <= now ? null : (
          <ItemActions item={next} now={now} title={next.session.title} />
        )}
      </Stack>
    </Card>
  );
}
