import { Button, Group, Switch, Tabs, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useMutation, useQuery } from "convex/react";
import { useParams, useSearchParams } from "react-router";
import { api } from "../../../convex/_generated/api";
import type { Doc, Id } from "../../../convex/_generated/dataModel";
import { DateTime } from "../../lib/components/DateTime";
import { LoadingState } from "../../lib/components/states";
import { useViewer } from "../../lib/useViewer";
import { BatchFormModal, CourseFormModal } from "./CatalogForms";
import { CourseEnrollments } from "./CourseEnrollments";
import { DataTable } from "../../lib/components/DataTable";
import { TitleCell } from "../../lib/components/TitleCell";
import { archivableColumns, CatalogItemHeader, COURSES_LIST, useCatalogList } from "./catalogList";

/**
 * Staff course page (`/manage/courses/:courseId`): the course, its batches (admins create, rename,
 * archive and restore them) and its enrollments (enrollment managers and admins enroll students
 * and change batch or status). The tab is kept in the URL (`?tab=batches`).
 */
export function CourseDetailPage() {
  const { courseId } = useParams();
  const course = useQuery(api.catalog.getCourse, { courseId: courseId as Id<"courses"> });
  const viewer = useViewer();
  const [searchParams, setSearchParams] = useSearchParams();
  const tab = searchParams.get("tab") === "batches" ? "batches" : "enrollments";
  const [editing, { open: openEdit, close: closeEdit }] = useDisclosure(false);

  if (course === undefined) return <LoadingState label="Loading course…" />;
  const canManage = viewer.can("catalog.manage");
  return (
    <>
      <CatalogItemHeader
        item={course}
        list={COURSES_LIST}
        actions={
          canManage ? (
            <Button variant="default" onClick={openEdit}>
              Edit course
            </Button>
          ) : undefined
        }
      />
      <Tabs
        value={tab}
        onChange={(value) => setSearchParams(value === "batches" ? { tab: "batches" } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="enrollments">Enrollments</Tabs.Tab>
          <Tabs.Tab value="batches">Batches ({course.batches.length})</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="enrollments">
          <CourseEnrollments course={course} batches={course.batches} />
        </Tabs.Panel>
        <Tabs.Panel value="batches">
          <Batches course={course} batches={course.batches} />
        </Tabs.Panel>
      </Tabs>
      <CourseFormModal opened={editing} onClose={closeEdit} course={course} />
    </>
  );
}

function Batches({ course, batches }: { course: Doc<"courses">; batches: Doc<"batches">[] }) {
  const { canManage, showArchived, setShowArchived, creating, closeCreate, editing, setEditing, newButton } = useCatalogList<Doc<"batches">>();
  const updateBatch = useMutation(api.catalog.updateBatch);
  const shown = batches.filter((batch) => showArchived || batch.status === "active");
  const archivedCount = batches.length - batches.filter((batch) => batch.status === "active").length;

  return (
    <>
      <Group justify="space-between" mb="md" gap="sm">
        <Switch
          label={`Show archived batches (${archivedCount})`}
          checked={showArchived}
          onChange={(event) => setShowArchived(event.currentTarget.checked)}
        />
        {newButton("New batch")}
      </Group>
      <DataTable
        rows={shown}
        label={`Batches of ${course.title}`}
        columns={[
          { header: "Name", cell: (batch) => <TitleCell title={batch.name} size="sm" /> },
          {
            header: "Starts",
            cell: (batch) =>
              batch.startDate !== undefined ? <DateTime value={batch.startDate} format="date" /> : <Text c="dimmed">—</Text>,
          },
          ...archivableColumns<Doc<"batches">>({
            canManage,
            name: (batch) => batch.name,
            noun: "Batch",
            editLabel: "Rename",
            archiveMessage: "Archived batches are not offered for new enrollments or sessions. Students already in it stay in it.",
            onEdit: setEditing,
            setStatus: (batch, status) => updateBatch({ batchId: batch._id, status }),
          }),
        ]}
        minWidth={480}
        loadingLabel="Loading batches…"
        empty={{
          title: "No batches",
          description: "Students of this course are unbatched until a batch is created and they are moved into it.",
          action: newButton("New batch"),
        }}
      />
      <BatchFormModal opened={creating} onClose={closeCreate} courseId={course._id} />
      <BatchFormModal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        courseId={course._id}
        batch={editing ?? undefined}
      />
    </>
  );
}
