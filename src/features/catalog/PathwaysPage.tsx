import { Badge, Group, Text } from "@mantine/core";
import { useQuery } from "convex/react";
import { api } from "../../../convex/_generated/api";
import { PageHeader } from "../../lib/components/PageHeader";
import { DataTable } from "../../lib/components/DataTable";
import { PathwayFormModal } from "./CatalogForms";
import { TitleCell } from "../../lib/components/TitleCell";
import { useCatalogList } from "./catalogList";

/**
 * Staff "Pathways": optional groupings of courses an enrollment can come through. Admins create
 * them. (Visibility of sessions is always decided by the enrollment's course, SPEC §2.)
 */
export function PathwaysPage() {
  const { creating, closeCreate, newButton } = useCatalogList();
  const pathways = useQuery(api.catalog.listPathways);
  const courses = useQuery(api.catalog.listCourses, { includeArchived: true });
  const courseTitles = new Map((courses ?? []).map((course) => [course._id, course.title]));

  return (
    <>
      <PageHeader title="Pathways" description="Groups of courses a student can be enrolled through." actions={newButton("New pathway")} />
      <DataTable
        rows={pathways}
        label="Pathways"
        columns={[
          {
            header: "Title",
            cell: (pathway) => <TitleCell title={pathway.title} size="sm" detail={pathway.description} detailLines={2} />,
          },
          {
            header: "Courses",
            cell: (pathway) =>
              pathway.courseIds.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No courses
                </Text>
              ) : (
                <Group gap={4}>
                  {pathway.courseIds.map((courseId) => (
                    <Badge key={courseId} variant="light">
                      {courseTitles.get(courseId) ?? "…"}
                    </Badge>
                  ))}
                </Group>
              ),
          },
        ]}
        minWidth={480}
        loadingLabel="Loading pathways…"
        empty={{
          title: "No pathways yet",
          description: "Pathways are optional: use them when several courses are sold together.",
          action: newButton("New pathway"),
        }}
      />
      <PathwayFormModal opened={creating} onClose={closeCreate} />
    </>
  );
}
