import { Text } from "@mantine/core";
import { useMutation, useQuery } from "convex/react";
import { api } from "../../../convex/_generated/api";
import type { Doc } from "../../../convex/_generated/dataModel";
import { CourseFormModal } from "./CatalogForms";
import { DataTable } from "../../lib/components/DataTable";
import { TitleCell } from "../../lib/components/TitleCell";
import { ArchivableListHeader, archivableColumns, useCatalogList } from "./catalogList";

/**
 * Staff "Courses": every course (archived ones on request) linking to its batches and enrollments.
 * Admins (`catalog.manage`) also create, edit, archive and restore courses; enrollment managers
 * see the list read-only.
 */
export function CoursesPage() {
  const list = useCatalogList<Doc<"courses">>();
  const { canManage, creating, closeCreate, editing, setEditing } = list;
  const courses = useQuery(api.catalog.listCourses, { includeArchived: list.showArchived });
  const updateCourse = useMutation(api.catalog.updateCourse);

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
          ...archivableColumns<Doc<"courses">>({
            canManage,
            name: (course) => course.title,
            noun: "Course",
            archiveMessage: "Archived courses are hidden from lists and scheduling. Enrollments stay; you can restore the course later.",
            onEdit: setEditing,
            setStatus: (course, status) => updateCourse({ courseId: course._id, status }),
          }),
        ]}
        minWidth={560}
        highlightOnHover
        loadingLabel="Loading courses…"
        empty={{
          title: "No courses yet",
          description: canManage ? "Create the first course to add batches and enroll students." : "Admins create courses.",
          action: list.newButton("New course"),
        }}
      />
      <CourseFormModal opened={creating} onClose={closeCreate} />
      <CourseFormModal opened={editing !== null} onClose={() => setEditing(null)} course={editing ?? undefined} />
    </>
  );
}
