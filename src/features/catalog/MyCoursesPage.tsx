import { Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "convex/react";
import { api } from "../../../convex/_generated/api";
import { DateTime } from "../../lib/components/DateTime";
import { PageHeader } from "../../lib/components/PageHeader";
import { StatusBadge } from "../../lib/components/StatusBadge";
import { EmptyState, LoadingState } from "../../lib/components/states";

/**
 * Student "My courses": every enrollment of the signed-in user (`api.enrollments.mine`, newest
 * first) with its course, batch (or "Unbatched"), status and enrolment date.
 */
export function MyCoursesPage() {
  const enrollments = useQuery(api.enrollments.mine);
  return (
    <>
      <PageHeader title="My courses" description="The courses you are enrolled in and your batch in each." />
      {enrollments === undefined ? (
        <LoadingState label="Loading your courses…" />
      ) : enrollments.length === 0 ? (
        <EmptyState
          title="You are not enrolled in any course yet"
          description="When the team enrolls you in a course, it appears here with your batch."
        />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" component="ul" style={{ listStyle: "none", padding: 0 }}>
          {enrollments.map((enrollment) => (
            <Card key={enrollment._id} withBorder component="li" aria-label={enrollment.courseTitle}>
              <Stack gap="xs">
                <Group justify="space-between" align="flex-start" wrap="nowrap">
                  <Title order={2} size="h4">
                    {enrollment.courseTitle}
                  </Title>
                  <StatusBadge status={enrollment.status} />
                </Group>
                <Text size="sm">
                  <Text span c="dimmed">
                    Batch:{" "}
                  </Text>
                  {enrollment.batchName ?? "Unbatched"}
                </Text>
                <Text size="sm">
                  <Text span c="dimmed">
                    Enrolled:{" "}
                  </Text>
                  <DateTime value={enrollment.enrolledAt} format="date" />
                </Text>
              </Stack>
            </Card>
          ))}
        </SimpleGrid>
      )}
    </>
  );
}
