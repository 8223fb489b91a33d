import { Avatar, Button, Card, CopyButton, Group, Paper, Stack, Text, Title, Tooltip } from "@mantine/core";
import { useMutation, useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { useParams } from "react-router";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { ConfirmButton } from "../../lib/components/ConfirmButton";
import { DataTable } from "../../lib/components/DataTable";
import { DateTime, DateTimeRange } from "../../lib/components/DateTime";
import { newTabLinkProps } from "../../lib/externalLink";
import { PageHeader } from "../../lib/components/PageHeader";
import { LoadingState } from "../../lib/components/states";
import { useViewer } from "../../lib/useViewer";
import { codedSessionState, CodedSessionStatusBadge } from "./CodedSessionStatusBadge";
import { formatJoinCode } from "./joinCode";
import { CodedSessionTimes } from "./CodedSessionTimes";
import { NotFoundPage } from "../../lib/components/NotFoundPage";

type SessionView = NonNullable<FunctionReturnType<typeof api.codedSessions.get>>;

/**
 * A coded session's page (`/coded-sessions/:sessionId`). The creator and admins see the big join
 * code with a copy button, can make a new code or close the session, and watch participants arrive
 * live; staff who read all sessions see the participants; participants see the session's details
 * (never the code). Anyone else gets "not found".
 */
export function CodedSessionPage() {
  const { sessionId } = useParams();
  const session = useQuery(api.codedSessions.get, { sessionId: sessionId as Id<"codedSessions"> });
  const viewer = useViewer();
  const backTo = viewer.can("codedSessions.create")
    ? { label: "Coded sessions", to: "/teach/coded-sessions" }
    : { label: "My schedule", to: "/schedule" };

  if (session === undefined) return <LoadingState label="Loading session…" />;
  if (session === null) {
    return (
      <NotFoundPage
        title="Session not found"
        breadcrumbs={[backTo]}
        message="This session does not exist"
        description="It may have been removed, or it is not one of yours."
      />
    );
  }
  return (
    <>
      <PageHeader
        title={session.title}
        breadcrumbs={[backTo]}
        badges={<CodedSessionStatusBadge session={session} />}
        description={
          <>
            {session.lecturerName} · started <CodedSessionTimes session={session} />
          </>
        }
      />
      <Stack gap="lg">
        {session.description ? <Text>{session.description}</Text> : null}
        {session.joinedAt !== undefined && !session.canManage ? <ParticipantDetails session={session} /> : null}
        {session.canManage && session.code !== undefined ? <JoinCodePanel session={session} code={session.code} /> : null}
        {session.canSeeParticipants ? <ParticipantList sessionId={session._id} /> : null}
      </Stack>
    </>
  );
}

/**
 * What a participant needs: when the class is and with whom, its status (live through the
 * subscription), and the meeting link and instructions if the lecturer gave them.
 */
function ParticipantDetails({ session }: { session: SessionView }) {
  const state = codedSessionState(session);
  return (
    <Card withBorder padding="md" radius="md">
      <Stack gap="xs">
        <Title order={2} size="h4">
          Your class
        </Title>
        <Text size="sm">
          <Text span fw={600}>
            When:{" "}
          </Text>
          {session.startsAt !== undefined && session.endsAt !== undefined ? (
            <DateTimeRange start={session.startsAt} end={session.endsAt} />
          ) : session.startsAt !== undefined ? (
            <>
              starts <DateTime value={session.startsAt} />
            </>
          ) : session.endsAt !== undefined ? (
            <>
              until <DateTime value={session.endsAt} />
            </>
          ) : (
            "no set time; it runs until your lecturer closes it"
          )}
        </Text>
        <Text size="sm">
          <Text span fw={600}>
            With:{" "}
          </Text>
          {session.lecturerName}
        </Text>
        <Group gap="xs">
          <Text size="sm" fw={600}>
            Status:
          </Text>
          <CodedSessionStatusBadge session={session} />
        </Group>
        {session.meetingUrl !== undefined && state === "open" ? (
          <Group>
            <Button component="a" href={session.meetingUrl} color="green" {...newTabLinkProps(`Open the meeting of ${session.title}`)}>
              Open the meeting
            </Button>
          </Group>
        ) : null}
        {session.instructions !== undefined ? (
          <Stack gap={2}>
            <Text size="sm" fw={600}>
              Instructions
            </Text>
            <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
              {session.instructions}
            </Text>
          </Stack>
        ) : session.meetingUrl === undefined ? (
          <Text size="sm" c="dimmed">
            Your lecturer has not shared a meeting link or instructions; follow them in class.
          </Text>
        ) : null}
        <Text size="xs" c="dimmed">
          You joined <DateTime value={session.joinedAt ?? session.createdAt} />.
        </Text>
      </Stack>
    </Card>
  );
}

/** The big code with copy, new-code and close buttons (creator and admins). */
function JoinCodePanel({ session, code }: { session: SessionView; code: string }) {
  const regenerate = useMutation(api.codedSessions.regenerateCode);
  const close = useMutation(api.codedSessions.close);
  const state = codedSessionState(session);
  const open = state === "open";
  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap="sm" align="center">
        <Text size="sm" c="dimmed" id="join-code-label">
          {open ? "Join code: students enter it on the “Join session” page" : "This session no longer accepts joins"}
        </Text>
        <Text
          aria-labelledby="join-code-label"
          data-testid="join-code"
          fw={700}
          ff="monospace"
          style={{ fontSize: "clamp(2.5rem, 12vw, 5rem)", letterSpacing: "0.15em", lineHeight: 1.1 }}
          c={open ? undefined : "dimmed"}
          td={open ? undefined : "line-through"}
        >
          {formatJoinCode(code)}
        </Text>
        {open ? (
          <Group gap="xs" justify="center">
            <CopyButton value={code} timeout={2000}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? "Copied" : "Copy the code"} withArrow>
                  <Button onClick={copy} color={copied ? "teal" : undefined} variant="light">
                    {copied ? "Copied" : "Copy code"}
                  </Button>
                </Tooltip>
              )}
            </CopyButton>
            <ConfirmButton
              variant="default"
              title="Make a new code?"
              message="The current code stops working at once. People who already joined stay in the session."
              confirmLabel="New code"
              successMessage="New code ready."
              onConfirm={() => regenerate({ sessionId: session._id })}
            >
              New code
            </ConfirmButton>
            <ConfirmButton
              color="red"
              variant="light"
              title="Close this session?"
              message="The code stops working and nobody else can join. Participants keep access to the session's details."
              confirmLabel="Close session"
              successMessage="Session closed."
              onConfirm={() => close({ sessionId: session._id })}
            >
              Close session
            </ConfirmButton>
          </Group>
        ) : null}
      </Stack>
    </Paper>
  );
}

/** Participants, latest arrival first; updates live as people join. */
function ParticipantList({ sessionId }: { sessionId: Id<"codedSessions"> }) {
  const participants = useQuery(api.codedSessions.participants, { sessionId });
  return (
    <Card withBorder padding="md">
      <Stack gap="sm">
        <Title order={2} size="h4" aria-live="polite">
          Participants{participants ? ` (${participants.length})` : ""}
        </Title>
        <DataTable
          rows={participants === null ? [] : participants}
          label="Participants"
          rowKey={(participant) => participant.userId}
          columns={[
            {
              header: "Name",
              cell: (participant) => (
                <Group gap="sm" wrap="nowrap">
                  <Avatar src={participant.imageUrl} name={participant.name} size="sm" color="initials" />
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm">{participant.name}</Text>
                    <Text size="xs" c="dimmed">
                      {participant.email}
                    </Text>
                  </div>
                </Group>
              ),
            },
            { header: "Joined", cell: (participant) => <DateTime value={participant.joinedAt} format="time" /> },
          ]}
          minWidth={360}
          loadingLabel="Loading participants…"
          empty={{ title: "Nobody has joined yet", description: "Participants appear here as soon as they enter the code." }}
        />
      </Stack>
    </Card>
  );
}
