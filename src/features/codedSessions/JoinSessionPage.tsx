import { Alert, Anchor, Button, Card, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { useCallback, useEffect, useState } from "react";
import { Link, useNavigate } from "react-router";
import { api } from "../../../convex/_generated/api";
import { DateTime } from "../../lib/components/DateTime";
import { DataTable } from "../../lib/components/DataTable";
import { PageHeader } from "../../lib/components/PageHeader";
import { appErrorData, errorMessage } from "../../lib/errors";
import { notifySuccess } from "../../lib/notify";
import { CodedSessionStatusBadge } from "./CodedSessionStatusBadge";
import { compactJoinCode, joinCodeProblem } from "./joinCode";
import { SubmitForm } from "../../lib/components/SubmitForm";
import { ErrorText } from "../../lib/components/ErrorText";
import { CodedSessionTimes } from "./CodedSessionTimes";

type LookupResult = FunctionReturnType<typeof api.codedSessions.previewByCode>;
type FoundSession = Extract<LookupResult, { status: "found" }>["session"];

/**
 * A countdown in whole seconds: `start(seconds)` begins it; the value ticks down every second and
 * stays 0 when none is running.
 */
function useCountdown(): [number, (seconds: number) => void] {
  const [clock, setClock] = useState<{ until: number; now: number } | null>(null);
  useEffect(() => {
    if (clock === null || clock.now >= clock.until) return;
    const timer = setTimeout(() => setClock({ until: clock.until, now: Date.now() }), 1000);
    return () => clearTimeout(timer);
  }, [clock]);
  const start = useCallback((seconds: number) => {
    const now = Date.now();
    setClock({ until: now + seconds * 1000, now });
  }, []);
  return [clock === null ? 0 : Math.max(0, Math.ceil((clock.until - clock.now) / 1000)), start];
}

/**
 * "Join session" (`/join`): the student types the code the lecturer shows, sees the session's title,
 * lecturer and time, and confirms. Wrong codes are counted by the server; after too many the page
 * shows how many seconds to wait. Below: the sessions the user joined before.
 */
export function JoinSessionPage() {
  return (
    <>
      <PageHeader title="Join session" description="Enter the code your lecturer shows to join a live class." />
      <Stack gap="lg" maw={560}>
        <JoinByCodeForm />
        <JoinedSessions />
      </Stack>
    </>
  );
}

/**
 * The join-by-code form: checks the code, shows the session found, joins it and opens its page.
 * `compact` (the box on My schedule) uses a normal-sized input without the help text.
 */
export function JoinByCodeForm({ compact = false }: { compact?: boolean }) {
  const previewByCode = useMutation(api.codedSessions.previewByCode);
  const joinByCode = useMutation(api.codedSessions.joinByCode);
  const navigate = useNavigate();
  const [code, setCode] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [preview, setPreview] = useState<FoundSession | null>(null);
  const [busy, setBusy] = useState(false);
  const [secondsToWait, startCountdown] = useCountdown();
  const throttled = secondsToWait > 0;

  /** Shows a thrown error: a countdown for RATE_LIMITED, else the server's message under the input. */
  const handleFailure = (error: unknown) => {
    const data = appErrorData(error);
    const retryAfterSeconds = data?.details?.retryAfterSeconds;
    if (data?.code === "RATE_LIMITED" && typeof retryAfterSeconds === "number") {
      startCountdown(retryAfterSeconds);
      setProblem(null);
      return;
    }
    setProblem(errorMessage(error));
  };

  const findSession = async () => {
    const localProblem = joinCodeProblem(code);
    if (localProblem !== null) {
      setProblem(localProblem);
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const result = await previewByCode({ code: compactJoinCode(code) });
      if (result.status === "found") setPreview(result.session);
      else setProblem(result.status === "wrong_code" ? result.message : null);
    } catch (error) {
      handleFailure(error);
    } finally {
      setBusy(false);
    }
  };

  const join = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const result = await joinByCode({ code: compactJoinCode(code) });
      if (result.status === "joined") {
        notifySuccess(result.alreadyJoined ? "You had already joined this session." : `You joined "${result.session.title}".`);
        void navigate(`/coded-sessions/${result.session._id}`);
      } else if (result.status === "wrong_code") {
        setPreview(null);
        setProblem(result.message);
      }
    } catch (error) {
      setPreview(null);
      handleFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
        {preview === null ? (
          <SubmitForm onSubmit={findSession}>
            <Stack gap="sm">
              <TextInput
                label="Join code"
                placeholder="e.g. 7K3-QX9"
                description={compact ? undefined : "Letters and digits; upper or lower case, spaces and dashes are fine."}
                value={code}
                onChange={(event) => {
                  setCode(event.currentTarget.value);
                  setProblem(null);
                }}
                error={problem ?? undefined}
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                size={compact ? "md" : "lg"}
                // The entered code is spaced out and upper case like the lecturer's screen; the
                // placeholder ("e.g. …") stays ordinary text.
                styles={{ input: code === "" ? { fontFamily: "monospace" } : ENTERED_CODE_STYLE }}
                data-autofocus={compact ? undefined : true}
              />
              {throttled ? (
                <Alert color="orange" role="status" variant="light">
                  Too many wrong codes. Try again in {secondsToWait} s.
                </Alert>
              ) : null}
              <Group>
                <Button type="submit" loading={busy} disabled={throttled}>
                  Find session
                </Button>
              </Group>
            </Stack>
          </SubmitForm>
        ) : (
          <Card withBorder padding="lg" component="section" aria-label="Session found">
            <Stack gap="sm">
              <Group justify="space-between" align="flex-start">
                <Title order={2} size="h3">
                  {preview.title}
                </Title>
                <CodedSessionStatusBadge session={preview} />
              </Group>
              <Text size="sm">
                Lecturer: <strong>{preview.lecturerName}</strong>
              </Text>
              <Text size="sm" c="dimmed">
                Started <CodedSessionTimes session={preview} />
              </Text>
              {preview.description ? <Text size="sm">{preview.description}</Text> : null}
              <ErrorText error={problem} />
              <Group gap="xs">
                <Button onClick={() => void join()} loading={busy}>
                  Join session
                </Button>
                <Button
                  variant="default"
                  disabled={busy}
                  onClick={() => {
                    setPreview(null);
                    setProblem(null);
                  }}
                >
                  Use another code
                </Button>
              </Group>
            </Stack>
          </Card>
        )}
    </>
  );
}

const ENTERED_CODE_STYLE = { fontFamily: "monospace", letterSpacing: "0.2em", textTransform: "uppercase" } as const;

/** The sessions the user joined before, latest first. */
function JoinedSessions() {
  const joined = useQuery(api.codedSessions.listJoined, {});
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        Sessions you joined
      </Title>
      <DataTable
          rows={joined}
          label="Sessions you joined"
          columns={[
            {
              header: "Session",
              cell: (session) => (
                <Anchor component={Link} to={`/coded-sessions/${session._id}`}>
                  {session.title}
                </Anchor>
              ),
            },
            { header: "Lecturer", cell: (session) => session.lecturerName },
            { header: "Joined", cell: (session) => <DateTime value={session.joinedAt} /> },
          ]}
          minWidth={420}
          loadingLabel="Loading your sessions…"
          empty={{ title: "You have not joined a session yet" }}
        />
    </Stack>
  );
}
