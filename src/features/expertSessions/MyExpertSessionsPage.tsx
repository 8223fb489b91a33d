import { Badge, Button, Card, Group, Progress, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { Link } from "react-router";
import { api } from "../../../convex/_generated/api";
import { PageHeader } from "../../lib/components/PageHeader";
import { EmptyState, LoadingState } from "../../lib/components/states";
import { formatDuration } from "./videoFiles";
import { ProductBadges } from "./ExpertSessionParts";

type StudentSession = FunctionReturnType<typeof api.expertSessions.listMine>[number];

/** Share of the video watched, 0–100 (whole percent). */
export function percentWatched(secondsWatched: number, durationSeconds: number): number {
  return durationSeconds > 0 ? Math.min(100, Math.round((secondsWatched / durationSeconds) * 100)) : 0;
}

/**
 * Student "Expert sessions" (`/expert-sessions`): the recorded talks of their products, each once,
 * with how much they watched, whether it has captions, "Completed" once the server counted 90%, and
 * a resume button.
 */
export function MyExpertSessionsPage() {
  const sessions = useQuery(api.expertSessions.listMine, {});
  return (
    <>
      <PageHeader title="Expert sessions" description="Recorded talks from experts, included in your products." />
      {sessions === undefined ? (
        <LoadingState label="Loading expert sessions…" />
      ) : sessions.length === 0 ? (
        <EmptyState
          title="No expert sessions yet"
          description="Recorded talks appear here when a product you have includes them."
        />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
          {sessions.map((session) => (
            <SessionCard key={session._id} session={session} />
          ))}
        </SimpleGrid>
      )}
    </>
  );
}

function SessionCard({ session }: { session: StudentSession }) {
  const progress = session.progress;
  const percent = progress ? percentWatched(progress.secondsWatched, session.durationSeconds) : 0;
  const completed = progress?.completedAt !== undefined;
  const resumeAt = progress && progress.lastPositionSeconds > 0 ? progress.lastPositionSeconds : null;
  const action = completed ? "Watch again" : resumeAt !== null ? `Resume at ${formatDuration(resumeAt)}` : "Watch";
  return (
    <Card withBorder padding="lg" component="article" aria-label={session.title}>
      <Stack gap="sm" h="100%">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Title order={2} size="h4">
            {session.title}
          </Title>
          {completed ? (
            <Badge color="teal" variant="light">
              Completed
            </Badge>
          ) : null}
        </Group>
        <ProductBadges products={session.products} />
        {session.description ? (
          <Text size="sm" c="dimmed" lineClamp={3}>
            {session.description}
          </Text>
        ) : null}
        <Stack gap={4} mt="auto">
          <Text size="xs" c="dimmed">
            {formatDuration(session.durationSeconds)} · {percent}% watched{session.hasCaptions ? " · Captions" : ""}
          </Text>
          <Progress value={percent} color={completed ? "teal" : undefined} aria-label={`${percent}% watched`} />
        </Stack>
        <Button component={Link} to={`/expert-sessions/${session._id}`} variant={completed ? "light" : "filled"}>
          {action}
        </Button>
      </Stack>
    </Card>
  );
}
