import { Button, Modal, Stack, Text, type ButtonProps } from "@mantine/core";
import { useState, type ReactNode } from "react";
import { notifySuccess } from "../notify";
import { useServerCall } from "../useServerCall";
import { DialogButtons } from "./DialogButtons";
import { ErrorText } from "./ErrorText";

/**
 * A button that asks for confirmation in a dialog, then runs `onConfirm` (usually a Convex
 * mutation). While it runs the confirm button spins; a failure is shown inside the dialog with the
 * server's message (the dialog stays open); success closes it and shows `successMessage` as a
 * notification when given. `details` (e.g. a choice the action depends on) sits under the message.
 */
export function ConfirmButton({
  children,
  title,
  message,
  details,
  confirmLabel = "Confirm",
  cancelLabel = "Cancel",
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
  /** More of the dialog under the message, e.g. a choice the action depends on. */
  details?: ReactNode;
  /** Confirm button label, e.g. "Archive". */
  confirmLabel?: string;
  /** The label of the button that closes the dialog without acting, e.g. "Keep session". */
  cancelLabel?: string;
  onConfirm: () => Promise<unknown>;
  successMessage?: string;
  color?: ButtonProps["color"];
  "aria-label"?: string;
}) {
  const [opened, setOpened] = useState(false);
  const { running, error, setError, run } = useServerCall();

  const close = () => {
    if (running) return;
    setOpened(false);
    setError(null);
  };

  const confirm = async () => {
    if (!(await run(onConfirm))) return;
    setOpened(false);
    if (successMessage) notifySuccess(successMessage);
  };

  return (
    <>
      <Button color={color} {...buttonProps} onClick={() => setOpened(true)}>
        {children}
      </Button>
      <Modal opened={opened} onClose={close} title={title} centered>
        <Stack gap="md">
          <Text size="sm">{message}</Text>
          {details}
          <ErrorText error={error} />
          <DialogButtons cancelLabel={cancelLabel} onCancel={close} confirmLabel={confirmLabel} onConfirm={confirm} running={running} color={color} />
        </Stack>
      </Modal>
    </>
  );
}
