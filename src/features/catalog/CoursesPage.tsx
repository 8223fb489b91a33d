import { Button, Text } from "@mantine/core";
import { useMutation, useQuery } from "convex/react";
import { api } from "../../../convex/_generated/api";
import type { Doc } from "../../../convex/_generated/dataModel";
import { ArchiveActions } from "../../lib/components/ArchiveActions";
import { StatusBadge } from "../../lib/components/StatusBadge";
import { CourseFormModal } from "./CatalogForms";
import { DataTable } from "../../lib/components/DataTable";
import { TitleCell } from "../../lib/components/TitleCell";
import { ArchivableListHeader, useCatalogList } from "./catalogList";

/**
 * Staff "Courses": every course (archived ones on request) linking to its batches and enrollments.
 * Admins (`catalog.manage`) also create, edit, archive and restore courses; enrollment managers
 * see the list read-only.
 */
export function CoursesPage() {
  const list = useCatalogList<Doc<"courses">>();
  const { canManage, creating, openCreate, closeCreate, editing, setEditing } = list;
  const courses = useQuery(api.catalog.listCourses, { includeArchived: list.showArchived });

  return (
    <>
      <ArchivableListHeader title="Courses" description="Courses, their batches and who is enrolled." newLabel="New course" rows="courses" list={list} />
      <DataTable
        rows={courses}
        label="Courses"
        columns={[
          {
            header: "Title",
            cell: (course) => <TitleCell title={course.title} to={`/manage/courses/${course._id}`} />,
          },
          {
            header: "Description",
            cell: (course) => (
              <Text size="sm" c="dimmed" lineClamp={2}>
                {course.description || "—"}
              </Text>
            ),
          },
          { header: "Status", cell: (course) => <StatusBadge status={course.status} /> },
          canManage && {
            header: "Actions",
            actions: true,
            cell: (course) => <CourseActions course={course} onEdit={() => setEditing(course)} />,
          },
        ]}
        minWidth={560}
        highlightOnHover
        loadingLabel="Loading courses…"
        empty={{
          title: "No courses yet",
          description: canManage ? "Create the first course to add batches and enroll students." : "Admins create courses.",
          action: canManage ? <Button onClick={openCreate}>New course</Button> : undefined,
        }}
      />
      <CourseFormModal opened={creating} onClose={closeCreate} />
      <CourseFormModal opened={editing !== null} onClose={() => setEditing(null)} course={editing ?? undefined} />
    </>
  );
}

function CourseActions({ course, onEdit }: { course: Doc<"courses">; onEdit: () => void }) {
  const updateCourse = useMutation(api.catalog.updateCourse);
  return (
    <ArchiveActions
      name={course.title}
      noun="Course"
      archived={course.status === "archived"}
      archiveMessage="Archived courses are hidden from lists and scheduling. Enrollments stay; you can restore the course later."
      onEdit={onEdit}
      onArchive={() => updateCourse({ courseId: course._id, status: "archived" })}
      onRestore={() => updateCourse({ courseId: course._id, status: "active" })}
    />
  );
}
