import { Button, Group } from "@mantine/core";
import { runWithFeedback } from "../notify";
import { ConfirmButton } from "./ConfirmButton";

/**
 * The actions of a row that can be archived (courses, batches, products): edit, then Archive behind a
 * confirmation while it is active, or Restore at once while archived. Every button is labelled with
 * the row's name for screen readers ("Archive Web Development").
 *
 * @param name the row's name, used in the labels and the confirmation title.
 * @param noun what the row is, capitalised ("Course"), for the success messages ("Course archived.").
 * @param archived whether the row is archived now.
 * @param archiveMessage what archiving does, shown in the confirmation.
 * @param editLabel the edit button's text (default "Edit"; batches use "Rename").
 * @param onArchive / onRestore the mutations; their ConvexError messages are shown as notifications.
 */
export function ArchiveActions({
  name,
  noun,
  archived,
  archiveMessage,
  editLabel = "Edit",
  onEdit,
  onArchive,
  onRestore,
}: {
  name: string;
  noun: string;
  archived: boolean;
  archiveMessage: string;
  editLabel?: string;
  onEdit: () => void;
  onArchive: () => Promise<unknown>;
  onRestore: () => Promise<unknown>;
}) {
  return (
    <Group gap="xs" wrap="nowrap">
      <Button size="xs" variant="default" onClick={onEdit} aria-label={`${editLabel} ${name}`}>
        {editLabel}
      </Button>
      {archived ? (
        <Button size="xs" variant="light" aria-label={`Restore ${name}`} onClick={() => void runWithFeedback(onRestore, `${noun} restored.`)}>
          Restore
        </Button>
      ) : (
        <ConfirmButton
          size="xs"
          variant="light"
          color="red"
          aria-label={`Archive ${name}`}
          title={`Archive "${name}"?`}
          message={archiveMessage}
          confirmLabel="Archive"
          successMessage={`${noun} archived.`}
          onConfirm={onArchive}
        >
          Archive
        </ConfirmButton>
      )}
    </Group>
  );
}
