import { Button, Group, Select } from "@mantine/core";
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
import { FormModal } from "../../lib/components/FormModal";
import { ALL, FilterSelect } from "../../lib/components/FilterSelect";
import { catalogChoiceLabel } from "./catalogList";
import { studentColumn, studentName } from "./studentRows";

/** Enrollment statuses with labels (SPEC §2). */
const ENROLLMENT_STATUS_OPTIONS = [
  { value: "active", label: "Active" },
  { value: "paused", label: "Paused" },
  { value: "completed", label: "Completed" },
  { value: "cancelled", label: "Cancelled" },
] as const;
type EnrollmentStatus = (typeof ENROLLMENT_STATUS_OPTIONS)[number]["value"];

const UNBATCHED = "unbatched";
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
          <FilterSelect
            label="Batch"
            allLabel="All batches"
            options={[
              { value: UNBATCHED, label: "Unbatched" },
              ...batches.map((batch) => ({ value: batch._id, label: catalogChoiceLabel(batch.name, batch.status) })),
            ]}
            value={batchFilter}
            onChange={setBatchFilter}
            w={200}
          />
          <FilterSelect
            label="Status"
            allLabel="All statuses"
            options={ENROLLMENT_STATUS_OPTIONS}
            value={statusFilter}
            onChange={setStatusFilter}
            w={180}
          />
        </Group>
        {canManage && course.status === "active" ? <Button onClick={openEnroll}>Enroll student</Button> : null}
      </Group>

      <PaginatedTable
        rows={enrollments}
        pageSize={PAGE_SIZE}
        label={`Enrollments of ${course.title}`}
        columns={[
          studentColumn(),
          {
            header: "Batch",
            cell: (enrollment) =>
              canManage ? (
                <BatchSelect enrollment={enrollment} batches={batches} />
              ) : enrollment.batchId === null ? (
                "Unbatched"
              ) : (
                (batchNames.get(enrollment.batchId) ?? enrollment.batchName ?? "Unbatched")
              ),
          },
          {
            header: "Status",
            cell: (enrollment) =>
              canManage ? <StatusSelect enrollment={enrollment} /> : <StatusBadge status={enrollment.status} />,
          },
          { header: "Enrolled", cell: (enrollment) => <DateTime value={enrollment.enrolledAt} format="date" /> },
        ]}
        minWidth={720}
        loadingLabel="Loading enrollments…"
        empty={{
          title: filtered ? "No enrollments match these filters" : "Nobody is enrolled yet",
          description: filtered ? "Try another batch or status." : undefined,
          action: canManage && !filtered && course.status === "active" ? <Button onClick={openEnroll}>Enroll student</Button> : undefined,
        }}
      />
      <FormModal opened={enrolling} onClose={closeEnroll} title={`Enroll a student in ${course.title}`}>
        <EnrollForm course={course} batches={batches} onDone={closeEnroll} />
      </FormModal>
    </>
  );
}

type EnrollmentWithNames = {
  _id: Id<"enrollments">;
  batchId: Id<"batches"> | null;
  status: EnrollmentStatus;
  enrolledAt: number;
  batchName?: string | null;
  student: CurrentUser | null;
};

/** Moves the student to another batch of the course (or unbatched) at once. */
function BatchSelect({ enrollment, batches }: { enrollment: EnrollmentWithNames; batches: Doc<"batches">[] }) {
  const update = useMutation(api.enrollments.update);
  const name = studentName(enrollment);
  const batchOptions = [
    { value: UNBATCHED, label: "Unbatched" },
    ...batches
      .filter((batch) => batch.status === "active" || batch._id === enrollment.batchId)
      .map((batch) => ({ value: batch._id, label: batch.name })),
  ];
  return (
    <Select
      aria-label={`Batch of ${name}`}
      data={batchOptions}
      value={enrollment.batchId ?? UNBATCHED}
      allowDeselect={false}
      size="xs"
      w={180}
      maw="100%"
      onChange={(value) => {
        if (value === null) return;
        const batchId = value === UNBATCHED ? null : (value as Id<"batches">);
        if (batchId === enrollment.batchId) return;
        void runWithFeedback(() => update({ enrollmentId: enrollment._id, batchId }), `${name} moved.`);
      }}
    />
  );
}

/** Changes the enrollment's status at once. */
function StatusSelect({ enrollment }: { enrollment: EnrollmentWithNames }) {
  const update = useMutation(api.enrollments.update);
  const name = studentName(enrollment);
  return (
    <Select
      aria-label={`Status of ${name}`}
      data={ENROLLMENT_STATUS_OPTIONS.map((option) => ({ ...option }))}
      value={enrollment.status}
      allowDeselect={false}
      size="xs"
      w={150}
      maw="100%"
      onChange={(value) => {
        if (value === null || value === enrollment.status) return;
        void runWithFeedback(
          () => update({ enrollmentId: enrollment._id, status: value as EnrollmentStatus }),
          `${name} is now ${value}.`,
        );
      }}
    />
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
