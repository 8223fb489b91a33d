import { Badge, Button, Group, Stack, Text, type ButtonProps } from "@mantine/core";
import type { CoachingSessionStatus, ProvisioningState } from "../../../convex/tables/coaching";
import { DateTime, DateTimeRange } from "../../lib/components/DateTime";
import type { ReactNode } from "react";
import { describeProvisioning, SESSION_STATUS_LABELS, type Audience, type CoachingSessionView } from "./coachingText";
import { newTabLinkProps } from "../../lib/externalLink";

/** Pieces every coaching session view shares: status badge, Discord state in words, "Open in Discord", the top of a session card. */

/** The session's status (Scheduled, In progress, Completed, Cancelled) as a coloured badge. */
export function CoachingStatusBadge({ status }: { status: CoachingSessionStatus }) {
  const { label, color } = SESSION_STATUS_LABELS[status];
  return (
    <Badge color={color} variant="light">
      {label}
    </Badge>
  );
}

/** The Discord provisioning state as a small badge (dashboard tables). */
export function ProvisioningBadge({ state, audience }: { state: ProvisioningState; audience: Audience }) {
  const { label, color } = describeProvisioning(state, audience);
  return (
    <Badge color={color} variant="light" style={{ textTransform: "none" }}>
      {label}
    </Badge>
  );
}

/**
 * The session's Discord state in a sentence, with what happens next. A pending session whose
 * private channel is created later (the provisioning window opens some time before the session)
 * says when: "Discord: Your private Discord channel will be set up on Sat, Dec 5, 2026, 14:00", not
 * "Preparing…", which would read as work in progress.
 * @param now epoch milliseconds (the page's current minute).
 */
export function ProvisioningStatus({
  session,
  audience,
  now,
}: {
  session: Pick<CoachingSessionView, "provisioningState" | "provisioningNextAttemptAt" | "status">;
  audience: Audience;
  now: number;
}) {
  const state = session.provisioningState;
  const { label, color, explanation } = describeProvisioning(state, audience);
  const setUpAt =
    state === "pending" && session.provisioningNextAttemptAt !== null && session.provisioningNextAttemptAt > now + 60_000
      ? session.provisioningNextAttemptAt
      : null;
  return (
    <Stack gap={0}>
      <Group gap={6} wrap="nowrap" align="baseline">
        <Text size="sm" c="dimmed" span>
          Discord:
        </Text>
        <Text size="sm" fw={500} c={color === "gray" || color === "blue" ? undefined : color} span data-testid="provisioning-state">
          {setUpAt !== null ? (
            <>
              {audience === "student" ? "Your" : "The"} private Discord channel will be set up on <DateTime value={setUpAt} />
            </>
          ) : (
            label
          )}
        </Text>
      </Group>
      {setUpAt === null && explanation !== undefined ? (
        <Text size="xs" c="dimmed">
          {explanation}
        </Text>
      ) : null}
    </Stack>
  );
}

/**
 * A real link to the session's private voice channel (opens Discord in a new tab).
 * @param label the spoken name; start it with the visible "Open in Discord" so people who steer by
 *   voice can say what they see ("Open in Discord: the session with Amira Student").
 */
export function OpenInDiscordButton({
  url,
  label,
  ...buttonProps
}: Omit<ButtonProps, "component"> & { url: string; label: string }) {
  return (
    <Button
      component="a"
      href={url}
      color="indigo"
      {...newTabLinkProps(label)}
      {...buttonProps}
    >
      Open in Discord
    </Button>
  );
}

/** "Late cancellation" / "No-show" under a session, when it ended that way (issue #15). */
export function SessionOutcome({ session }: { session: Pick<CoachingSessionView, "lateCancellation" | "noShow" | "rescheduleCount"> }) {
  const parts = [
    session.lateCancellation ? "Late cancellation" : null,
    session.noShow ? "No-show" : null,
    session.rescheduleCount > 0 ? `Moved ${session.rescheduleCount === 1 ? "once" : `${session.rescheduleCount} times`}` : null,
  ].filter((part) => part !== null);
  if (parts.length === 0) return null;
  return (
    <Text size="xs" c={session.lateCancellation || session.noShow ? "orange.8" : "dimmed"}>
      {parts.join(" · ")}
    </Text>
  );
}

/**
 * The top of a coaching session's card: `heading` (the other person, or the product) with the
 * session's status, when it is (in the viewer's zone; `otherZone`, the other person's zone, on
 * hover), a dimmed `detail` line and how it ended ({@link SessionOutcome}).
 */
export function SessionSummary({
  session,
  heading,
  otherZone,
  detail,
}: {
  session: CoachingSessionView;
  heading: string;
  otherZone: string | null;
  detail: ReactNode;
}) {
  return (
    <Stack gap={2}>
      <Group gap="xs">
        <Text fw={600}>{heading}</Text>
        <CoachingStatusBadge status={session.status} />
      </Group>
      <Text size="sm">
        <DateTimeRange start={session.startTime} end={session.endTime} otherZone={otherZone ?? undefined} />
      </Text>
      <Text size="sm" c="dimmed">
        {detail}
      </Text>
      <SessionOutcome session={session} />
    </Stack>
  );
}
