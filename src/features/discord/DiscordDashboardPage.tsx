import { Alert, Anchor, Badge, Button, Card, Code, Group, List, Progress, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useMutation, usePaginatedQuery, useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { useState } from "react";
import { api } from "../../../convex/_generated/api";
import type { ProvisioningState } from "../../../convex/tables/coaching";
import { ConfirmButton } from "../../lib/components/ConfirmButton";
import { DateTime, DateTimeRange } from "../../lib/components/DateTime";
import { PageHeader } from "../../lib/components/PageHeader";
import { LoadingState, QueryBoundary } from "../../lib/components/states";
import { notifySuccess, runWithFeedback } from "../../lib/notify";
import { useNow } from "../successSessions/sessionText";
import { describeProvisioning, isSessionOver, PROVISIONING_STATES, type CoachingSessionView } from "../coaching/coachingText";
import { CoachingStatusBadge, ProvisioningBadge } from "../coaching/SessionParts";
import { PaginatedTable } from "../../lib/components/DataTable";
import { newTabLinkProps } from "../../lib/externalLink";
import { useListClock } from "../../lib/useCurrentMinute";
import { TitleCell } from "../../lib/components/TitleCell";
import { ALL, FilterSelect } from "../../lib/components/FilterSelect";
import { PageSection } from "../../lib/components/PageSection";

/**
 * Admin "Discord" dashboard (`/manage/discord`, permission `discord.manage`, SPEC §6): whether
 * Discord is configured, guild capacity (roles and channels used of Discord's limits, channels in
 * the session category), every coaching session's provisioning state with attempts and last error
 * (filterable by state, a page at a time), Retry for failed sessions, Cleanup per finished session,
 * "Clean up all finished", and the last reconciliation report with "Run reconciliation". Live.
 */

const PAGE_SIZE = 25;

type Overview = FunctionReturnType<typeof api.discordAdmin.overview>;

export function DiscordDashboardPage() {
  const overview = useQuery(api.discordAdmin.overview, {});
  return (
    <>
      <PageHeader
        title="Discord"
        description="Private voice channels of coaching sessions: capacity, provisioning, cleanup and reconciliation."
        actions={overview !== undefined ? <DashboardActions overview={overview} /> : undefined}
      />
      {overview === undefined ? (
        <LoadingState label="Loading the Discord overview…" />
      ) : (
        <Stack gap="xl">
          <ConfigurationSummary overview={overview} />
          <CapacitySection overview={overview} />
          <ReconciliationSection overview={overview} />
          <QueryBoundary>
            <SessionsSection overview={overview} />
          </QueryBoundary>
        </Stack>
      )}
    </>
  );
}

function DashboardActions({ overview }: { overview: Overview }) {
  const cleanupFinished = useMutation(api.discordAdmin.cleanupFinished);
  const runReconciliation = useMutation(api.discordAdmin.runReconciliation);
  const [reconciling, setReconciling] = useState(false);
  return (
    <>
      <ConfirmButton
        variant="default"
        title="Clean up all finished sessions?"
        message="Deletes the private channel and role of every cancelled, completed or ended session that still has them in Discord."
        confirmLabel="Clean up"
        onConfirm={async () => {
          const count = await cleanupFinished({});
          notifySuccess(count === 0 ? "Nothing to clean up: no finished session holds Discord resources." : `Cleanup started for ${count} session${count === 1 ? "" : "s"}.`);
        }}
      >
        Clean up all finished
      </ConfirmButton>
      <Button
        loading={reconciling}
        disabled={!overview.configured}
        title={overview.configured ? undefined : "Configure Discord first"}
        onClick={() => {
          setReconciling(true);
          void runWithFeedback(() => runReconciliation({}), "Reconciliation started; its report appears below when it finishes.").finally(() =>
            setReconciling(false),
          );
        }}
      >
        Run reconciliation
      </Button>
    </>
  );
}

function ConfigurationSummary({ overview }: { overview: Overview }) {
  if (!overview.configured) {
    return (
      <Alert color="yellow" title="Discord is not configured" role="status">
        Bookings still work, and their sessions show “Discord not configured”. Set <Code>DISCORD_BOT_TOKEN</Code>,{" "}
        <Code>DISCORD_GUILD_ID</Code> and <Code>DISCORD_BOT_USER_ID</Code> (optionally <Code>DISCORD_CATEGORY_ID</Code>) on the
        deployment, then retry the sessions that should get a channel.
      </Alert>
    );
  }
  const lead = overview.provisionLeadMinutes;
  // A standing notice, not an alert: nothing happened that a screen reader must interrupt for.
  return (
    <Alert color="green" title="Discord is configured" role="status">
      <Stack gap={4}>
        <Text size="sm">
          Coaching sessions get a private voice channel on your Discord server
          {overview.categoryId !== null ? ", in the session category" : ", outside any category"}. Channels are created{" "}
          {lead % 60 === 0 ? `${lead / 60} hour${lead === 60 ? "" : "s"}` : `${lead} minutes`} before a session (at once for
          sessions booked closer than that).
        </Text>
        {overview.guildId !== null ? (
          <Text size="xs" c="dimmed">
            <Anchor href={`https://discord.com/channels/${overview.guildId}`} size="xs" {...newTabLinkProps("Open the server in Discord")}>
              Open the server in Discord
            </Anchor>{" "}
            · server ID {overview.guildId}
            {overview.categoryId !== null ? ` · category ID ${overview.categoryId}` : ""}
          </Text>
        ) : null}
      </Stack>
    </Alert>
  );
}

function CapacityMeter({ label, used, limit, ours }: { label: string; used: number; limit: number; ours: number }) {
  const ratio = limit === 0 ? 0 : used / limit;
  const color = ratio >= 0.9 ? "red" : ratio >= 0.75 ? "yellow" : "teal";
  return (
    <Card withBorder padding="md" radius="md">
      <Stack gap={6}>
        <Group justify="space-between" gap="xs">
          <Text fw={500}>{label}</Text>
          <Text size="sm" data-testid={`capacity-${label}`}>
            {used} of {limit}
          </Text>
        </Group>
        <Progress value={Math.min(100, ratio * 100)} color={color} aria-label={`${label}: ${used} of ${limit} used`} />
        <Text size="xs" c="dimmed">
          {ours} used by coaching sessions, {used - ours} by the rest of the server
        </Text>
      </Stack>
    </Card>
  );
}

function CapacitySection({ overview }: { overview: Overview }) {
  const { capacity } = overview;
  return (
    <PageSection title="Capacity">
      <SimpleGrid cols={{ base: 1, sm: capacity.category ? 3 : 2 }} spacing="sm">
        <CapacityMeter label="Roles" {...capacity.roles} />
        <CapacityMeter label="Channels" {...capacity.channels} />
        {capacity.category ? <CapacityMeter label="Channels in the category" {...capacity.category} /> : null}
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="xs">
        The rest of the server's share comes from the last reconciliation. When a limit is reached, new sessions wait
        (“Waiting for capacity”) until cleanup frees room.
      </Text>
    </PageSection>
  );
}

function ReconciliationSection({ overview }: { overview: Overview }) {
  const report = overview.lastReconciliation;
  return (
    <PageSection title="Last reconciliation">
      {report === null ? (
        <Text size="sm" c="dimmed">
          No reconciliation has run yet. It runs every hour, or now with “Run reconciliation”.
        </Text>
      ) : (
        <Card withBorder padding="md" radius="md">
          <Stack gap="xs">
            <Group gap="xs">
              <Badge
                variant="light"
                color={report.outcome === "ok" ? "green" : report.outcome === "partial" ? "yellow" : report.outcome === "failed" ? "red" : "gray"}
              >
                {report.outcome === "ok" ? "Completed" : report.outcome === "partial" ? "Partly completed" : report.outcome === "failed" ? "Failed" : "Discord not configured"}
              </Badge>
              <Text size="sm">
                Finished <DateTime value={report.finishedAt} /> ({report.trigger === "cron" ? "hourly job" : "started by an admin"})
              </Text>
            </Group>
            <Text size="sm">
              {report.deletedRoles.length === 0 && report.deletedChannels.length === 0
                ? "No orphaned roles or channels were found."
                : `Removed ${report.deletedChannels.length} orphaned channel${report.deletedChannels.length === 1 ? "" : "s"} and ${report.deletedRoles.length} orphaned role${report.deletedRoles.length === 1 ? "" : "s"}.`}
              {report.outcome !== "not_configured"
                ? ` The server had ${report.guildRoleCount} roles and ${report.guildChannelCount} channels.`
                : null}
            </Text>
            {report.deletedChannels.length + report.deletedRoles.length > 0 ? (
              <List size="sm" spacing={2}>
                {report.deletedChannels.map((channel) => (
                  <List.Item key={`channel-${channel.id}`}>
                    Channel <Code>{channel.name}</Code> ({channel.id})
                  </List.Item>
                ))}
                {report.deletedRoles.map((role) => (
                  <List.Item key={`role-${role.id}`}>
                    Role <Code>{role.name}</Code> ({role.id})
                  </List.Item>
                ))}
              </List>
            ) : null}
            {report.errors.length > 0 ? (
              <Alert color="red" variant="light" title="Problems">
                <List size="sm" spacing={2}>
                  {report.errors.map((error, index) => (
                    <List.Item key={index}>{error}</List.Item>
                  ))}
                </List>
              </Alert>
            ) : null}
          </Stack>
        </Card>
      )}
    </PageSection>
  );
}

function SessionsSection({ overview }: { overview: Overview }) {
  const [stateFilter, setStateFilter] = useState<string>(ALL);
  // The rows shown here do not depend on the time (the view's actions do, and are not shown), so the
  // clock stays at the minute the page opened and the list never reloads because time passed.
  const [queryNow] = useListClock();
  const sessions = usePaginatedQuery(
    api.discordAdmin.listSessions,
    stateFilter === ALL ? { now: queryNow } : { state: stateFilter as ProvisioningState, now: queryNow },
    { initialNumItems: PAGE_SIZE },
  );
  const now = useNow();
  const count = (state: ProvisioningState): string | undefined => {
    if (!(state in overview.stateCounts)) return undefined;
    const value = overview.stateCounts[state as keyof typeof overview.stateCounts];
    return value >= overview.stateCountCap ? `${overview.stateCountCap}+` : String(value);
  };

  return (
    <section aria-labelledby="discord-sessions-heading">
      <Group justify="space-between" align="flex-end" mb="sm" gap="sm">
        <Title order={2} size="h4" id="discord-sessions-heading">
          Sessions
        </Title>
        <FilterSelect
          label="Discord state"
          allLabel="All sessions"
          options={PROVISIONING_STATES.map((state) => ({
            value: state,
            label: `${describeProvisioning(state, "admin").label}${count(state) !== undefined ? ` (${count(state)})` : ""}`,
          }))}
          value={stateFilter}
          onChange={setStateFilter}
          w={{ base: "100%", xs: 260 }}
        />
      </Group>
      <PaginatedTable
        rows={sessions}
        pageSize={PAGE_SIZE}
        label="Coaching sessions and their Discord state"
        columns={[
          {
            header: "Session",
            cell: (session) => (
              <TitleCell
                title={`${session.student.name} → ${session.coach.name}`}
                size="sm"
                detail={
                  <>
                    {session.productTitle}
                    {!session.student.discordLinked ? " · student not linked" : ""}
                    {!session.coach.discordLinked ? " · coach not linked" : ""}
                  </>
                }
              />
            ),
          },
          {
            header: "Time",
            cell: (session) => (
              <Text size="sm">
                <DateTimeRange start={session.startTime} end={session.endTime} />
              </Text>
            ),
          },
          { header: "Status", cell: (session) => <CoachingStatusBadge status={session.status} /> },
          { header: "Discord", cell: (session) => <DiscordState session={session} now={now} /> },
          // Only while a shown session offers an action: an always-empty column tells nobody anything.
          sessions.results.some((session) => sessionActions(session, now).length > 0) && {
            header: "Actions",
            actions: true,
            cell: (session) => <SessionActions session={session} now={now} />,
          },
        ]}
        minWidth={900}
        loadingLabel="Loading sessions…"
        empty={{
          title: stateFilter === ALL ? "No coaching sessions yet" : "No sessions in this state",
          description: stateFilter === ALL ? "Sessions appear here as soon as students book coaching." : "Try another state.",
        }}
      />
    </section>
  );
}

/** States in which a finished session may still hold a channel or role worth deleting. */
const CLEANABLE: ProvisioningState[] = ["pending", "waiting_for_window", "provisioning", "ready", "failed"];

function sessionName(session: CoachingSessionView): string {
  return `${session.student.name} with ${session.coach.name}`;
}

/** What an admin can do with the session now: retry a failed run, clean up a finished session. */
function sessionActions(session: CoachingSessionView, now: number): ("retry" | "cleanup")[] {
  return [
    ...(session.provisioningState === "failed" ? (["retry"] as const) : []),
    ...(isSessionOver(session, now) && CLEANABLE.includes(session.provisioningState) ? (["cleanup"] as const) : []),
  ];
}

/** The session's provisioning state, failed attempts, next attempt, last error and channel link. */
function DiscordState({ session, now }: { session: CoachingSessionView; now: number }) {
  return (
    <Stack gap={2}>
      <Group gap={6}>
        <ProvisioningBadge state={session.provisioningState} audience="admin" />
        {session.provisioningAttempts > 0 ? (
          <Text size="xs" c="dimmed">
            {session.provisioningAttempts === 1 ? "1 failed attempt" : `${session.provisioningAttempts} failed attempts`}
          </Text>
        ) : null}
      </Group>
      {session.provisioningNextAttemptAt !== null && session.provisioningNextAttemptAt > now ? (
        <Text size="xs" c="dimmed">
          Next attempt <DateTime value={session.provisioningNextAttemptAt} />
        </Text>
      ) : null}
      {session.provisioningLastError !== null ? (
        <Text size="xs" c="red" style={{ wordBreak: "break-word" }}>
          {session.provisioningLastError}
        </Text>
      ) : null}
      {session.discordChannelUrl !== null ? (
        <Anchor href={session.discordChannelUrl} size="xs" {...newTabLinkProps(`Open channel of ${sessionName(session)}`)}>
          Open channel
        </Anchor>
      ) : null}
    </Stack>
  );
}

/** Retry (failed sessions) and Clean up (finished sessions still holding Discord resources). */
function SessionActions({ session, now }: { session: CoachingSessionView; now: number }) {
  const retry = useMutation(api.discordAdmin.retry);
  const cleanup = useMutation(api.discordAdmin.cleanup);
  const [retrying, setRetrying] = useState(false);
  const name = sessionName(session);
  const actions = sessionActions(session, now);
  if (actions.length === 0) return null;
  return (
    <Group gap="xs" wrap="nowrap">
      {actions.includes("retry") ? (
        <Button
          size="xs"
          variant="light"
          loading={retrying}
          aria-label={`Retry ${name}`}
          onClick={() => {
            setRetrying(true);
            void runWithFeedback(async () => {
              const what = await retry({ sessionId: session._id });
              notifySuccess(what === "cleanup" ? "Cleanup scheduled again." : "Provisioning scheduled again.");
            }).finally(() => setRetrying(false));
          }}
        >
          Retry
        </Button>
      ) : null}
      {actions.includes("cleanup") ? (
        <ConfirmButton
          size="xs"
          variant="subtle"
          color="red"
          title="Clean up this session's Discord space?"
          message={`Deletes the private channel and role of ${name} now.`}
          confirmLabel="Clean up"
          aria-label={`Clean up ${name}`}
          onConfirm={() => cleanup({ sessionId: session._id })}
          successMessage="Cleanup started."
        >
          Clean up
        </ConfirmButton>
      ) : null}
    </Group>
  );
}
