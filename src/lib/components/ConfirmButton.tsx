import { Button, Group, Modal, Stack, Text, type ButtonProps } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState, type ReactNode } from "react";
import { errorMessage } from "../errors";

/**
 * A button that asks for confirmation in a dialog, then runs `onConfirm` (usually a Convex
 * mutation). While it runs the confirm button spins; a failure is shown inside the dialog with the
 * server's message (the dialog stays open); success closes it and shows `successMessage` as a
 * notification when given.
 */
export function ConfirmButton({
  children,
  title,
  message,
  confirmLabel = "Confirm",
  onConfirm,
  successMessage,
  color,
  ...buttonProps
}: Omit<ButtonProps, "onClick"> & {
  /** The button's label. */
  children: ReactNode;
  /** Dialog title, e.g. "Archive this course?". */
  title: string;
  /** What will happen, in a sentence or two. */
  message: ReactNode;
  /** Confirm button label, e.g. "Archive". */
  confirmLabel?: string;
  onConfirm: () => Promise<unknown>;
  successMessage?: string;
  color?: ButtonProps["color"];
  "aria-label"?: string;
}) {
  const [opened, setOpened] = useState(false);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const close = () => {
    if (running) return;
    setOpened(false);
    setError(null);
  };

  const confirm = async () => {
    setRunning(true);
    setError(null);
    try {
      await onConfirm();
      setOpened(false);
      if (successMessage) notifications.show({ message: successMessage, color: "green" });
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setRunning(false);
    }
  };

  return (
    <>
      <Button color={color} {...buttonProps} onClick={() => setOpened(true)}>
        {children}
      </Button>
      <Modal opened={opened} onClose={close} title={title} centered>
        <Stack gap="md">
          <Text size="sm">{message}</Text>
          {error !== null ? (
            <Text size="sm" c="red" role="alert">
              {error}
            </Text>
          ) : null}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close} disabled={running}>
              Cancel
            </Button>
            <Button color={color} loading={running} onClick={() => void confirm()}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
