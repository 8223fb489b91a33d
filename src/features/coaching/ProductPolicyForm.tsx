import { NumberInput, SimpleGrid, Stack, Text } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation } from "convex/react";
import { z } from "zod";
import { api } from "../../../convex/_generated/api";
import { FormFooter } from "../../lib/components/FormFooter";
import { submitWith, zodValidate } from "../../lib/forms";
import type { CoachingProductView } from "./coachingText";

/**
 * Staff "Booking policy" of a coaching product (issue #15, `coaching.manage`): buffers before and
 * after each session, minimum notice, booking horizon and the cancellation window, checked with the
 * server's bounds (`model/coaching/policy.ts`) and saved with `coaching.setPolicy`.
 */

/**
 * Each policy field once: its input's label and hint, how its messages name it, and the server's
 * bounds (whole numbers from `min` to `max`), from which the form's checks and inputs are made.
 */
const FIELDS = [
  { name: "bufferBeforeMinutes", label: "Buffer before a session (minutes)", what: "the buffer before", min: 0, max: 240 },
  { name: "bufferAfterMinutes", label: "Buffer after a session (minutes)", what: "the buffer after", min: 0, max: 240 },
  { name: "minimumNoticeHours", label: "Minimum notice (hours)", description: "No booking that starts sooner.", what: "the minimum notice", min: 0, max: 720 },
  { name: "bookingHorizonDays", label: "Booking horizon (days)", description: "No booking further ahead.", what: "the booking horizon", min: 1, max: 365 },
  {
    name: "cancellationWindowHours",
    label: "Cancellation window (hours)",
    description: "Students cancel or move a booking themselves until this long before it starts; later only the coach or staff, as a late cancellation.",
    what: "the cancellation window",
    min: 0,
    max: 720,
  },
] as const satisfies readonly { name: string; label: string; description?: string; what: string; min: number; max: number }[];

type PolicyField = (typeof FIELDS)[number]["name"];

const whole = ({ what, min, max }: { what: string; min: number; max: number }) =>
  z
    .number({ message: `Enter ${what}.` })
    .int("Use a whole number.")
    .min(min, `At least ${min}.`)
    .max(max, `At most ${max}.`);

const schema = z
  .object(Object.fromEntries(FIELDS.map((field) => [field.name, whole(field)])) as Record<PolicyField, ReturnType<typeof whole>>)
  .refine((values) => values.minimumNoticeHours < values.bookingHorizonDays * 24, {
    message: "The minimum notice must be shorter than the booking horizon.",
    path: ["minimumNoticeHours"],
  });

type Values = Record<PolicyField, number | string>;

/** The server names a failing field by its argument name, which is the form's path too. */
const SERVER_FIELDS = Object.fromEntries(FIELDS.map((field) => [field.name, field.name]));

export function ProductPolicyForm({ product, onDone }: { product: CoachingProductView; onDone: () => void }) {
  const setPolicy = useMutation(api.coaching.setPolicy);
  const form = useForm<Values>({ initialValues: { ...product.policy }, validate: zodValidate(schema) });
  const submit = form.onSubmit(async (values) => {
    const policy = schema.parse(values);
    if (await submitWith(form, () => setPolicy({ coachingProductId: product._id, policy }), { fields: SERVER_FIELDS, success: "Booking policy saved." })) {
      onDone();
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Applies to new bookings, moves and cancellations of “{product.title}”. Coaches may ask for longer buffers of their own; the longer one applies.
        </Text>
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          {FIELDS.map((field) => (
            <NumberInput
              key={field.name}
              label={field.label}
              description={"description" in field ? field.description : undefined}
              min={field.min}
              max={field.max}
              allowDecimal={false}
              {...form.getInputProps(field.name)}
            />
          ))}
        </SimpleGrid>
        <FormFooter form={form} submitLabel="Save policy" onCancel={onDone} />
      </Stack>
    </form>
  );
}
