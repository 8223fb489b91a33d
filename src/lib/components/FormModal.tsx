import { Modal, type ModalProps } from "@mantine/core";
import type { ReactNode } from "react";

/** What a page passes to a create/edit dialog: whether it is open, and how to close it. */
export type FormModalProps = { opened: boolean; onClose: () => void };

/**
 * A dialog holding a form. The form is mounted only while the dialog is open, so every opening
 * starts from fresh values (the document being edited, or empty ones) and no stale error.
 *
 * @param title the dialog's heading ("New course", "Edit batch").
 * @param size Mantine's dialog width ("lg" for long forms); the default otherwise.
 */
export function FormModal({
  opened,
  onClose,
  title,
  size,
  children,
}: FormModalProps & { title: ReactNode; size?: ModalProps["size"]; children: ReactNode }) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} size={size}>
      {opened ? children : null}
    </Modal>
  );
}
