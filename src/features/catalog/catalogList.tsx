import { Button, Switch } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useState, type ReactNode } from "react";
import { ArchiveActions } from "../../lib/components/ArchiveActions";
import type { TableColumns } from "../../lib/components/DataTable";
import { PageHeader } from "../../lib/components/PageHeader";
import { StatusBadge } from "../../lib/components/StatusBadge";
import { useViewer } from "../../lib/useViewer";

/** Where the staff catalog lists are, for breadcrumbs back to them. */
export const COURSES_LIST = { label: "Courses", to: "/manage/courses" };
export const PRODUCTS_LIST = { label: "Products", to: "/manage/products" };

/**
 * The state every catalog list (courses, products, pathways, a course's batches) keeps: whether
 * the viewer may change the catalog (`catalog.manage`; enrollment managers only read it), whether
 * archived rows are shown, and which create or edit dialog is open (`editing`: the row being
 * edited, or null). `newButton(label)` is the button that opens the create dialog ("New course"),
 * shown in the page header and in the empty list, only to those who may change the catalog.
 */
export function useCatalogList<Row>() {
  const viewer = useViewer();
  const canManage = viewer.can("catalog.manage");
  const [showArchived, setShowArchived] = useState(false);
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const [editing, setEditing] = useState<Row | null>(null);
  const newButton = (label: string) => (canManage ? <Button onClick={openCreate}>{label}</Button> : undefined);
  return { canManage, showArchived, setShowArchived, creating, openCreate, closeCreate, editing, setEditing, newButton };
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
  list: Pick<ReturnType<typeof useCatalogList>, "newButton" | "showArchived" | "setShowArchived">;
}) {
  return (
    <>
      <PageHeader title={title} description={description} actions={list.newButton(newLabel)} />
      <Switch label={`Show archived ${rows}`} checked={list.showArchived} onChange={(event) => list.setShowArchived(event.currentTarget.checked)} mb="md" />
    </>
  );
}

/**
 * The header of a course's or product's page: its title, the breadcrumb back to its list, and under
 * the title any `badges`, its status and its description.
 */
export function CatalogItemHeader({
  item,
  list,
  badges,
  actions,
}: {
  item: { title: string; status: string; description?: string };
  list: { label: string; to: string };
  badges?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <PageHeader
      title={item.title}
      breadcrumbs={[list]}
      badges={
        <>
          {badges}
          <StatusBadge status={item.status} />
        </>
      }
      description={item.description}
      actions={actions}
    />
  );
}

/**
 * The last columns of a table of archivable catalog rows (courses, products, batches): the row's
 * status, and for those who may manage the catalog its {@link ArchiveActions} (edit, then archive
 * or restore).
 *
 * @param name the row's name, in the buttons' labels and the confirmation.
 * @param onEdit opens the row's edit dialog.
 * @param setStatus the mutation that archives (`"archived"`) or restores (`"active"`) the row.
 * @param noun / editLabel / archiveMessage as in {@link ArchiveActions}.
 */
export function archivableColumns<Row extends { status: "active" | "archived" }>({
  canManage,
  name,
  onEdit,
  setStatus,
  ...actions
}: {
  canManage: boolean;
  name: (row: Row) => string;
  noun: string;
  editLabel?: string;
  archiveMessage: string;
  onEdit: (row: Row) => void;
  setStatus: (row: Row, status: "active" | "archived") => Promise<unknown>;
}): TableColumns<Row> {
  return [
    { header: "Status", cell: (row) => <StatusBadge status={row.status} /> },
    canManage && {
      header: "Actions",
      actions: true,
      cell: (row) => (
        <ArchiveActions
          {...actions}
          name={name(row)}
          archived={row.status === "archived"}
          onEdit={() => onEdit(row)}
          onArchive={() => setStatus(row, "archived")}
          onRestore={() => setStatus(row, "active")}
        />
      ),
    },
  ];
}

/** A course's or batch's name in a list of choices, marked "(archived)" when it is archived. */
export function catalogChoiceLabel(name: string, status: "active" | "archived"): string {
  return status === "archived" ? `${name} (archived)` : name;
}
