import { Button, Select, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { useMutation, useQuery } from "convex/react";
import { useNavigate } from "react-router";
import { z } from "zod";
import { api } from "../../../convex/_generated/api";
import { DateTime } from "../../lib/components/DateTime";
import { FormFooter } from "../../lib/components/FormFooter";
import { PageHeader } from "../../lib/components/PageHeader";
import { applyServerError, zodValidate } from "../../lib/forms";
import { notifySuccess } from "../../lib/notify";
import { CodedSessionStatusBadge } from "./CodedSessionStatusBadge";
import { formatJoinCode } from "./joinCode";
import { DataTable } from "../../lib/components/DataTable";
import { TitleCell } from "../../lib/components/TitleCell";
import { FormModal } from "../../lib/components/FormModal";

/** How long the code keeps working, chosen on creation ("none" = until closed), in minutes. */
const LENGTH_OPTIONS = [
  { value: "none", label: "Until I close it" },
  { value: "30", label: "30 minutes" },
  { value: "60", label: "1 hour" },
  { value: "90", label: "1½ hours" },
  { value: "120", label: "2 hours" },
  { value: "180", label: "3 hours" },
];

/** Epoch ms `lengthMinutes` from now, or undefined for "none" (called when the form is submitted). */
function endTimeFor(lengthMinutes: string): number | undefined {
  return lengthMinutes === "none" ? undefined : Date.now() + Number(lengthMinutes) * 60_000;
}

export const createCodedSessionSchema = z.object({
  title: z.string().trim().min(1, "Title is required.").max(200, "Title must be at most 200 characters."),
  description: z.string().trim().max(5000, "Description must be at most 5000 characters."),
  lengthMinutes: z.string(),
  meetingUrl: z
    .string()
    .trim()
    .refine((value) => value === "" || /^https?:\/\/\S+$/i.test(value), "Meeting link must be a full link starting with https://."),
  instructions: z.string().trim().max(2000, "Instructions must be at most 2000 characters."),
});

/**
 * Lecturer "Coded sessions" (`/teach/coded-sessions`): the sessions they created, with their codes,
 * and "Create session", which opens the new session's page with the big code.
 */
export function TeachCodedSessionsPage() {
  const sessions = useQuery(api.codedSessions.listMine, {});
  const [creating, { open, close }] = useDisclosure(false);
  return (
    <>
      <PageHeader
        title="Coded sessions"
        description="Live classes students join with a code. Create one, show the code, and watch participants arrive."
        actions={<Button onClick={open}>Create session</Button>}
      />
      <DataTable
        rows={sessions}
        label="Your coded sessions"
        columns={[
          {
            header: "Session",
            cell: (session) => <TitleCell title={session.title} to={`/coded-sessions/${session._id}`} />,
          },
          {
            header: "Code",
            cell: (session) => <Text ff="monospace">{session.status === "open" ? formatJoinCode(session.code) : "—"}</Text>,
          },
          { header: "Status", cell: (session) => <CodedSessionStatusBadge session={session} /> },
          { header: "Created", cell: (session) => <DateTime value={session.createdAt} /> },
        ]}
        minWidth={560}
        highlightOnHover
        loadingLabel="Loading your sessions…"
        empty={{
          title: "No sessions yet",
          description: "Create a session to get a join code for your class.",
          action: <Button onClick={open}>Create session</Button>,
        }}
      />
      <FormModal opened={creating} onClose={close} title="Create session">
        <CreateCodedSessionForm onCancel={close} />
      </FormModal>
    </>
  );
}

function CreateCodedSessionForm({ onCancel }: { onCancel: () => void }) {
  const create = useMutation(api.codedSessions.create);
  const navigate = useNavigate();
  const form = useForm({
    initialValues: { title: "", description: "", lengthMinutes: "none", meetingUrl: "", instructions: "" },
    validate: zodValidate(createCodedSessionSchema),
  });
  const submit = form.onSubmit(async (values) => {
    const clean = createCodedSessionSchema.parse(values);
    const endsAt = endTimeFor(clean.lengthMinutes);
    try {
      const { sessionId } = await create({
        title: clean.title,
        description: clean.description,
        ...(endsAt !== undefined ? { endsAt } : {}),
        ...(clean.meetingUrl !== "" ? { meetingUrl: clean.meetingUrl } : {}),
        ...(clean.instructions !== "" ? { instructions: clean.instructions } : {}),
      });
      notifySuccess("Session created. Show the code to your class.");
      void navigate(`/coded-sessions/${sessionId}`);
    } catch (error) {
      applyServerError(form, error, {
        Title: "title",
        Description: "description",
        endsAt: "lengthMinutes",
        "Meeting link": "meetingUrl",
        Instructions: "instructions",
      });
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput label="Title" withAsterisk data-autofocus {...form.getInputProps("title")} />
        <Textarea label="Description" autosize minRows={2} {...form.getInputProps("description")} />
        <Select
          label="Code works for"
          data={LENGTH_OPTIONS}
          allowDeselect={false}
          {...form.getInputProps("lengthMinutes")}
        />
        <TextInput
          label="Meeting link"
          description="Optional: the video call or classroom link participants open."
          placeholder="https://"
          {...form.getInputProps("meetingUrl")}
        />
        <Textarea
          label="Instructions for participants"
          description="Optional: room, dial-in, what to prepare."
          autosize
          minRows={2}
          {...form.getInputProps("instructions")}
        />
        <FormFooter form={form} submitLabel="Create session" onCancel={onCancel} />
      </Stack>
    </form>
  );
}
