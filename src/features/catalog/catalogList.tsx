import { Button, Switch } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useState } from "react";
import { PageHeader } from "../../lib/components/PageHeader";
import { useViewer } from "../../lib/useViewer";

/**
 * The state every catalog list page (courses, products, pathways) keeps: whether the viewer may
 * change the catalog (`catalog.manage`; enrollment managers only read it), whether archived rows
 * are shown, and which create or edit dialog is open (`editing`: the row being edited, or null).
 */
export function useCatalogList<Row>() {
  const viewer = useViewer();
  const [showArchived, setShowArchived] = useState(false);
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const [editing, setEditing] = useState<Row | null>(null);
  return { canManage: viewer.can("catalog.manage"), showArchived, setShowArchived, creating, openCreate, closeCreate, editing, setEditing };
}

/**
 * The top of a catalog list page with archived rows (courses, products): the page header, with the
 * `newLabel` button that opens the create dialog for those who may manage the catalog, and the
 * "Show archived <rows>" switch.
 */
export function ArchivableListHeader({
  title,
  description,
  newLabel,
  rows,
  list,
}: {
  title: string;
  description: string;
  newLabel: string;
  rows: string;
  list: Pick<ReturnType<typeof useCatalogList>, "canManage" | "openCreate" | "showArchived" | "setShowArchived">;
}) {
  return (
    <>
      <PageHeader title={title} description={description} actions={list.canManage ? <Button onClick={list.openCreate}>{newLabel}</Button> : undefined} />
      <Switch label={`Show archived ${rows}`} checked={list.showArchived} onChange={(event) => list.setShowArchived(event.currentTarget.checked)} mb="md" />
    </>
  );
}
