import { Badge, Button, Group, Select, Stack, Text } from "@mantine/core";
import { useMutation, useQuery } from "convex/react";
import { useState } from "react";
import { Link } from "react-router";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { ConfirmButton } from "../../lib/components/ConfirmButton";
import { PageHeader } from "../../lib/components/PageHeader";
import { DataTable } from "../../lib/components/DataTable";
import { useViewer } from "../../lib/useViewer";
import { formatDuration } from "./videoFiles";
import { TitleCell } from "../../lib/components/TitleCell";
import { ProductBadges } from "./ExpertSessionParts";

/**
 * Staff "Expert sessions" (`/manage/expert-sessions`): every recorded session with its products as
 * badges, a product filter, and per-session statistics (started, completed, completion rate,
 * average watched). Admins also create, edit and delete (soft delete, with confirmation).
 */
export function StaffExpertSessionsPage() {
  const viewer = useViewer();
  const canManage = viewer.can("expertSessions.manage");
  const [productId, setProductId] = useState<string | null>(null);
  const products = useQuery(api.catalog.listProducts, { includeArchived: true });
  const sessions = useQuery(
    api.expertSessions.listForStaff,
    productId === null ? {} : { productId: productId as Id<"products"> },
  );
  const remove = useMutation(api.expertSessions.remove);
  const newButton = canManage ? (
    <Button component={Link} to="/manage/expert-sessions/new">
      New expert session
    </Button>
  ) : undefined;

  return (
    <>
      <PageHeader
        title="Expert sessions"
        description="Recorded talks, each assigned to one or more products."
        actions={newButton}
      />
      <Select
        label="Product"
        placeholder="All products"
        clearable
        searchable
        maw={360}
        mb="md"
        data={(products ?? []).map((product) => ({ value: product._id, label: product.title }))}
        value={productId}
        onChange={setProductId}
      />
      <DataTable
        rows={sessions}
        label="Expert sessions"
        columns={[
          {
            header: "Session",
            cell: (session) => (
              <TitleCell
                title={session.title}
                to={canManage ? `/manage/expert-sessions/${session._id}/edit` : undefined}
                detail={session.description}
                detailLines={1}
              />
            ),
          },
          {
            header: "Products",
            cell: (session) => <ProductBadges products={session.products} />,
          },
          {
            header: "Video",
            cell: (session) =>
              session.hasVideo && session.durationSeconds !== undefined ? (
                <Text size="sm">
                  {formatDuration(session.durationSeconds)}
                  {session.hasCaptions ? " · Captions" : ""}
                </Text>
              ) : (
                <Badge color="yellow" variant="light">
                  Video not uploaded yet
                </Badge>
              ),
          },
          {
            header: "Visibility",
            cell: (session) => (
              <Badge color={session.active ? "green" : "gray"} variant="light">
                {session.active ? "Published" : "Draft"}
              </Badge>
            ),
          },
          {
            header: "Statistics",
            cell: (session) => <SessionStats expertSessionId={session._id} durationSeconds={session.durationSeconds} />,
          },
          canManage && {
            header: "Actions",
            actions: true,
            cell: (session) => (
              <Group gap="xs" wrap="nowrap">
                <Button
                  size="xs"
                  variant="default"
                  component={Link}
                  to={`/manage/expert-sessions/${session._id}/edit`}
                  aria-label={`Edit ${session.title}`}
                >
                  Edit
                </Button>
                <ConfirmButton
                  size="xs"
                  variant="light"
                  color="red"
                  aria-label={`Delete ${session.title}`}
                  title={`Delete "${session.title}"?`}
                  message="Students stop seeing it at once. Their progress is kept."
                  confirmLabel="Delete"
                  successMessage="Expert session deleted."
                  onConfirm={() => remove({ expertSessionId: session._id })}
                >
                  Delete
                </ConfirmButton>
              </Group>
            ),
          },
        ]}
        minWidth={820}
        loadingLabel="Loading expert sessions…"
        empty={{
          title: productId === null ? "No expert sessions yet" : "No expert sessions for this product",
          action: productId === null ? newButton : undefined,
        }}
      />
    </>
  );
}

/** "3 started · 1 completed (33%) · 4:10 watched on average" for one session (live). */
function SessionStats({
  expertSessionId,
  durationSeconds,
}: {
  expertSessionId: Id<"expertSessions">;
  durationSeconds: number | undefined;
}) {
  const stats = useQuery(api.expertSessions.stats, { expertSessionId });
  if (stats === undefined) return <Text size="xs" c="dimmed">Loading…</Text>;
  if (stats.started === 0) return <Text size="sm" c="dimmed">Not started yet</Text>;
  const averageShare =
    durationSeconds !== undefined && durationSeconds > 0 ? ` (${Math.round((stats.averageSecondsWatched / durationSeconds) * 100)}%)` : "";
  return (
    <Stack gap={0}>
      <Text size="sm">
        {stats.started} started · {stats.completed} completed ({Math.round(stats.completionRate * 100)}%)
      </Text>
      <Text size="xs" c="dimmed">
        {formatDuration(stats.averageSecondsWatched)} watched on average{averageShare}
        {stats.truncated ? " · counted over the first students only" : ""}
      </Text>
    </Stack>
  );
}
