import { DayInput } from "../../lib/components/DayInput";
import {
  Alert,
  Checkbox,
  Group,
  List,
  NumberInput,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useQuery } from "convex/react";
import { useMemo, useState } from "react";
import { z } from "zod";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import {
  instantOf,
  localDateTime,
  MAX_OCCURRENCES,
  occurrenceStarts,
  recurrenceChoices,
} from "../../../convex/model/successSessions/recurrence";
import type { RecurrenceFrequency } from "../../../convex/tables/successSessions";
import { FormFooter } from "../../lib/components/FormFooter";
import { applyServerError, zodValidate } from "../../lib/forms";
import { notifySuccess } from "../../lib/notify";
import { allTimeZones, formatRange } from "../../lib/time";
import { useViewer } from "../../lib/useViewer";
import { clashesOf, describeClash, type Clash, type SessionView } from "./sessionText";
import { FormModal, type FormModalProps } from "../../lib/components/FormModal";

/**
 * The staff dialog that schedules a success session (optionally a recurring series) or edits one
 * ("this occurrence" or "this and following" for series). Course → audience lists only that
 * course's batches (active ones; archived on request) plus "Unbatched students"; the mentor comes
 * from the mentor role holders. Times are typed as a local date and time in the session's zone.
 * When the mentor is double-booked the server's list of clashes is shown, one line per clash.
 */

const UNBATCHED = "unbatched";
const NO_REPEAT = "none";

const schema = z
  .object({
    title: z.string().trim().min(1, "Title is required.").max(200, "Title must be at most 200 characters."),
    description: z.string().max(5000, "Description must be at most 5000 characters."),
    courseId: z.string().min(1, "Choose a course."),
    audience: z.string().min(1, "Choose a batch or “Unbatched students”."),
    mentorId: z.string().min(1, "Choose a mentor."),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Choose a date."),
    time: z.string().regex(/^\d{2}:\d{2}$/, "Choose a start time."),
    durationMinutes: z.number({ message: "Enter the length in minutes." }).int().min(5, "At least 5 minutes.").max(720, "At most 12 hours."),
    timeZone: z.string().min(1, "Choose a time zone."),
    meetingUrl: z.string().trim().regex(/^https?:\/\/\S+$/i, "Enter the full meeting link, starting with https://."),
    zoomMeetingId: z.string().max(50),
    zoomPasscode: z.string().max(50),
    recordingUrl: z
      .string()
      .trim()
      .regex(/^(https?:\/\/\S+)?$/i, "Enter the full recording link, starting with https://, or leave it empty."),
    repeat: z.string(),
    occurrences: z.number().int(),
    scope: z.enum(["this", "following"]),
  })
  .refine((values) => values.repeat === NO_REPEAT || (values.occurrences >= 2 && values.occurrences <= MAX_OCCURRENCES), {
    message: `A series has 2 to ${MAX_OCCURRENCES} occurrences.`,
    path: ["occurrences"],
  });

type Values = z.input<typeof schema>;

/** Server field labels (`details.field`) → form fields. */
const SERVER_FIELDS = {
  Title: "title",
  Description: "description",
  "Meeting link": "meetingUrl",
  "Zoom meeting id": "zoomMeetingId",
  "Zoom passcode": "zoomPasscode",
  "Recording link": "recordingUrl",
  "Time zone": "timeZone",
  batchId: "audience",
  mentorId: "mentorId",
  startsAt: "time",
  endsAt: "durationMinutes",
  occurrences: "occurrences",
  recurrence: "repeat",
};

const pad = (value: number) => String(value).padStart(2, "0");

function initialValues(session: SessionView | undefined, viewerZone: string): Values {
  if (!session) {
    return {
      title: "",
      description: "",
      courseId: "",
      audience: "",
      mentorId: "",
      date: "",
      time: "18:00",
      durationMinutes: 60,
      timeZone: viewerZone,
      meetingUrl: "",
      zoomMeetingId: "",
      zoomPasscode: "",
      recordingUrl: "",
      repeat: NO_REPEAT,
      occurrences: 8,
      scope: "this",
    };
  }
  const local = localDateTime(session.startsAt, session.timeZone);
  return {
    title: session.title,
    description: session.description,
    courseId: session.courseId,
    audience: session.batchId ?? UNBATCHED,
    mentorId: session.mentorId,
    date: `${local.year}-${pad(local.month + 1)}-${pad(local.day)}`,
    time: `${pad(local.hours)}:${pad(local.minutes)}`,
    durationMinutes: Math.round((session.endsAt - session.startsAt) / 60_000),
    timeZone: session.timeZone,
    meetingUrl: session.meetingUrl,
    zoomMeetingId: session.zoomMeetingId ?? "",
    zoomPasscode: session.zoomPasscode ?? "",
    recordingUrl: session.recordingUrl ?? "",
    repeat: NO_REPEAT,
    occurrences: 8,
    scope: "this",
  };
}

/** The start instant typed in the form, or null while the date or time is incomplete. */
function startOf(values: Pick<Values, "date" | "time" | "timeZone">): number | null {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(values.date);
  const time = /^(\d{2}):(\d{2})$/.exec(values.time);
  if (!date || !time || values.timeZone === "") return null;
  try {
    return instantOf(
      { year: Number(date[1]), month: Number(date[2]) - 1, day: Number(date[3]), hours: Number(time[1]), minutes: Number(time[2]) },
      values.timeZone,
    );
  } catch {
    return null;
  }
}

/**
 * "Schedule session" / "Edit session" dialog.
 * @param session given → edit that session; absent → schedule a new one.
 */
export function SessionFormModal({ session, ...modal }: FormModalProps & { session?: SessionView }) {
  return (
    <FormModal {...modal} title={session ? "Edit session" : "Schedule session"} size="lg">
      <SessionForm session={session} onDone={modal.onClose} />
    </FormModal>
  );
}

function SessionForm({ session, onDone }: { session?: SessionView; onDone: () => void }) {
  const viewer = useViewer();
  const create = useMutation(api.successSessions.create);
  const update = useMutation(api.successSessions.update);
  const initial = useMemo(() => initialValues(session, viewer.timeZone), [session, viewer.timeZone]);
  const form = useForm<Values>({ initialValues: initial, validate: zodValidate(schema) });
  const [showArchived, setShowArchived] = useState(false);
  const [clashes, setClashes] = useState<{ list: Clash[]; occurrences: number } | null>(null);

  const courses = useQuery(api.catalog.listCourses, {});
  const courseId = form.values.courseId === "" ? null : (form.values.courseId as Id<"courses">);
  const batches = useQuery(api.catalog.listBatches, courseId ? { courseId, includeArchived: showArchived } : "skip");
  const mentors = useQuery(api.users.listByRole, { role: "mentor" });
  const zones = useMemo(() => allTimeZones([viewer.timeZone, initial.timeZone]), [viewer.timeZone, initial.timeZone]);

  const startsAt = startOf(form.values);
  const choices = startsAt === null ? [] : recurrenceChoices(startsAt, form.values.timeZone);
  const repeatOptions = [{ value: NO_REPEAT, label: "Does not repeat" }, ...choices.map((choice) => ({ value: choice.frequency, label: choice.label }))];
  const repeating = !session && form.values.repeat !== NO_REPEAT;
  const preview = useMemo(() => {
    if (!repeating || startsAt === null) return null;
    try {
      return occurrenceStarts(startsAt, form.values.timeZone, form.values.repeat as RecurrenceFrequency, form.values.occurrences);
    } catch {
      return null;
    }
  }, [repeating, startsAt, form.values.timeZone, form.values.repeat, form.values.occurrences]);

  const courseOptions = (courses ?? []).map((course) => ({ value: course._id, label: course.title }));
  if (session && !courseOptions.some((option) => option.value === session.courseId)) {
    courseOptions.push({ value: session.courseId, label: session.courseTitle });
  }
  const audienceOptions = [
    ...(batches ?? []).map((batch) => ({ value: batch._id, label: batch.status === "archived" ? `${batch.name} (archived)` : batch.name })),
    { value: UNBATCHED, label: "Unbatched students" },
  ];
  if (session?.batchId && form.values.courseId === session.courseId && !audienceOptions.some((option) => option.value === session.batchId)) {
    audienceOptions.unshift({ value: session.batchId, label: session.batchName ?? "Batch" });
  }
  const mentorOptions = (mentors ?? []).map((mentor) => ({ value: mentor._id, label: mentor.name }));
  if (session && !mentorOptions.some((option) => option.value === session.mentorId)) {
    mentorOptions.push({ value: session.mentorId, label: session.mentorName });
  }

  const submit = form.onSubmit(async (values) => {
    setClashes(null);
    const start = startOf(values);
    if (start === null) {
      form.setFieldError("date", "Choose a date and a start time.");
      return;
    }
    const end = start + values.durationMinutes * 60_000;
    const batchId = values.audience === UNBATCHED ? null : (values.audience as Id<"batches">);
    try {
      if (!session) {
        const recurrence =
          values.repeat === NO_REPEAT ? undefined : { frequency: values.repeat as RecurrenceFrequency, occurrences: values.occurrences };
        const { sessionIds } = await create({
          title: values.title,
          description: values.description,
          courseId: values.courseId as Id<"courses">,
          batchId,
          mentorId: values.mentorId as Id<"users">,
          startsAt: start,
          endsAt: end,
          timeZone: values.timeZone,
          meetingUrl: values.meetingUrl,
          zoomMeetingId: values.zoomMeetingId,
          zoomPasscode: values.zoomPasscode,
          recordingUrl: values.recordingUrl,
          recurrence,
        });
        notifySuccess(sessionIds.length > 1 ? `${sessionIds.length} sessions scheduled.` : "Session scheduled.");
      } else {
        // Only what changed is sent, so "this and following" copies only those fields.
        const changes: Parameters<typeof update>[0] = { sessionId: session._id, scope: values.scope };
        for (const key of ["title", "description", "meetingUrl", "zoomMeetingId", "zoomPasscode", "recordingUrl"] as const) {
          if (values[key].trim() !== initial[key].trim()) changes[key] = values[key];
        }
        if (values.courseId !== initial.courseId) changes.courseId = values.courseId as Id<"courses">;
        if (values.audience !== initial.audience || values.courseId !== initial.courseId) changes.batchId = batchId;
        if (values.mentorId !== initial.mentorId) changes.mentorId = values.mentorId as Id<"users">;
        if (values.timeZone !== initial.timeZone) changes.timeZone = values.timeZone;
        if (start !== session.startsAt || values.timeZone !== initial.timeZone) changes.startsAt = start;
        if (end !== session.endsAt) changes.endsAt = end;
        const changed = await update(changes);
        notifySuccess(changed.length > 1 ? `${changed.length} sessions updated.` : "Session updated.");
      }
      onDone();
    } catch (error) {
      const list = clashesOf(error);
      if (list.length > 0) setClashes({ list, occurrences: repeating ? values.occurrences : 1 });
      else applyServerError(form, error, SERVER_FIELDS);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput label="Title" withAsterisk data-autofocus {...form.getInputProps("title")} />
        <Textarea label="Description" autosize minRows={2} {...form.getInputProps("description")} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Select
            label="Course"
            withAsterisk
            allowDeselect={false}
            searchable
            placeholder={courses === undefined ? "Loading courses…" : "Choose a course"}
            data={courseOptions}
            {...form.getInputProps("courseId")}
            onChange={(value) => {
              form.setFieldValue("courseId", value ?? "");
              form.setFieldValue("audience", "");
            }}
          />
          <Select
            label="Audience"
            withAsterisk
            allowDeselect={false}
            placeholder={courseId === null ? "Choose a course first" : "Choose a batch"}
            disabled={courseId === null}
            data={audienceOptions}
            {...form.getInputProps("audience")}
          />
        </SimpleGrid>
        <Checkbox
          label="Show archived batches"
          checked={showArchived}
          disabled={courseId === null}
          onChange={(event) => setShowArchived(event.currentTarget.checked)}
        />
        <Select
          label="Mentor"
          withAsterisk
          allowDeselect={false}
          searchable
          placeholder={mentors === undefined ? "Loading mentors…" : "Choose a mentor"}
          nothingFoundMessage="No mentor with that name"
          data={mentorOptions}
          {...form.getInputProps("mentorId")}
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <DayInput label="Date" withAsterisk {...form.getInputProps("date")} />
          <TextInput label="Start time" type="time" withAsterisk {...form.getInputProps("time")} />
          <NumberInput label="Length (minutes)" min={5} max={720} step={15} withAsterisk {...form.getInputProps("durationMinutes")} />
        </SimpleGrid>
        <Select label="Time zone" withAsterisk searchable allowDeselect={false} limit={50} data={zones} {...form.getInputProps("timeZone")} />
        {startsAt !== null && form.values.timeZone !== viewer.timeZone ? (
          <Text size="xs" c="dimmed">
            In your time zone ({viewer.timeZone}): {formatRange(startsAt, startsAt + form.values.durationMinutes * 60_000, viewer.timeZone)}
          </Text>
        ) : null}
        <TextInput label="Meeting link" withAsterisk placeholder="https://zoom.us/j/…" {...form.getInputProps("meetingUrl")} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label="Zoom meeting id" {...form.getInputProps("zoomMeetingId")} />
          <TextInput label="Zoom passcode" {...form.getInputProps("zoomPasscode")} />
        </SimpleGrid>
        <TextInput label="Recording link" placeholder="Add it after the session" {...form.getInputProps("recordingUrl")} />
        {!session ? (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Select
              label="Repeat"
              data={repeatOptions}
              allowDeselect={false}
              {...form.getInputProps("repeat")}
              onChange={(value) => form.setFieldValue("repeat", value ?? NO_REPEAT)}
            />
            {repeating ? (
              <NumberInput label="Occurrences" min={2} max={MAX_OCCURRENCES} withAsterisk {...form.getInputProps("occurrences")} />
            ) : null}
          </SimpleGrid>
        ) : null}
        {preview ? (
          <Text size="xs" c="dimmed">
            {preview.length} sessions, from {formatRange(preview[0], preview[0] + form.values.durationMinutes * 60_000, viewer.timeZone)} to{" "}
            {formatRange(preview[preview.length - 1], preview[preview.length - 1] + form.values.durationMinutes * 60_000, viewer.timeZone)} (your
            time zone). The local start time in {form.values.timeZone} stays the same across daylight-saving changes.
          </Text>
        ) : null}
        {session?.seriesId ? (
          <Radio.Group label="Apply changes to" {...form.getInputProps("scope")}>
            <Group mt={4}>
              <Radio value="this" label="This occurrence" />
              <Radio value="following" label="This and following occurrences" />
            </Group>
          </Radio.Group>
        ) : null}
        {clashes ? (
          <Alert color="red" role="alert" title="The mentor is already booked" variant="light">
            <Text size="sm" mb={4}>
              Nothing was saved. Pick another time or mentor for these:
            </Text>
            <List size="sm" spacing={2}>
              {clashes.list.map((clash) => (
                <List.Item key={`${clash.occurrence}-${clash.sessionId}`}>{describeClash(clash, viewer.timeZone, clashes.occurrences)}</List.Item>
              ))}
            </List>
          </Alert>
        ) : null}
        <FormFooter form={form} submitLabel={session ? "Save" : "Schedule"} onCancel={onDone} />
      </Stack>
    </form>
  );
}
