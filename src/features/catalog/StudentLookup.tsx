import { Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { useQuery } from "convex/react";
import { useEffect, useState } from "react";
import { z } from "zod";
import { api } from "../../../convex/_generated/api";
import type { CurrentUser } from "../../lib/useViewer";
import { ROLE_LABELS } from "../../lib/access";

const emailSchema = z.email("Enter an email address such as name@example.com.");

/**
 * Finds a student by exact email (`api.users.findByEmail`, staff only) and reports the match to
 * the parent. Shows who was found, or why nobody can be used (unknown email, no student role).
 * @param onChange called with the found student (or null when the lookup changes or fails).
 */
export function StudentLookup({ onChange }: { onChange: (student: CurrentUser | null) => void }) {
  const [email, setEmail] = useState("");
  const [lookup, setLookup] = useState<string | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const found = useQuery(api.users.findByEmail, lookup === null ? "skip" : { email: lookup });
  const usable = found !== undefined && found !== null && found.active && found.roles.includes("student");

  useEffect(() => {
    onChange(usable ? found : null);
  }, [found, usable, onChange]);

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

  return (
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
}
