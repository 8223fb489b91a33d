import { Alert, Button, Card, Group, Modal, Select, SimpleGrid, Stack, Text, Textarea, Title } from "@mantine/core";
import { useMutation, useQuery } from "convex/react";
import { useState } from "react";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { DateTimeRange } from "../../lib/components/DateTime";
import { DayInput } from "../../lib/components/DayInput";
import { EmptyState, LoadingState } from "../../lib/components/states";
import { errorCode, errorMessage } from "../../lib/errors";
import { notifySuccess } from "../../lib/notify";
import { dayInZone, formatDateTime, formatTime } from "../../lib/time";
import { useViewer } from "../../lib/useViewer";
import { useCurrentMinute } from "../../lib/useCurrentMinute";
import {
  addDaysToDate,
  daysFrom,
  formatCalendarDay,
  groupSlotsByDay,
  isCalendarDate,
  type CoachingProductView,
  type FreeSlot,
} from "./coachingText";
import { allowanceText, bookingWindowRule, cancellationRule, type Allowance } from "./policyText";
import { DialogButtons } from "../../lib/components/DialogButtons";

/**
 * "Book a session" (SPEC §6): the student picks one of their coaching products (the server lists
 * only those they hold access to), optionally a coach, a week, a day, then a free time. Times are in
 * the student's zone; the list is a live query, so a time someone else books disappears on its own.
 * The booking mutation re-checks everything; its refusals (slot just taken, outside availability)
 * are shown in the confirmation dialog with what to do next.
 */

/** Days shown at once. */
const RANGE_DAYS = 7;
const ANY_COACH = "any";

export function BookingPanel() {
  const products = useQuery(api.coaching.listProducts, {});
  if (products === undefined) return <LoadingState label="Loading your coaching products…" />;
  const bookable = products.filter((product) => product.active);
  if (bookable.length === 0) {
    return (
      <EmptyState
        title="You don't have a coaching product yet"
        description="When the team gives you a coaching product, you can book 1:1 sessions with its coaches here."
      />
    );
  }
  return <BookingForm products={bookable} />;
}

function BookingForm({ products }: { products: CoachingProductView[] }) {
  const viewer = useViewer();
  const timeZone = viewer.timeZone;
  const [today] = useState(() => dayInZone(Date.now(), timeZone));
  const [productId, setProductId] = useState<Id<"coachingProducts">>(products[0]._id);
  const [coachChoice, setCoachChoice] = useState<string>(ANY_COACH);
  const [fromDate, setFromDate] = useState(today);
  const [chosenDay, setChosenDay] = useState<string | null>(null);
  const [pending, setPending] = useState<FreeSlot | null>(null);

  const product = products.find((candidate) => candidate._id === productId) ?? products[0];
  const coach = product.coaches.find((candidate) => candidate._id === coachChoice);
  const slots = useQuery(api.coaching.listSlots, {
    coachingProductId: product._id,
    fromDate,
    days: RANGE_DAYS,
    timeZone,
    ...(coach ? { coachId: coach._id } : {}),
    now: useCurrentMinute(),
  });

  const byDay = slots === undefined ? new Map<string, FreeSlot[]>() : groupSlotsByDay(slots.slots);
  const days = daysFrom(fromDate, RANGE_DAYS);
  const firstFreeDay = days.find((day) => (byDay.get(day)?.length ?? 0) > 0);
  const selectedDay = chosenDay !== null && days.includes(chosenDay) ? chosenDay : (firstFreeDay ?? days[0]);
  const daySlots = byDay.get(selectedDay) ?? [];
  const coachName = (coachId: Id<"users">) => product.coaches.find((candidate) => candidate._id === coachId)?.name ?? "your coach";
  const allowance = useQuery(api.coaching.myAllowance, { coachingProductId: product._id });

  const moveTo = (date: string) => {
    const next = date < today ? today : date;
    setFromDate(next);
    setChosenDay(null);
  };

  return (
    <Stack gap="md">
      <Card withBorder padding="md" radius="md">
        <Stack gap="sm">
          {products.length > 1 ? (
            <Select
              label="Coaching product"
              data={products.map((candidate) => ({ value: candidate._id, label: candidate.title }))}
              value={product._id}
              onChange={(value) => {
                if (value === null) return;
                setProductId(value as Id<"coachingProducts">);
                setCoachChoice(ANY_COACH);
                setChosenDay(null);
              }}
              allowDeselect={false}
            />
          ) : null}
          <div>
            <Text fw={600}>{product.title}</Text>
            <Text size="sm" c="dimmed">
              {product.durationMinutes}-minute 1:1 sessions in a private Discord voice channel.
            </Text>
            {product.description ? (
              <Text size="sm" mt={4}>
                {product.description}
              </Text>
            ) : null}
            <Text size="sm" mt={4} data-testid="booking-rules">
              {bookingWindowRule(product.policy)} {cancellationRule(product.policy)}
            </Text>
            {allowance !== undefined ? (
              <Text size="sm" fw={500} mt={4} data-testid="allowance">
                {allowanceText(allowance)}
              </Text>
            ) : null}
          </div>
          {allowance?.remaining === 0 ? (
            <Alert color="yellow" role="alert" title="No sessions left">
              You have used every session of this product. Ask the team for more sessions to book again.
            </Alert>
          ) : null}
          <Group align="flex-end" gap="sm" wrap="wrap">
            {product.coaches.length > 1 ? (
              <Select
                label="Coach"
                data={[
                  { value: ANY_COACH, label: "Any coach" },
                  ...product.coaches.map((candidate) => ({ value: candidate._id, label: candidate.name })),
                ]}
                value={coach ? coach._id : ANY_COACH}
                onChange={(value) => setCoachChoice(value ?? ANY_COACH)}
                allowDeselect={false}
                w={{ base: "100%", xs: 240 }}
              />
            ) : product.coaches.length === 1 ? (
              <Text size="sm">
                Coach: <strong>{product.coaches[0].name}</strong>
              </Text>
            ) : null}
            <DayInput
              label="Show free times from"
              value={fromDate}
              min={today}
              onChange={(day) => {
                if (isCalendarDate(day)) moveTo(day);
              }}
              w={{ base: "100%", xs: 200 }}
            />
            <Group gap="xs" grow style={{ flex: "1 1 16rem" }}>
              <Button variant="default" onClick={() => moveTo(addDaysToDate(fromDate, -RANGE_DAYS))} disabled={fromDate <= today}>
                Previous week
              </Button>
              <Button variant="default" onClick={() => moveTo(addDaysToDate(fromDate, RANGE_DAYS))}>
                Next week
              </Button>
            </Group>
          </Group>
          <Text size="xs" c="dimmed">
            Times are shown in your time zone ({timeZone}).
          </Text>
        </Stack>
      </Card>

      {product.coaches.length === 0 ? (
        <EmptyState title="No coaches yet" description="This coaching product has no coach at the moment. Please check back later." />
      ) : slots === undefined ? (
        <LoadingState label="Finding free times…" />
      ) : (
        <Stack gap="md">
          {/* A group of toggle buttons, not site navigation: no nav landmark. */}
          <div role="group" aria-label="Days">
            <SimpleGrid cols={{ base: 2, xs: 4, sm: 7 }} spacing="xs">
              {days.map((day) => {
                const count = byDay.get(day)?.length ?? 0;
                const selected = day === selectedDay;
                return (
                  <Button
                    key={day}
                    variant={selected ? "filled" : "default"}
                    aria-pressed={selected}
                    aria-label={`${formatCalendarDay(day)}, ${count === 0 ? "no free times" : `${count} free`}`}
                    title={formatCalendarDay(day, { long: true })}
                    onClick={() => setChosenDay(day)}
                    h="auto"
                    py={6}
                    styles={{ label: { flexDirection: "column", whiteSpace: "normal" } }}
                  >
                    <span>{formatCalendarDay(day)}</span>
                    <Text span size="xs" c={selected ? undefined : "dimmed"}>
                      {/* Zero free times may mean booked up or no hours that day: both read "No times". */}
                      {count === 0 ? "No times" : `${count} free`}
                    </Text>
                  </Button>
                );
              })}
            </SimpleGrid>
          </div>
          <section aria-labelledby="free-times-heading">
            <Title order={3} size="h5" id="free-times-heading" mb="xs">
              Free times on {formatCalendarDay(selectedDay, { long: true })}
            </Title>
            {slots.slots.length === 0 ? (
              <EmptyState
                title="No free times this week"
                description={coach ? `${coach.name} has no free time in these days. Try another week or any coach.` : "Try the next week."}
                action={
                  <Button variant="light" onClick={() => moveTo(addDaysToDate(fromDate, RANGE_DAYS))}>
                    Show the next week
                  </Button>
                }
              />
            ) : daySlots.length === 0 ? (
              <Text size="sm" c="dimmed">
                No free times on this day. Pick another day above.
              </Text>
            ) : (
              <SimpleGrid cols={{ base: 2, xs: 3, sm: 4, md: 6 }} spacing="xs">
                {daySlots.map((slot) => {
                  const time = formatTime(slot.startTime, timeZone);
                  const name = coachName(slot.coachId);
                  return (
                    <Button
                      key={`${slot.coachId}-${slot.startTime}`}
                      variant="light"
                      size="lg"
                      h="auto"
                      mih={48}
                      py={6}
                      aria-label={`${time} with ${name}`}
                      onClick={() => setPending(slot)}
                      styles={{ label: { flexDirection: "column", whiteSpace: "normal" } }}
                    >
                      <span>{time}</span>
                      {coach === undefined && product.coaches.length > 1 ? (
                        <Text span size="xs">
                          {name}
                        </Text>
                      ) : null}
                    </Button>
                  );
                })}
              </SimpleGrid>
            )}
          </section>
        </Stack>
      )}

      {pending !== null ? (
        <ConfirmBookingModal
          product={product}
          allowance={allowance}
          slot={pending}
          stillFree={slots === undefined || slots.slots.some((slot) => slot.coachId === pending.coachId && slot.startTime === pending.startTime)}
          onClose={() => setPending(null)}
        />
      ) : null}
    </Stack>
  );
}

/**
 * The confirmation dialog: what is booked, optional notes for the coach, "Book session". A refusal
 * keeps the dialog open with the server's message; a time that stops being free meanwhile (someone
 * else booked it) is flagged before the student even tries.
 */
function ConfirmBookingModal({
  product,
  allowance,
  slot,
  stillFree,
  onClose,
}: {
  product: CoachingProductView;
  allowance: Allowance | undefined;
  slot: FreeSlot;
  stillFree: boolean;
  onClose: () => void;
}) {
  const viewer = useViewer();
  const book = useMutation(api.coaching.book);
  const [notes, setNotes] = useState("");
  const [booking, setBooking] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const coach = product.coaches.find((candidate) => candidate._id === slot.coachId);
  const coachName = coach?.name ?? "your coach";

  const submit = async () => {
    setBooking(true);
    setError(null);
    try {
      await book({
        coachingProductId: product._id,
        coachId: slot.coachId,
        startTime: slot.startTime,
        ...(notes.trim() ? { notes: notes.trim() } : {}),
      });
      notifySuccess(`Booked: ${formatDateTime(slot.startTime, viewer.timeZone)} with ${coachName}.`);
      onClose();
    } catch (caught) {
      setError(caught);
      setBooking(false);
    }
  };

  const code = error === null ? null : errorCode(error);
  const pickAnother = code === "CONFLICT" || code === "INVALID_ARGUMENT" || (!stillFree && !booking);

  return (
    <Modal opened onClose={() => (booking ? undefined : onClose())} title="Confirm your booking" centered>
      <Stack gap="sm">
        <div>
          <Text fw={600}>{product.title}</Text>
          <Text size="sm">with {coachName}</Text>
          <Text size="sm">
            <DateTimeRange start={slot.startTime} end={slot.endTime} otherZone={coach?.timeZone ?? undefined} />
          </Text>
          <Text size="xs" c="dimmed">
            {product.durationMinutes} minutes. A private Discord voice channel is prepared for you and your coach.
          </Text>
        </div>
        <Card withBorder padding="xs" radius="sm" bg="var(--mantine-color-blue-light)">
          <Text size="sm" fw={600}>
            Before you confirm
          </Text>
          <Text size="sm">{cancellationRule(product.policy)}</Text>
          {allowance !== undefined && allowance.remaining !== null ? (
            <Text size="sm" mt={4}>
              This booking uses 1 of your {allowance.remaining} remaining {allowance.remaining === 1 ? "session" : "sessions"}.
            </Text>
          ) : null}
        </Card>
        <Textarea
          label="Notes for your coach (optional)"
          description="What would you like to work on?"
          value={notes}
          onChange={(event) => setNotes(event.currentTarget.value)}
          maxLength={2000}
          autosize
          minRows={2}
        />
        {error !== null ? (
          <Alert color="red" role="alert" title="Not booked">
            {errorMessage(error)}
            {code === "CONFLICT" || code === "INVALID_ARGUMENT" ? " The list of free times is up to date; please pick another one." : null}
          </Alert>
        ) : !stillFree && !booking ? (
          <Alert color="yellow" role="alert" title="This time was just taken">
            Someone booked it a moment ago. Please pick another time.
          </Alert>
        ) : null}
        <DialogButtons
          cancelLabel={pickAnother ? "Pick another time" : "Back"}
          onCancel={onClose}
          confirmLabel="Book session"
          onConfirm={submit}
          running={booking}
          confirmDisabled={!stillFree && !booking}
        />
      </Stack>
    </Modal>
  );
}
