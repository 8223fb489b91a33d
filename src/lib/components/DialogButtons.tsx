import { Button, Group, type ButtonProps } from "@mantine/core";
import type { ReactNode } from "react";

/**
 * The buttons that end a dialog or form: on the right, one that leaves without acting ("Cancel",
 * "Back") and the one that acts. While the action runs, the action button spins and the other is off.
 *
 * @param onCancel leaves without acting (closes the dialog, goes a step back).
 * @param onConfirm runs the action; without it the action button submits the enclosing form.
 * @param running the action is running.
 * @param confirmDisabled keeps the action button off (nothing chosen yet, nothing changed).
 * @param color the action button's colour ("red" for what cannot be undone).
 */
export function DialogButtons({
  cancelLabel = "Cancel",
  onCancel,
  confirmLabel,
  onConfirm,
  running = false,
  confirmDisabled,
  color,
}: {
  cancelLabel?: string;
  onCancel: () => void;
  confirmLabel: ReactNode;
  onConfirm?: () => unknown;
  running?: boolean;
  confirmDisabled?: boolean;
  color?: ButtonProps["color"];
}) {
  return (
    <Group justify="flex-end" gap="xs">
      <Button variant="default" onClick={onCancel} disabled={running}>
        {cancelLabel}
      </Button>
      <Button
        type={onConfirm === undefined ? "submit" : "button"}
        color={color}
        loading={running}
        disabled={confirmDisabled}
        onClick={onConfirm === undefined ? undefined : () => void onConfirm()}
      >
        {confirmLabel}
      </Button>
    </Group>
  );
}
