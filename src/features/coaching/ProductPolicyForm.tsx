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

const whole = (label: string, min: number, max: number) =>
  z
    .number({ message: `Enter ${label}.` })
    .int("Use a whole number.")
    .min(min, `At least ${min}.`)
    .max(max, `At most ${max}.`);

const schema = z
  .object({
    bufferBeforeMinutes: whole("the buffer before", 0, 240),
    bufferAfterMinutes: whole("the buffer after", 0, 240),
    minimumNoticeHours: whole("the minimum notice", 0, 720),
    bookingHorizonDays: whole("the booking horizon", 1, 365),
    cancellationWindowHours: whole("the cancellation window", 0, 720),
  })
  .refine((values) => values.minimumNoticeHours < values.bookingHorizonDays * 24, {
    message: "The minimum notice must be shorter than the booking horizon.",
    path: ["minimumNoticeHours"],
  });

type Values = Record<keyof z.infer<typeof schema>, number | string>;

const SERVER_FIELDS = {
  bufferBeforeMinutes: "bufferBeforeMinutes",
  bufferAfterMinutes: "bufferAfterMinutes",
  minimumNoticeHours: "minimumNoticeHours",
  bookingHorizonDays: "bookingHorizonDays",
  cancellationWindowHours: "cancellationWindowHours",
};

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
          <NumberInput label="Buffer before a session (minutes)" min={0} max={240} allowDecimal={false} {...form.getInputProps("bufferBeforeMinutes")} />
          <NumberInput label="Buffer after a session (minutes)" min={0} max={240} allowDecimal={false} {...form.getInputProps("bufferAfterMinutes")} />
          <NumberInput
            label="Minimum notice (hours)"
            description="No booking that starts sooner."
            min={0}
            max={720}
            allowDecimal={false}
            {...form.getInputProps("minimumNoticeHours")}
          />
          <NumberInput
            label="Booking horizon (days)"
            description="No booking further ahead."
            min={1}
            max={365}
            allowDecimal={false}
            {...form.getInputProps("bookingHorizonDays")}
          />
          <NumberInput
            label="Cancellation window (hours)"
            description="Students cancel or move a booking themselves until this long before it starts; later only the coach or staff, as a late cancellation."
            min={0}
            max={720}
            allowDecimal={false}
            {...form.getInputProps("cancellationWindowHours")}
          />
        </SimpleGrid>
        <FormFooter form={form} submitLabel="Save policy" onCancel={onDone} />
      </Stack>
    </form>
  );
}
