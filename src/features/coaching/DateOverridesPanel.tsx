import { Alert, Button, Card, Checkbox, CloseButton, Group, List, NumberInput, SegmentedControl, Stack, Text, TextInput, Title } from "@mantine/core";
import { DatePicker } from "@mantine/dates";
import { useMutation, useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { useState } from "react";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { DateTimeRange } from "../../lib/components/DateTime";
import { LoadingState } from "../../lib/components/states";
import { errorMessage } from "../../lib/errors";
import { notifySuccess } from "../../lib/notify";
import { dayInZone } from "../../lib/time";
import { useCurrentMinute } from "../../lib/useCurrentMinute";
import { addDaysToDate, formatCalendarDay, minuteToTime, timeToMinute } from "./coachingText";
import { useServerCall } from "../../lib/useServerCall";
import { ErrorAlert } from "../../lib/components/FormError";

/**
 * Coach "Date overrides" on the availability page (issue #15): a calendar to pick dates, then time
 * off (the whole day or some hours) or extra hours on them, in the coach's zone; the upcoming
 * overrides with a remove button; the bookings that lie inside time off (they stay booked until the
 * coach moves or cancels them); and the coach's own buffers and daily limit.
 */

type BookingInTimeOff = FunctionReturnType<typeof api.coachingAvailability.bookingsInTimeOff>[number];
type Kind = "time_off" | "extra_hours";

/** Days of overrides listed and marked on the calendar. */
const LISTED_DAYS = 180;

const KIND_LABEL: Record<Kind, string> = { time_off: "Time off", extra_hours: "Extra hours" };

function hoursText(startMinute: number, endMinute: number): string {
  return startMinute === 0 && endMinute === 24 * 60 ? "whole day" : `${minuteToTime(startMinute)}–${minuteToTime(endMinute)}`;
}

/**
 * @param coachId the coach whose overrides are shown (default: the viewer, a coach).
 * @param canEdit false for staff who may read but not change them (no calendar, no remove buttons).
 * @param coachName set when staff look at another coach (texts speak of that coach).
 */
export function DateOverridesPanel({
  timeZone,
  coachId,
  canEdit = true,
  coachName,
}: {
  timeZone: string;
  coachId?: Id<"users">;
  canEdit?: boolean;
  coachName?: string;
}) {
  const now = useCurrentMinute();
  const today = dayInZone(now, timeZone);
  const target = coachId === undefined ? {} : { coachId };
  const overrides = useQuery(api.coachingAvailability.overrides, { fromDate: today, days: LISTED_DAYS, ...target });
  const bookingsInside = useQuery(api.coachingAvailability.bookingsInTimeOff, { now, ...target });
  const addOverrides = useMutation(api.coachingAvailability.addOverrides);
  const removeOverride = useMutation(api.coachingAvailability.removeOverride);
  const [dates, setDates] = useState<string[]>([]);
  const [kind, setKind] = useState<Kind>("time_off");
  const [wholeDay, setWholeDay] = useState(true);
  const [from, setFrom] = useState("09:00");
  const [until, setUntil] = useState("17:00");
  const [note, setNote] = useState("");
  const { running: saving, error, setError, run } = useServerCall();
  const [justAffected, setJustAffected] = useState<BookingInTimeOff[]>([]);

  const byDate = new Map<string, Kind[]>();
  for (const override of overrides ?? []) byDate.set(override.date, [...(byDate.get(override.date) ?? []), override.kind]);

  const add = async () => {
    setError(null);
    const allDay = kind === "time_off" && wholeDay;
    const startMinute = allDay ? 0 : timeToMinute(from);
    const endMinute = allDay ? 24 * 60 : timeToMinute(until, { asEnd: true });
    if (dates.length === 0) return setError("Pick at least one date on the calendar.");
    if (startMinute === null || endMinute === null) return setError("Enter both times, e.g. 09:00 and 12:00.");
    if (endMinute <= startMinute) return setError("The end must be after the start.");
    await run(async () => {
      const result = await addOverrides({ dates, kind, startMinute, endMinute, timeZone, ...target, ...(note.trim() ? { note: note.trim() } : {}) });
      setJustAffected(result.bookingsInside);
      notifySuccess(`${KIND_LABEL[kind]} added on ${dates.length === 1 ? "1 date" : `${dates.length} dates`}.`);
      setDates([]);
      setNote("");
    });
  };

  return (
    <Stack gap="md" mt="xl">
      <Title order={2} size="h3">
        Date overrides
      </Title>
      <Text size="sm" c="dimmed">
        Days or hours off (a holiday, a sick day) and extra hours on single dates, in {timeZone.replace(/_/g, " ")}. Bookings inside new time
        off stay booked: move or cancel them from {coachName ? `${coachName}'s` : "your"} sessions.
      </Text>
      {canEdit ? (
        <Card withBorder padding="md" radius="md">
          <Group align="flex-start" gap="xl" wrap="wrap">
            <DatePicker
              type="multiple"
              value={dates}
              onChange={setDates}
              minDate={today}
              maxDate={addDaysToDate(today, LISTED_DAYS - 1)}
              aria-label="Dates of the override"
            previousLabel="Previous month"
            nextLabel="Next month"
              getDayProps={(date) => {
                const kinds = byDate.get(date);
                if (kinds === undefined) return {};
                return { style: { textDecoration: "underline", fontWeight: 700, color: kinds.includes("time_off") ? "var(--mantine-color-red-7)" : "var(--mantine-color-green-8)" } };
              }}
              getDayAriaLabel={(date) => {
                const kinds = byDate.get(date);
                const label = formatCalendarDay(date, { long: true });
                return kinds === undefined ? label : `${label}, ${[...new Set(kinds)].map((k) => KIND_LABEL[k].toLowerCase()).join(" and ")}`;
              }}
            />
            <Stack gap="sm" style={{ flex: "1 1 16rem" }}>
              <SegmentedControl
                aria-label="Kind of override"
                value={kind}
                onChange={(value) => setKind(value as Kind)}
                data={[
                  { value: "time_off", label: "Time off" },
                  { value: "extra_hours", label: "Extra hours" },
                ]}
              />
              {kind === "time_off" ? <Checkbox label="The whole day" checked={wholeDay} onChange={(event) => setWholeDay(event.currentTarget.checked)} /> : null}
              {kind === "extra_hours" || !wholeDay ? (
                <Group gap="xs" wrap="nowrap">
                  <TextInput type="time" step={300} label="From" value={from} onChange={(event) => setFrom(event.currentTarget.value)} />
                  <TextInput type="time" step={300} label="Until" value={until} onChange={(event) => setUntil(event.currentTarget.value)} />
                </Group>
            ) : null}
            <TextInput label="Note (optional)" placeholder="e.g. Holiday" value={note} onChange={(event) => setNote(event.currentTarget.value)} maxLength={200} />
            <Text size="sm">{dates.length === 0 ? "No dates picked yet." : `Picked: ${[...dates].sort().map((date) => formatCalendarDay(date)).join(", ")}`}</Text>
            <ErrorAlert error={error} />
            <Button onClick={() => void add()} loading={saving}>
              Add {KIND_LABEL[kind].toLowerCase()}
            </Button>
          </Stack>
        </Group>
      </Card>
      ) : null}

      {justAffected.length > 0 ? (
        <Alert color="yellow" role="alert" title="Bookings inside your new time off">
          These stay booked. Move or cancel each one so the student knows:
          <BookingList bookings={justAffected} mt={4} />
        </Alert>
      ) : null}

      <BookingsInTimeOff bookings={bookingsInside} coachName={coachName} />

      <section aria-label="Upcoming date overrides">
        <Title order={3} size="h4" mb="xs">
          Upcoming date overrides
        </Title>
        {overrides === undefined ? (
          <LoadingState label="Loading date overrides…" />
        ) : overrides.length === 0 ? (
          <Text size="sm" c="dimmed">
            No date overrides. The weekly hours apply on every date.
          </Text>
        ) : (
          <Stack gap={4}>
            {overrides.map((override) => {
              const label = `${KIND_LABEL[override.kind]} on ${formatCalendarDay(override.date, { long: true })}`;
              return (
                <Group key={override._id} gap="xs" wrap="nowrap">
                  <Text size="sm" style={{ flex: 1 }}>
                    {label}, {hoursText(override.startMinute, override.endMinute)}
                    {override.note ? ` · ${override.note}` : ""}
                  </Text>
                  {canEdit ? (
                    <CloseButton
                      aria-label={`Remove ${label}`}
                      onClick={() =>
                        void removeOverride({ overrideId: override._id, ...target }).then(
                          () => notifySuccess(`${label} removed.`),
                          (caught: unknown) => setError(errorMessage(caught)),
                        )
                      }
                    />
                  ) : null}
                </Group>
              );
            })}
          </Stack>
        )}
      </section>

      <CoachSettingsForm coachId={coachId} canEdit={canEdit} />
    </Stack>
  );
}

function BookingsInTimeOff({ bookings, coachName }: { bookings: BookingInTimeOff[] | undefined; coachName?: string }) {
  if (bookings === undefined || bookings.length === 0) return null;
  const whose = coachName ? `${coachName}'s` : "your";
  return (
    <section aria-label={`Bookings inside ${whose} time off`}>
      <Alert color="orange" variant="light" title={`${bookings.length === 1 ? "1 booking lies" : `${bookings.length} bookings lie`} inside ${whose} time off`}>
        <BookingList bookings={bookings} />
      </Alert>
    </section>
  );
}

/** Bookings that lie inside time off, one line each: the student and when ("Amira, Mon, 3 Mar 2025, 14:30 – 15:30"). */
function BookingList({ bookings, mt }: { bookings: BookingInTimeOff[]; mt?: number }) {
  return (
    <List size="sm" mt={mt}>
      {bookings.map((booking) => (
        <List.Item key={booking.sessionId}>
          {booking.studentName}, <DateTimeRange start={booking.startTime} end={booking.endTime} />
        </List.Item>
      ))}
    </List>
  );
}

/** The coach's buffers and daily limit (`coachingAvailability.settings` / `setSettings`). */
function CoachSettingsForm({ coachId, canEdit }: { coachId?: Id<"users">; canEdit: boolean }) {
  const settings = useQuery(api.coachingAvailability.settings, coachId === undefined ? {} : { coachId });
  if (settings === undefined) return <LoadingState label="Loading booking limits…" />;
  return <CoachSettingsFields key={JSON.stringify(settings)} initial={settings} coachId={coachId} canEdit={canEdit} />;
}

function CoachSettingsFields({
  initial,
  coachId,
  canEdit,
}: {
  initial: FunctionReturnType<typeof api.coachingAvailability.settings>;
  coachId?: Id<"users">;
  canEdit: boolean;
}) {
  const setSettings = useMutation(api.coachingAvailability.setSettings);
  const [before, setBefore] = useState<number | string>(initial.bufferBeforeMinutes);
  const [after, setAfter] = useState<number | string>(initial.bufferAfterMinutes);
  const [limit, setLimit] = useState<number | string>(initial.dailyLimit ?? "");
  const { running: saving, error, run } = useServerCall();
  const save = async () => {
    const saved = await run(() =>
      setSettings({
        bufferBeforeMinutes: Number(before),
        bufferAfterMinutes: Number(after),
        dailyLimit: limit === "" ? null : Number(limit),
        ...(coachId === undefined ? {} : { coachId }),
      }),
    );
    if (saved) notifySuccess("Booking limits saved.");
  };
  return (
    <section aria-label={coachId === undefined ? "Your booking limits" : "Booking limits"}>
      <Title order={3} size="h4" mb="xs">
        {coachId === undefined ? "Your booking limits" : "Booking limits"}
      </Title>
      <Card withBorder padding="md" radius="md">
        <Stack gap="sm">
          <Group gap="sm" wrap="wrap" align="flex-end">
            <NumberInput label="Free minutes before each session" min={0} max={240} allowDecimal={false} value={before} onChange={setBefore} readOnly={!canEdit} w={220} />
            <NumberInput label="Free minutes after each session" min={0} max={240} allowDecimal={false} value={after} onChange={setAfter} readOnly={!canEdit} w={220} />
            <NumberInput
              label="Most sessions a day"
              description="Empty: no limit"
              min={1}
              max={48}
              allowDecimal={false}
              value={limit}
              onChange={setLimit}
              readOnly={!canEdit}
              w={220}
            />
          </Group>
          <ErrorAlert error={error} />
          {canEdit ? (
            <Group>
              <Button variant="light" onClick={() => void save()} loading={saving}>
                Save booking limits
              </Button>
            </Group>
          ) : null}
        </Stack>
      </Card>
    </section>
  );
}
