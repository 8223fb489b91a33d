import { Alert, Button, Card, Group, Modal, SegmentedControl, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useDisclosure, useMediaQuery } from "@mantine/hooks";
import { useQuery } from "convex/react";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { api } from "../../../convex/_generated/api";
import { PageHeader } from "../../lib/components/PageHeader";
import { EmptyState, LoadingState } from "../../lib/components/states";
import { timeZoneAbbreviation } from "../../lib/time";
import { useCurrentMinute } from "../../lib/useCurrentMinute";
import { useViewer } from "../../lib/useViewer";
import { JoinByCodeForm } from "../codedSessions/JoinSessionPage";
import { CalendarFeedCard } from "../notifications/CalendarFeedCard";
import { CalendarView } from "./CalendarView";
import { ScheduleItemCard, SeriesCard } from "./ScheduleItemCard";
import {
  agendaEntries,
  dayHeading,
  dayOf,
  keyOf,
  rangeLabel,
  rangeOf,
  SCHEDULE_VIEWS,
  shiftAnchor,
  titleOf,
  type ScheduleItem,
  type ScheduleView,
} from "./scheduleModel";

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function isView(value: string | null): value is ScheduleView {
  return value === "agenda" || value === "week" || value === "month";
}

/**
 * My schedule (`/schedule`), the landing page of students, mentors, coaches and lecturers: every
 * session with a time the viewer takes part in (`api.schedule.mine`), live, in their time zone, as
 * an agenda (the default on phones; a recurring series is one entry), a week or a month (every
 * occurrence). The view and the day shown are in the address (`?view=week&day=2026-12-08`), so a
 * view can be bookmarked. Also: joining a coded session by code, the private calendar feed, and
 * for students without a coaching product, how to get one.
 */
export function SchedulePage() {
  const viewer = useViewer();
  const { timeZone } = viewer;
  const now = useCurrentMinute();
  const phone = useMediaQuery("(max-width: 48em)") ?? false;
  const [params, setParams] = useSearchParams();
  const requestedView = params.get("view");
  const view: ScheduleView = isView(requestedView) ? requestedView : phone ? "agenda" : "week";
  const requestedDay = params.get("day");
  const today = dayOf(now, timeZone);
  const anchorDay = requestedDay !== null && DAY_PATTERN.test(requestedDay) ? requestedDay : today;
  const range = rangeOf(view, anchorDay, timeZone);
  const schedule = useQuery(api.schedule.mine, { ...range, timeZone, now });
  const [feedOpened, feed] = useDisclosure(false);
  const [opened, setOpened] = useState<ScheduleItem | null>(null);

  const show = (next: { view?: ScheduleView; day?: string }) => {
    const search = new URLSearchParams(params);
    search.set("view", next.view ?? view);
    if (next.day === undefined || next.day === today) search.delete("day");
    else search.set("day", next.day);
    setParams(search, { replace: true });
  };
  const unit = view === "month" ? "month" : view === "week" ? "week" : "four weeks";

  return (
    <>
      <PageHeader
        title="My schedule"
        description={`Everything with a time that you take part in. Times are in your time zone (${timeZone}, ${timeZoneAbbreviation(timeZone, now)}).`}
        actions={
          <Button variant="default" onClick={feed.open}>
            Subscribe in your calendar
          </Button>
        }
      />
      <Stack gap="md">
        <Group justify="space-between" gap="sm">
          <SegmentedControl
            aria-label="View"
            data={SCHEDULE_VIEWS}
            value={view}
            onChange={(value) => {
              if (isView(value)) show({ view: value, day: anchorDay });
            }}
          />
          <Group gap="xs">
            <Button variant="default" size="sm" aria-label={`Previous ${unit}`} onClick={() => show({ day: shiftAnchor(view, anchorDay, -1, timeZone) })}>
              ‹
            </Button>
            <Button variant="default" size="sm" onClick={() => show({ day: today })} disabled={anchorDay === today}>
              Today
            </Button>
            <Button variant="default" size="sm" aria-label={`Next ${unit}`} onClick={() => show({ day: shiftAnchor(view, anchorDay, 1, timeZone) })}>
              ›
            </Button>
          </Group>
        </Group>
        <Title order={2} size="h4" aria-live="polite">
          {rangeLabel(view, anchorDay, timeZone)}
        </Title>

        {schedule === undefined ? (
          <LoadingState label="Loading your schedule…" />
        ) : (
          <>
            {schedule.truncated ? (
              <Alert color="yellow" variant="light">
                This range holds more sessions than one view shows; pick a shorter view to see them all.
              </Alert>
            ) : null}
            {view === "agenda" ? (
              <Agenda items={schedule.items} now={now} today={today} timeZone={timeZone} />
            ) : (
              <>
                {schedule.items.length === 0 ? (
                  <Text c="dimmed" size="sm">
                    Nothing scheduled this {unit}.
                  </Text>
                ) : null}
                <CalendarView view={view} anchorDay={anchorDay} timeZone={timeZone} items={schedule.items} onOpen={setOpened} />
              </>
            )}
          </>
        )}

        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <Card withBorder padding="md" radius="md" component="section" aria-labelledby="join-by-code-heading">
            <Title order={2} size="h5" id="join-by-code-heading" mb="xs">
              Join a class with a code
            </Title>
            <JoinByCodeForm compact />
          </Card>
          {viewer.hasRole("student") ? <CoachingHint /> : null}
        </SimpleGrid>
      </Stack>

      <Modal opened={feedOpened} onClose={feed.close} title="Your calendar feed" size="lg">
        <Text size="sm" mb="sm">
          Subscribe once and your calendar app keeps every session of this schedule up to date.
        </Text>
        <CalendarFeedCard />
      </Modal>
      <Modal opened={opened !== null} onClose={() => setOpened(null)} title={opened === null ? "" : titleOf(opened)}>
        {opened !== null ? <ScheduleItemCard item={opened} now={now} /> : null}
      </Modal>
    </>
  );
}

/** The agenda: entries by day, a recurring series as one entry. */
function Agenda({ items, now, today, timeZone }: { items: readonly ScheduleItem[]; now: number; today: string; timeZone: string }) {
  const entries = agendaEntries(items, now);
  if (entries.length === 0) {
    return (
      <EmptyState
        title="Nothing scheduled in these four weeks"
        description="Sessions you attend, host, book or join appear here as soon as they are planned."
      />
    );
  }
  const days = [...new Set(entries.map((entry) => entry.day))];
  return (
    <Stack gap="md" data-testid="agenda">
      {days.map((day) => (
        <section key={day} aria-labelledby={`agenda-${day}`}>
          <Title order={3} size="h6" id={`agenda-${day}`} mb={6} c={day === today ? "blue" : undefined}>
            {dayHeading(day, today, timeZone)}
          </Title>
          <Stack gap="xs">
            {entries
              .filter((entry) => entry.day === day)
              .map((entry) =>
                entry.type === "series" ? (
                  <SeriesCard key={`series:${entry.seriesId}`} next={entry.next} now={now} />
                ) : (
                  <ScheduleItemCard key={keyOf(entry.item)} item={entry.item} now={now} />
                ),
              )}
          </Stack>
        </section>
      ))}
    </Stack>
  );
}

/** For students: Coaching when they have a coaching product, else how to get one. */
function CoachingHint() {
  const facts = useQuery(api.schedule.navigationFacts, {});
  if (facts === undefined || facts.coachingAccess) return null;
  return (
    <Card withBorder padding="md" radius="md" component="section" aria-labelledby="coaching-hint-heading">
      <Title order={2} size="h5" id="coaching-hint-heading" mb="xs">
        1:1 coaching
      </Title>
      <Text size="sm">
        Private sessions with a coach come with a coaching product. You do not have one yet: ask your enrollment manager
        to add one to your account, and Coaching appears in your menu to book your first session.
      </Text>
    </Card>
  );
}
