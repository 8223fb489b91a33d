import { Alert, Button, Modal, Select, SimpleGrid, Stack, Text } from "@mantine/core";
import { useMutation, useQuery } from "convex/react";
import { useState } from "react";
import { api } from "../../../convex/_generated/api";
import { DateTimeRange } from "../../lib/components/DateTime";
import { LoadingState } from "../../lib/components/states";
import { notifySuccess } from "../../lib/notify";
import { dayInZone, formatDateTime, formatTime } from "../../lib/time";
import { useCurrentMinute } from "../../lib/useCurrentMinute";
import { useViewer } from "../../lib/useViewer";
import { addDaysToDate, daysFrom, formatCalendarDay, type CoachingSessionView, type FreeSlot } from "./coachingText";
import { useServerCall } from "../../lib/useServerCall";
import { DialogButtons } from "../../lib/components/DialogButtons";

/**
 * "Move" of a booked coaching session (issue #15): a dialog with the same coach's free times on a
 * chosen day (in the viewer's zone) and "Move here". The server re-checks every rule and who may
 * move it (`coaching.reschedule`); the session keeps its identity, both people get one email with
 * the change and an updated calendar invite.
 */

/** Days offered to move to. */
const DAYS_OFFERED = 28;

export function RescheduleButton({ session, otherName }: { session: CoachingSessionView; otherName: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="subtle" onClick={() => setOpen(true)} aria-label={`Move the session with ${otherName}`}>
        Move
      </Button>
      {open ? <RescheduleModal session={session} otherName={otherName} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function RescheduleModal({ session, otherName, onClose }: { session: CoachingSessionView; otherName: string; onClose: () => void }) {
  const viewer = useViewer();
  const [today] = useState(() => dayInZone(Date.now(), viewer.timeZone));
  const [day, setDay] = useState(() => dayInZone(session.startTime, viewer.timeZone) < today ? today : dayInZone(session.startTime, viewer.timeZone));
  const [chosen, setChosen] = useState<FreeSlot | null>(null);
  const { running: moving, error, run } = useServerCall();
  const reschedule = useMutation(api.coaching.reschedule);
  const now = useCurrentMinute();
  const slots = useQuery(api.coaching.listSlots, {
    now,
    coachingProductId: session.coachingProductId,
    fromDate: day,
    days: 1,
    timeZone: viewer.timeZone,
    coachId: session.coach._id,
  });

  const move = async () => {
    if (chosen === null) return;
    if (!(await run(() => reschedule({ sessionId: session._id, startTime: chosen.startTime })))) return;
    notifySuccess(`Moved to ${formatDateTime(chosen.startTime, viewer.timeZone)}.`);
    onClose();
  };

  return (
    <Modal opened onClose={() => (moving ? undefined : onClose())} title="Move this session" centered>
      <Stack gap="sm">
        <Text size="sm">
          Now: <DateTimeRange start={session.startTime} end={session.endTime} /> with {otherName}. Both of you get an email and an updated calendar invite.
        </Text>
        <Select
          label="Day"
          data={daysFrom(today, DAYS_OFFERED).map((date) => ({ value: date, label: formatCalendarDay(date, { long: true }) }))}
          value={day}
          onChange={(value) => {
            if (value === null) return;
            setDay(value);
            setChosen(null);
          }}
          allowDeselect={false}
          maxDropdownHeight={240}
        />
        <section aria-label={`Free times on ${formatCalendarDay(day, { long: true })}`}>
          {slots === undefined ? (
            <LoadingState label="Loading free times…" />
          ) : slots.slots.length === 0 ? (
            <Text size="sm" c="dimmed">
              No free times on this day. Try {formatCalendarDay(addDaysToDate(day, 1))}.
            </Text>
          ) : (
            <SimpleGrid cols={{ base: 3, xs: 4 }} spacing="xs">
              {slots.slots.map((slot) => (
                <Button
                  key={slot.startTime}
                  size="xs"
                  variant={chosen?.startTime === slot.startTime ? "filled" : "default"}
                  aria-pressed={chosen?.startTime === slot.startTime}
                  onClick={() => setChosen(slot)}
                >
                  {formatTime(slot.startTime, viewer.timeZone)}
                </Button>
              ))}
            </SimpleGrid>
          )}
        </section>
        {error !== null ? (
          <Alert color="red" role="alert" title="Not moved">
            {error}
          </Alert>
        ) : null}
        <DialogButtons
          cancelLabel="Back"
          onCancel={onClose}
          confirmLabel={chosen === null ? "Pick a time" : `Move to ${formatTime(chosen.startTime, viewer.timeZone)}`}
          onConfirm={move}
          running={moving}
          confirmDisabled={chosen === null}
        />
      </Stack>
    </Modal>
  );
}
