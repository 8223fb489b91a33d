import { Button, Group, Modal, Select, Table, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useMutation, usePaginatedQuery } from "convex/react";
import { useState } from "react";
import { api } from "../../../convex/_generated/api";
import type { Doc, Id } from "../../../convex/_generated/dataModel";
import { DateTime } from "../../lib/components/DateTime";
import { StatusBadge } from "../../lib/components/StatusBadge";
import { runWithFeedback } from "../../lib/notify";
import { useViewer, type CurrentUser } from "../../lib/useViewer";
import { StudentActionForm } from "./StudentLookup";
import { PaginatedTable } from "../../lib/components/DataTable";

/** Enrollment statuses with labels (SPEC §2). */
export const ENROLLMENT_STATUS_OPTIONS = [
  { value: "active", label: "Active" },
  { value: "paused", label: "Paused" },
  { value: "completed", label: "Completed" },
  { value: "cancelled", label: "Cancelled" },
] as const;
type EnrollmentStatus = (typeof ENROLLMENT_STATUS_OPTIONS)[number]["value"];

const UNBATCHED = "unbatched";
const ALL = "all";
const PAGE_SIZE = 25;

/**
 * The enrollments of one course, a page at a time (`api.enrollments.listForCourse`), filtered by
 * batch (including "Unbatched") and status. Holders of `enrollments.manage` enroll students by
 * email and change an enrollment's batch or status in place.
 */
export function CourseEnrollments({ course, batches }: { course: Doc<"courses">; batches: Doc<"batches">[] }) {
  const viewer = useViewer();
  const canManage = viewer.can("enrollments.manage");
  const [batchFilter, setBatchFilter] = useState<string>(ALL);
  const [statusFilter, setStatusFilter] = useState<string>(ALL);
  const [enrolling, { open: openEnroll, close: closeEnroll }] = useDisclosure(false);
  const enrollments = usePaginatedQuery(
    api.enrollments.listForCourse,
    {
      courseId: course._id,
      ...(batchFilter === ALL ? {} : { batch: batchFilter === UNBATCHED ? UNBATCHED : (batchFilter as Id<"batches">) }),
      ...(statusFilter === ALL ? {} : { status: statusFilter as EnrollmentStatus }),
    },
    { initialNumItems: PAGE_SIZE },
  );
  const batchNames = new Map(batches.map((batch) => [batch._id, batch.name]));
  const filtered = batchFilter !== ALL || statusFilter !== ALL;

  return (
    <>
      <Group justify="space-between" align="flex-end" mb="md" gap="sm">
        <Group gap="sm" align="flex-end">
          <Select
            label="Batch"
            data={[
              { value: ALL, label: "All batches" },
              { value: UNBATCHED, label: "Unbatched" },
              ...batches.map((batch) => ({
                value: batch._id,
                label: batch.status === "archived" ? `${batch.name} (archived)` : batch.name,
              })),
            ]}
            value={batchFilter}
            onChange={(value) => setBatchFilter(value ?? ALL)}
            allowDeselect={false}
            w={200}
          />
          <Select
            label="Status"
            data={[{ value: ALL, label: "All statuses" }, ...ENROLLMENT_STATUS_OPTIONS]}
            value={statusFilter}
            onChange={(value) => setStatusFilter(value ?? ALL)}
            allowDeselect={false}
            w={180}
          />
        </Group>
        {canManage && course.status === "active" ? <Button onClick={openEnroll}>Enroll student</Button> : null}
      </Group>

      <PaginatedTable
        rows={enrollments}
        pageSize={PAGE_SIZE}
        label={`Enrollments of ${course.title}`}
        headers={["Student", "Batch", "Status", "Enrolled"]}
        minWidth={720}
        loadingLabel="Loading enrollments…"
        empty={{
          title: filtered ? "No enrollments match these filters" : "Nobody is enrolled yet",
          description: filtered ? "Try another batch or status." : undefined,
          action: canManage && !filtered && course.status === "active" ? <Button onClick={openEnroll}>Enroll student</Button> : undefined,
        }}
        renderRow={(enrollment) => (
          <EnrollmentRow
            key={enrollment._id}
            enrollment={enrollment}
            batches={batches}
            batchName={enrollment.batchId === null ? null : (batchNames.get(enrollment.batchId) ?? enrollment.batchName)}
            canManage={canManage}
          />
        )}
      />
      <Modal opened={enrolling} onClose={closeEnroll} title={`Enroll a student in ${course.title}`}>
        {enrolling ? <EnrollForm course={course} batches={batches} onDone={closeEnroll} /> : null}
      </Modal>
    </>
  );
}

type EnrollmentWithNames = {
  _id: Id<"enrollments">;
  batchId: Id<"batches"> | null;
  status: EnrollmentStatus;
  enrolledAt: number;
  student: CurrentUser | null;
};

function EnrollmentRow({
  enrollment,
  batches,
  batchName,
  canManage,
}: {
  enrollment: EnrollmentWithNames;
  batches: Doc<"batches">[];
  batchName: string | null;
  canManage: boolean;
}) {
  const update = useMutation(api.enrollments.update);
  const studentName = enrollment.student?.name ?? "(deleted user)";
  const batchOptions = [
    { value: UNBATCHED, label: "Unbatched" },
    ...batches
      .filter((batch) => batch.status === "active" || batch._id === enrollment.batchId)
      .map((batch) => ({ value: batch._id, label: batch.name })),
  ];
  return (
    <Table.Tr>
      <Table.Td>
        <Text fw={500} size="sm">
          {studentName}
        </Text>
        <Text size="xs" c="dimmed">
          {enrollment.student?.email}
        </Text>
      </Table.Td>
      <Table.Td>
        {canManage ? (
          <Select
            aria-label={`Batch of ${studentName}`}
            data={batchOptions}
            value={enrollment.batchId ?? UNBATCHED}
            allowDeselect={false}
            size="xs"
            w={180}
            onChange={(value) => {
              if (value === null) return;
              const batchId = value === UNBATCHED ? null : (value as Id<"batches">);
              if (batchId === enrollment.batchId) return;
              void runWithFeedback(() => update({ enrollmentId: enrollment._id, batchId }), `${studentName} moved.`);
            }}
          />
        ) : (
          (batchName ?? "Unbatched")
        )}
      </Table.Td>
      <Table.Td>
        {canManage ? (
          <Select
            aria-label={`Status of ${studentName}`}
            data={ENROLLMENT_STATUS_OPTIONS.map((option) => ({ ...option }))}
            value={enrollment.status}
            allowDeselect={false}
            size="xs"
            w={150}
            onChange={(value) => {
              if (value === null || value === enrollment.status) return;
              void runWithFeedback(
                () => update({ enrollmentId: enrollment._id, status: value as EnrollmentStatus }),
                `${studentName} is now ${value}.`,
              );
            }}
          />
        ) : (
          <StatusBadge status={enrollment.status} />
        )}
      </Table.Td>
      <Table.Td>
        <DateTime value={enrollment.enrolledAt} format="date" />
      </Table.Td>
    </Table.Tr>
  );
}

function EnrollForm({ course, batches, onDone }: { course: Doc<"courses">; batches: Doc<"batches">[]; onDone: () => void }) {
  const enroll = useMutation(api.enrollments.enroll);
  const [batch, setBatch] = useState<string>(UNBATCHED);
  return (
    <StudentActionForm
      submitLabel="Enroll"
      onDone={onDone}
      onSubmit={async (student) => {
        await enroll({ studentId: student._id, courseId: course._id, batchId: batch === UNBATCHED ? null : (batch as Id<"batches">) });
        return `${student.name} enrolled in ${course.title}.`;
      }}
    >
      <Select
        label="Batch"
        data={[
          { value: UNBATCHED, label: "Unbatched" },
          ...batches.filter((item) => item.status === "active").map((item) => ({ value: item._id, label: item.name })),
        ]}
        value={batch}
        onChange={(value) => setBatch(value ?? UNBATCHED)}
        allowDeselect={false}
      />
    </StudentActionForm>
  );
}
