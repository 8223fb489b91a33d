import { Badge, Button, Group, Stack, Tabs, Text } from "@mantine/core";
import { useMutation, useQuery } from "convex/react";
import { Link, useParams } from "react-router";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import type { FunctionReturnType } from "convex/server";
import { PageHeader } from "../../lib/components/PageHeader";
import { EmptyState, LoadingState } from "../../lib/components/states";
import { useViewer } from "../../lib/useViewer";
import { AvailabilityEditor } from "./AvailabilityPage";
import { CoachSchedule } from "./CoachSessionsPage";
import { minuteToTime, WEEKDAY_NAMES, WEEKDAYS_MONDAY_FIRST, type WeeklyWindow } from "./coachingText";
import { DateOverridesPanel } from "./DateOverridesPanel";
import { DataTable } from "../../lib/components/DataTable";
import { TitleCell } from "../../lib/components/TitleCell";

type CoachOverview = FunctionReturnType<typeof api.coachingAvailability.coaches>[number];

/**
 * Staff "Coaches" (`/manage/coaches`, SPEC §6): every coach with the days and hours a week students
 * can book them, the zone of those hours and whether their Discord account is linked (without it
 * they cannot see their session channels). Each row opens the coach's page. Readers of all sessions
 * and coaching managers.
 */
export function CoachesPage() {
  const coaches = useQuery(api.coachingAvailability.coaches, {});
  return (
    <>
      <PageHeader
        title="Coaches"
        description="Who gives 1:1 coaching and when students can book them. Give someone the coach role on the Roles page."
      />
      <DataTable
        rows={coaches}
        label="Coaches"
        rowKey={(coach) => coach.coachId}
        columns={[
          {
            header: "Coach",
            cell: (coach) => <TitleCell title={coach.name} to={`/manage/coaches/${coach.coachId}`} size="sm" detail={coach.email} />,
          },
          { header: "Weekly hours", cell: (coach) => <WeeklyHoursSummary coach={coach} /> },
          {
            header: "Discord",
            cell: (coach) =>
              coach.discordLinked ? (
                <Badge color="green" variant="light">
                  Linked
                </Badge>
              ) : (
                <Badge color="orange" variant="light">
                  Not linked
                </Badge>
              ),
          },
        ]}
        minWidth={560}
        highlightOnHover
        loadingLabel="Loading coaches…"
        empty={{ title: "No coaches yet", description: "Give a user the coach role, then set their weekly hours here." }}
      />
    </>
  );
}

/** "Mon, Tue, Wed · 24 h a week" with the zone below, or a warning when the coach has no hours. */
function WeeklyHoursSummary({ coach }: { coach: CoachOverview }) {
  if (coach.weeklyMinutes === 0) {
    return (
      <Text size="sm" c="orange.8">
        No hours published: students cannot book this coach.
      </Text>
    );
  }
  const days = WEEKDAYS_MONDAY_FIRST.filter((weekday) => coach.weekdays.includes(weekday)).map((weekday) =>
    WEEKDAY_NAMES[weekday].slice(0, 3),
  );
  return (
    <>
      <Text size="sm">
        {days.join(", ")} · {formatHours(coach.weeklyMinutes)} a week
      </Text>
      {coach.timeZone ? (
        <Text size="xs" c="dimmed">
          {coach.timeZone.replace(/_/g, " ")}
        </Text>
      ) : null}
    </>
  );
}

/** 90 → "1 h 30 min", 2400 → "40 h". */
export function formatHours(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/**
 * Staff page of one coach (`/manage/coaches/:coachId`): their schedule (today, upcoming, past, with
 * the actions the server allows staff) and their weekly hours, which coaching managers edit on the
 * coach's behalf (`coachingAvailability.setForCoach`); other staff read them. The same holds for
 * their date overrides, booking limits and the bookings inside their time off (`DateOverridesPanel`).
 */
export function CoachDetailPage() {
  const { coachId } = useParams();
  const coaches = useQuery(api.coachingAvailability.coaches, {});
  if (coaches === undefined) return <LoadingState label="Loading coach…" />;
  const coach = coaches.find((candidate) => candidate.coachId === coachId);
  if (coach === undefined) {
    return (
      <EmptyState
        title="Coach not found"
        description="This person does not exist or no longer has the coach role."
        action={
          <Button component={Link} to="/manage/coaches" variant="default">
            Back to coaches
          </Button>
        }
      />
    );
  }
  return (
    <>
      <PageHeader
        title={coach.name}
        description={`${coach.email} · times are shown in your time zone.`}
        breadcrumbs={[{ label: "Coaches", to: "/manage/coaches" }]}
      />
      <Tabs defaultValue="schedule" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="schedule">Schedule</Tabs.Tab>
          <Tabs.Tab value="hours">Weekly hours</Tabs.Tab>
          <Tabs.Tab value="overrides">Date overrides</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="schedule">
          <CoachSchedule coachId={coach.coachId} />
        </Tabs.Panel>
        <Tabs.Panel value="hours">
          <CoachHours coachId={coach.coachId} coachName={coach.name} profileTimeZone={coach.profileTimeZone} />
        </Tabs.Panel>
        <Tabs.Panel value="overrides">
          <CoachOverrides coachId={coach.coachId} coachName={coach.name} timeZone={coach.timeZone ?? coach.profileTimeZone} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

/** A coach's date overrides, booking limits and bookings inside time off: coaching managers edit, other staff read. */
function CoachOverrides({ coachId, coachName, timeZone }: { coachId: Id<"users">; coachName: string; timeZone: string | null }) {
  const viewer = useViewer();
  return (
    <DateOverridesPanel
      coachId={coachId}
      coachName={coachName}
      timeZone={timeZone ?? viewer.timeZone}
      canEdit={viewer.can("coaching.manage")}
    />
  );
}

function CoachHours({ coachId, coachName, profileTimeZone }: { coachId: Id<"users">; coachName: string; profileTimeZone: string | null }) {
  const viewer = useViewer();
  const availability = useQuery(api.coachingAvailability.ofCoach, { coachId });
  const setForCoach = useMutation(api.coachingAvailability.setForCoach);
  if (availability === undefined) return <LoadingState label="Loading weekly hours…" />;
  if (viewer.can("coaching.manage")) {
    return (
      <AvailabilityEditor
        initialTimeZone={availability.timeZone}
        initialWindows={availability.windows}
        coachName={coachName}
        defaultTimeZone={profileTimeZone ?? undefined}
        onSave={(timeZone, windows) => setForCoach({ coachId, timeZone, windows })}
      />
    );
  }
  return <WeeklyHoursList timeZone={availability.timeZone} windows={availability.windows} coachName={coachName} />;
}

/** Read-only weekly hours, Monday first, for staff who may read but not change them. */
function WeeklyHoursList({ timeZone, windows, coachName }: { timeZone: string | null; windows: WeeklyWindow[]; coachName: string }) {
  if (windows.length === 0) {
    return <EmptyState title="No weekly hours" description={`${coachName} has not published any hours yet.`} />;
  }
  return (
    <Stack gap={4}>
      <Text size="sm" c="dimmed">
        In {coachName}'s time zone, {timeZone?.replace(/_/g, " ")}.
      </Text>
      {WEEKDAYS_MONDAY_FIRST.map((weekday) => {
        const day = windows.filter((window) => window.weekday === weekday).sort((a, b) => a.startMinute - b.startMinute);
        return (
          <Group key={weekday} gap="xs">
            <Text size="sm" fw={500} w="7rem">
              {WEEKDAY_NAMES[weekday]}
            </Text>
            <Text size="sm" c={day.length === 0 ? "dimmed" : undefined}>
              {day.length === 0
                ? "Not available"
                : day.map((window) => `${minuteToTime(window.startMinute)}–${minuteToTime(window.endMinute)}`).join(", ")}
            </Text>
          </Group>
        );
      })}
    </Stack>
  );
}
