import { Box, Button, Card, CloseButton, Group, Select, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery } from "convex/react";
import { memo, useCallback, useMemo, useState } from "react";
import { api } from "../../../convex/_generated/api";
import { PageHeader } from "../../lib/components/PageHeader";
import { LoadingState } from "../../lib/components/states";
import { errorMessage } from "../../lib/errors";
import { notifySuccess } from "../../lib/notify";
import { allTimeZones } from "../../lib/time";
import { useViewer } from "../../lib/useViewer";
import {
  AVAILABILITY_STEP_MINUTES,
  checkAvailability,
  minuteToTime,
  timeToMinute,
  WEEKDAY_NAMES,
  WEEKDAYS_MONDAY_FIRST,
  type IntervalDraft,
  type WeeklyWindow,
} from "./coachingText";
import { DateOverridesPanel } from "./DateOverridesPanel";
import { SubmitForm } from "../../lib/components/SubmitForm";
import { ErrorAlert } from "../../lib/components/FormError";

/**
 * Coach "Availability" (`/coaching/availability`, SPEC §6): the weekly hours students can book, in
 * the coach's own IANA time zone. One row per weekday with any number of intervals (add / remove);
 * checked here as the server checks them (steps of 5 minutes, end after start, no overlaps) and
 * saved at once with `coachingAvailability.setMine`. Existing bookings stay when hours change.
 * Below: date overrides on a calendar and the coach's booking limits (`DateOverridesPanel`).
 */
export function AvailabilityPage() {
  const viewer = useViewer();
  const availability = useQuery(api.coachingAvailability.mine, {});
  const setMine = useMutation(api.coachingAvailability.setMine);
  return (
    <>
      <PageHeader
        title="Availability"
        description="Your weekly hours for 1:1 coaching. Students see the free times inside them, converted to their own time zone."
        breadcrumbs={[{ label: "Coaching sessions", to: "/coaching/coach" }]}
      />
      {availability === undefined ? (
        <LoadingState label="Loading your availability…" />
      ) : (
        <>
          <AvailabilityEditor
            initialTimeZone={availability.timeZone}
            initialWindows={availability.windows}
            onSave={(timeZone, windows) => setMine({ timeZone, windows })}
          />
          <DateOverridesPanel timeZone={availability.timeZone ?? viewer.timeZone} />
        </>
      )}
    </>
  );
}

type Days = Record<number, IntervalDraft[]>;

let keyCounter = 0;
function newKey(): string {
  keyCounter += 1;
  return `interval-${keyCounter}`;
}

function toDays(windows: readonly WeeklyWindow[]): Days {
  const days: Days = {};
  for (const weekday of WEEKDAYS_MONDAY_FIRST) days[weekday] = [];
  for (const window of [...windows].sort((a, b) => a.startMinute - b.startMinute)) {
    days[window.weekday]?.push({ key: newKey(), start: minuteToTime(window.startMinute), end: minuteToTime(window.endMinute) });
  }
  return days;
}

/** A comparable text of what would be saved (to know whether there are unsaved changes). */
function fingerprint(timeZone: string | null, days: Days): string {
  return JSON.stringify([timeZone, WEEKDAYS_MONDAY_FIRST.map((weekday) => days[weekday].map(({ start, end }) => [start, end]))]);
}

/** The next interval to offer on a day: 09:00–17:00 when empty, else the hour after the last one. */
function nextInterval(intervals: IntervalDraft[]): IntervalDraft {
  const last = intervals[intervals.length - 1];
  const lastEnd = last === undefined ? null : timeToMinute(last.end, { asEnd: true });
  if (last === undefined || lastEnd === null) return { key: newKey(), start: "09:00", end: "17:00" };
  if (lastEnd >= 23 * 60) return { key: newKey(), start: "", end: "" };
  return { key: newKey(), start: minuteToTime(lastEnd), end: minuteToTime(lastEnd + 60) };
}

/** A coach's stored availability as the server returns it after a save. */
export interface SavedAvailability {
  /** Null only before the first save. */
  timeZone: string | null;
  windows: WeeklyWindow[];
}

/**
 * The weekly-hours editor: one row per weekday (Monday first) with any number of intervals, the time
 * zone of the hours, checks as the server makes them, Save and Discard. Used by coaches for their own
 * hours and by admins for a coach's (`coachName` set: texts speak of that coach).
 * @param onSave stores `{ timeZone, windows }` and resolves to what was stored; its ConvexError's
 *   message is shown above the buttons.
 */
export function AvailabilityEditor({
  initialTimeZone,
  initialWindows,
  onSave,
  coachName,
  defaultTimeZone,
}: {
  initialTimeZone: string | null;
  initialWindows: WeeklyWindow[];
  onSave: (timeZone: string, windows: WeeklyWindow[]) => Promise<SavedAvailability>;
  coachName?: string;
  /** Zone offered before any hours are saved (default: the viewer's). */
  defaultTimeZone?: string;
}) {
  const viewer = useViewer();
  const fallbackZone = defaultTimeZone ?? viewer.timeZone;
  const [saved, setSaved] = useState(() => ({ timeZone: initialTimeZone, days: toDays(initialWindows) }));
  const [timeZone, setTimeZone] = useState<string | null>(initialTimeZone ?? fallbackZone);
  const [days, setDays] = useState<Days>(saved.days);
  const [attempted, setAttempted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const changeTimeZone = useCallback((value: string | null) => {
    setTimeZone(value);
    setServerError(null);
  }, []);

  const { windows, errors } = checkAvailability(days);
  const incomplete = (interval: IntervalDraft) => interval.start.trim() === "" || interval.end.trim() === "";
  const visibleError = (interval: IntervalDraft) => (attempted || !incomplete(interval) ? errors[interval.key] : undefined);
  const dirty = fingerprint(timeZone, days) !== fingerprint(saved.timeZone ?? fallbackZone, saved.days);

  const update = (weekday: number, change: (intervals: IntervalDraft[]) => IntervalDraft[]) => {
    setDays((current) => ({ ...current, [weekday]: change(current[weekday]) }));
    setServerError(null);
  };

  const save = async () => {
    setAttempted(true);
    setServerError(null);
    if (Object.keys(errors).length > 0 || timeZone === null) return;
    setSaving(true);
    try {
      const result = await onSave(timeZone, windows);
      const next = { timeZone: result.timeZone, days: toDays(result.windows) };
      setSaved(next);
      setDays(next.days);
      setTimeZone(result.timeZone);
      setAttempted(false);
      notifySuccess("Availability saved.");
    } catch (caught) {
      setServerError(errorMessage(caught));
    } finally {
      setSaving(false);
    }
  };

  const errorCount = Object.keys(errors).filter((key) => {
    const interval = WEEKDAYS_MONDAY_FIRST.flatMap((weekday) => days[weekday]).find((candidate) => candidate.key === key);
    return interval !== undefined && visibleError(interval) !== undefined;
  }).length;

  return (
    <SubmitForm onSubmit={save}>
      <Stack gap="md">
        <Card withBorder padding="md" radius="md">
          <Stack gap="xs">
            <TimeZoneField
              value={timeZone}
              onChange={changeTimeZone}
              coachName={coachName}
              error={attempted && timeZone === null ? (coachName ? `Choose ${coachName}'s time zone.` : "Choose your time zone.") : undefined}
            />
            {initialTimeZone === null ? (
              <Text size="sm" c="dimmed">
                {coachName
                  ? `${coachName} has not published any hours yet. Students cannot book them until hours are saved.`
                  : "You have not published any hours yet. Students cannot book you until you do."}
              </Text>
            ) : null}
          </Stack>
        </Card>

        <Card withBorder padding="md" radius="md">
          <Stack gap={0}>
            {WEEKDAYS_MONDAY_FIRST.map((weekday, index) => (
              <DayRow
                key={weekday}
                weekday={weekday}
                intervals={days[weekday]}
                errorOf={visibleError}
                first={index === 0}
                onChange={(change) => update(weekday, change)}
              />
            ))}
          </Stack>
        </Card>
        <Text size="xs" c="dimmed">
          Times in steps of {AVAILABILITY_STEP_MINUTES} minutes. An end of 00:00 means midnight at the end of the day.
        </Text>

        <ErrorAlert
          error={errorCount > 0 ? `${errorCount === 1 ? "One interval needs fixing" : `${errorCount} intervals need fixing`} before you can save.` : null}
        />
        <ErrorAlert error={serverError} />
        <Group gap="xs">
          <Button type="submit" loading={saving} disabled={!dirty}>
            Save availability
          </Button>
          <Button
            variant="default"
            disabled={!dirty || saving}
            onClick={() => {
              setDays(saved.days);
              setTimeZone(saved.timeZone ?? fallbackZone);
              setAttempted(false);
              setServerError(null);
            }}
          >
            Discard changes
          </Button>
          {dirty ? (
            <Text size="sm" c="dimmed">
              Unsaved changes
            </Text>
          ) : null}
        </Group>
      </Stack>
    </SubmitForm>
  );
}

/**
 * The zone picker (a searchable list of every IANA zone). Memoised: the list is long, and editing
 * intervals must not re-render it.
 */
const TimeZoneField = memo(function TimeZoneField({
  value,
  onChange,
  error,
  coachName,
}: {
  value: string | null;
  onChange: (value: string | null) => void;
  error?: string;
  coachName?: string;
}) {
  const viewerZone = useViewer().timeZone;
  const zones = useMemo(
    () => allTimeZones([value ?? "", viewerZone]).map((zone) => ({ value: zone, label: zone.replace(/_/g, " ") })),
    [value, viewerZone],
  );
  return (
    <Select
      label="Time zone of these hours"
      description={`${coachName ? `${coachName}'s` : "Your"} hours stay the same local times all year, also across daylight-saving changes.`}
      placeholder="Search, e.g. London"
      data={zones}
      value={value}
      onChange={onChange}
      searchable
      limit={50}
      nothingFoundMessage="No time zone matches"
      allowDeselect={false}
      error={error}
      w={{ base: "100%", xs: 360 }}
    />
  );
});

function DayRow({
  weekday,
  intervals,
  errorOf,
  first,
  onChange,
}: {
  weekday: number;
  intervals: IntervalDraft[];
  errorOf: (interval: IntervalDraft) => string | undefined;
  first: boolean;
  onChange: (change: (intervals: IntervalDraft[]) => IntervalDraft[]) => void;
}) {
  const day = WEEKDAY_NAMES[weekday];
  const headingId = `availability-${day.toLowerCase()}`;
  const setField = (key: string, field: "start" | "end", value: string) =>
    onChange((current) => current.map((interval) => (interval.key === key ? { ...interval, [field]: value } : interval)));

  return (
    <Box
      role="group"
      aria-labelledby={headingId}
      py="sm"
      style={first ? undefined : { borderTop: "1px solid var(--mantine-color-default-border)" }}
    >
      <Group align="flex-start" gap="sm" wrap="wrap">
        <Text fw={500} id={headingId} w={{ base: "100%", xs: 110 }} pt={{ xs: 6 }}>
          {day}
        </Text>
        <Stack gap="xs" style={{ flex: "1 1 16rem" }}>
          {intervals.length === 0 ? (
            <Text size="sm" c="dimmed" pt={6}>
              Not available
            </Text>
          ) : null}
          {intervals.map((interval, index) => {
            const error = errorOf(interval);
            const errorId = `${interval.key}-error`;
            const shownErrorId = error !== undefined ? errorId : undefined;
            const label = `${day}, hours ${index + 1}`;
            return (
              <Stack key={interval.key} gap={2}>
                <Group gap="xs" wrap="nowrap" align="center">
                  <HoursInput
                    label={`${label}: from`}
                    value={interval.start}
                    errorId={shownErrorId}
                    onChange={(value) => setField(interval.key, "start", value)}
                  />
                  <Text aria-hidden>–</Text>
                  <HoursInput
                    label={`${label}: until`}
                    value={interval.end}
                    errorId={shownErrorId}
                    onChange={(value) => setField(interval.key, "end", value)}
                  />
                  <CloseButton
                    aria-label={`Remove ${label}`}
                    onClick={() => onChange((current) => current.filter((candidate) => candidate.key !== interval.key))}
                  />
                </Group>
                {error !== undefined ? (
                  <Text size="xs" c="red" id={errorId}>
                    {error}
                  </Text>
                ) : null}
              </Stack>
            );
          })}
        </Stack>
        <Button variant="light" size="xs" mt={4} onClick={() => onChange((current) => [...current, nextInterval(current)])} aria-label={`Add hours on ${day}`}>
          Add hours
        </Button>
      </Group>
    </Box>
  );
}

/**
 * One end of a day's hours ("from" or "until") as a time field in steps of
 * `AVAILABILITY_STEP_MINUTES`; while its hours have an error it is marked invalid and described by
 * the error's text (`errorId`, the id of that text).
 */
function HoursInput({
  label,
  value,
  errorId,
  onChange,
}: {
  label: string;
  value: string;
  errorId: string | undefined;
  onChange: (value: string) => void;
}) {
  return (
    <TextInput
      type="time"
      step={AVAILABILITY_STEP_MINUTES * 60}
      aria-label={label}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      error={errorId !== undefined}
      aria-describedby={errorId}
      style={{ flex: 1, maxWidth: 140 }}
    />
  );
}
