import { Switch } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useState } from "react";
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

/** The "Show archived …" switch above a catalog list; `rows` names them ("courses"). */
export function ShowArchivedSwitch({ rows, checked, onChange }: { rows: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return <Switch label={`Show archived ${rows}`} checked={checked} onChange={(event) => onChange(event.currentTarget.checked)} mb="md" />;
}
