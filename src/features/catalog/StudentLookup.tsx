import { Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { useQuery } from "convex/react";
import { useState, type ReactNode } from "react";
import { z } from "zod";
import { api } from "../../../convex/_generated/api";
import { ROLE_LABELS } from "../../lib/access";
import { notifySuccess } from "../../lib/notify";
import type { CurrentUser } from "../../lib/useViewer";
import { useServerCall } from "../../lib/useServerCall";
import { DialogButtons } from "../../lib/components/DialogButtons";
import { SubmitForm } from "../../lib/components/SubmitForm";
import { ErrorText } from "../../lib/components/ErrorText";

const emailSchema = z.email("Enter an email address such as name@example.com.");

/**
 * Finds a student by exact email (`api.users.findByEmail`, staff only). Returns the lookup field,
 * which shows who was found or why nobody can be used (unknown email, no student role,
 * deactivated), and the usable student, both from the same render, so a form's submit button is
 * enabled in the same frame as the "Found …" message appears.
 * @returns `{ field, student }`: the element to place in a form and the found student or null.
 */
function useStudentLookup(): { field: ReactNode; student: CurrentUser | null } {
  const [email, setEmail] = useState("");
  const [lookup, setLookup] = useState<string | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const found = useQuery(api.users.findByEmail, lookup === null ? "skip" : { email: lookup });
  const usable = lookup !== null && found !== undefined && found !== null && found.active && found.roles.includes("student");

  const find = () => {
    const parsed = emailSchema.safeParse(email.trim());
    if (!parsed.success) {
      setInputError(parsed.error.issues[0]?.message ?? "Enter an email address.");
      setLookup(null);
      return;
    }
    setInputError(null);
    setLookup(parsed.data.toLowerCase());
  };

  const field = (
    <Stack gap={6}>
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <TextInput
          label="Student email"
          placeholder="student@example.com"
          type="email"
          value={email}
          onChange={(event) => {
            setEmail(event.currentTarget.value);
            setLookup(null);
          }}
          onKeyDown={(event) => {
            if (event.key === "Enter") {
              event.preventDefault();
              find();
            }
          }}
          error={inputError}
          style={{ flex: 1 }}
          data-autofocus
        />
        <Button variant="default" onClick={find}>
          Find
        </Button>
      </Group>
      <div aria-live="polite">
        {lookup === null ? null : found === undefined ? (
          <Text size="sm" c="dimmed">
            Looking up {lookup}…
          </Text>
        ) : found === null ? (
          <Text size="sm" c="red">
            Nobody with the email {lookup} has signed in yet. Ask them to sign in once, then try again.
          </Text>
        ) : !usable ? (
          <Text size="sm" c="red">
            {found.name} is {found.active ? "not a student" : "deactivated"} (roles:{" "}
            {found.roles.map((role) => ROLE_LABELS[role]).join(", ") || "none"}).
          </Text>
        ) : (
          <Text size="sm" c="green.8">
            Found {found.name} ({found.email}).
          </Text>
        )}
      </div>
    </Stack>
  );
  return { field, student: usable ? found : null };
}

/**
 * A dialog form that acts on one student found by email (enroll in a course, grant a product): the
 * lookup field, any extra fields (`children`), the server's error, and Cancel / submit buttons. The
 * submit button is enabled once a usable student is found.
 * @param onSubmit performs the action for the found student and resolves to the success message;
 *   a ConvexError's message is shown above the buttons and the dialog stays open.
 * @param onDone closes the dialog (after success, or on Cancel).
 */
export function StudentActionForm({
  submitLabel,
  onSubmit,
  onDone,
  children,
}: {
  submitLabel: string;
  onSubmit: (student: CurrentUser) => Promise<string>;
  onDone: () => void;
  children?: ReactNode;
}) {
  const { field, student } = useStudentLookup();
  const { running: submitting, error, run } = useServerCall();
  const submit = async () => {
    if (student === null) return;
    if (await run(async () => notifySuccess(await onSubmit(student)))) onDone();
  };
  return (
    <SubmitForm onSubmit={submit}>
      <Stack gap="sm">
        {field}
        {children}
        <ErrorText error={error} />
        <DialogButtons onCancel={onDone} confirmLabel={submitLabel} running={submitting} confirmDisabled={student === null} />
      </Stack>
    </SubmitForm>
  );
}
