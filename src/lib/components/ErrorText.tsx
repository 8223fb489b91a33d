import { Text, type MantineSize } from "@mantine/core";

/**
 * A failed action's message where the action was started (in a dialog, beside a field), in red and
 * announced to screen readers; nothing while there is no error.
 *
 * @param error the message, or null while there is none.
 * @param size the text size ("sm" unless given).
 */
export function ErrorText({ error, size = "sm" }: { error: string | null; size?: MantineSize }) {
  if (error === null) return null;
  return (
    <Text size={size} c="red" role="alert">
      {error}
    </Text>
  );
}
