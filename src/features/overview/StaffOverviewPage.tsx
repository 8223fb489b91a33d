import { Anchor, Card, Group, List, SimpleGrid, Stack, Text } from "@mantine/core";
import { useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { Link } from "react-router";
import { api } from "../../../convex/_generated/api";
import { DateTime } from "../../lib/components/DateTime";
import { PageHeader } from "../../lib/components/PageHeader";
import { LoadingState } from "../../lib/components/states";
import { startOfDayInZone, dayInZone } from "../../lib/time";
import { useCurrentMinute } from "../../lib/useCurrentMinute";
import { useViewer } from "../../lib/useViewer";
import { PageSection } from "../../lib/components/PageSection";

type Overview = FunctionReturnType<typeof api.staffOverview.get>;

/** A capped count: the cap itself reads "100+". */
export function formatCount(count: number, cap: number): string {
  return count >= cap ? `${cap}+` : String(count);
}

/** The viewer's today in their zone, as epoch ms `[dayStart, dayEnd)`. */
function todayIn(timeZone: string, now: number): { dayStart: number; dayEnd: number } {
  const day = dayInZone(now, timeZone);
  const dayStart = startOfDayInZone(day, timeZone);
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 36 * 60 * 60 * 1000).toISOString().slice(0, 10);
  return { dayStart, dayEnd: startOfDayInZone(next, timeZone) };
}

/**
 * Overview (`/overview`), the landing page of admins and superadmins (and enrollment managers):
 * today across the business (sessions by kind, live now, starting within the hour) and what needs a
 * person (Discord spaces that failed or wait for capacity, emails not sent, upcoming sessions whose
 * mentor can no longer host), live, each linking to the page where it is fixed.
 */
export function StaffOverviewPage() {
  const { timeZone } = useViewer();
  const now = useCurrentMinute();
  const overview = useQuery(api.staffOverview.get, { ...todayIn(timeZone, now), now });
  return (
    <>
      <PageHeader title="Overview" description="Today across the business and what needs a person. Updates live." />
      {overview === undefined ? <LoadingState label="Loading the overview…" /> : <OverviewContent overview={overview} />}
    </>
  );
}

/** One count with its label, linking to where it is managed when the viewer may open that page. */
function Stat({ label, value, to }: { label: string; value: string; to: string | null }) {
  return (
    <Card withBorder padding="sm" radius="md">
      <Text size="xl" fw={700}>
        {value}
      </Text>
      {to === null ? (
        <Text size="sm">{label}</Text>
      ) : (
        <Anchor component={Link} to={to} size="sm">
          {label}
        </Anchor>
      )}
    </Card>
  );
}

function OverviewContent({ overview }: { overview: Overview }) {
  const viewer = useViewer();
  const { today, needsAttention, countCap } = overview;
  const count = (value: number) => formatCount(value, countCap);
  const attention: { key: string; text: string; to: string; linkText: string }[] = [];
  if (needsAttention.discord !== null) {
    if (needsAttention.discord.failed > 0) {
      attention.push({ key: "discord-failed", text: `${count(needsAttention.discord.failed)} Discord spaces failed`, to: "/manage/discord", linkText: "Retry on the Discord page" });
    }
    if (needsAttention.discord.waitingForCapacity > 0) {
      attention.push({
        key: "discord-waiting",
        text: `${count(needsAttention.discord.waitingForCapacity)} Discord spaces wait for capacity`,
        to: "/manage/discord",
        linkText: "Free room on the Discord page",
      });
    }
  }
  if (needsAttention.emails !== null) {
    const { notSent, failed, bounced } = needsAttention.emails;
    if (notSent + failed + bounced > 0) {
      const parts = [
        notSent > 0 ? `${count(notSent)} not sent` : null,
        failed > 0 ? `${count(failed)} failed` : null,
        bounced > 0 ? `${count(bounced)} bounced` : null,
      ].filter((part) => part !== null);
      attention.push({ key: "emails", text: `Emails: ${parts.join(", ")}`, to: "/manage/outbox", linkText: "Open the email outbox" });
    }
  }
  const orphans = needsAttention.sessionsWithoutMentor;
  if (orphans.length > 0) {
    attention.push({
      key: "mentor",
      text: `${count(orphans.length)} upcoming success sessions have no mentor who can host them`,
      to: "/manage/success-sessions",
      linkText: "Assign a mentor",
    });
  }

  return (
    <Stack gap="xl">
      <PageSection title="Today">
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm">
          <Stat label="Success sessions today" value={count(today.successSessions)} to="/manage/success-sessions" />
          <Stat label="Coaching sessions today" value={count(today.coachingSessions)} to="/manage/coaches" />
          <Stat label="Coded sessions open" value={count(today.openCodedSessions)} to={viewer.can("codedSessions.create") ? "/teach/coded-sessions" : null} />
          <Stat label="Success sessions live now" value={count(today.liveSuccessSessions)} to="/manage/success-sessions" />
          <Stat label="Coaching in progress" value={count(today.coachingInProgress)} to="/manage/coaches" />
        </SimpleGrid>
      </PageSection>

      <PageSection title="Starting within the hour">
        {today.startingSoon.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing starts within the next hour.
          </Text>
        ) : (
          <List spacing={4}>
            {today.startingSoon.map((item) => (
              <List.Item key={`${item.kind}-${item.id}`}>
                <Group gap={6} wrap="wrap">
                  <DateTime value={item.startsAt} format="time" />
                  <Anchor component={Link} to={item.path}>
                    {item.title}
                  </Anchor>
                </Group>
              </List.Item>
            ))}
          </List>
        )}
      </PageSection>

      <PageSection title="Needs a person">
        {attention.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing needs a person right now.
          </Text>
        ) : (
          <Stack gap="xs">
            {attention.map((entry) => (
              <Card key={entry.key} withBorder padding="sm" radius="md">
                <Group justify="space-between" gap="xs">
                  <Text size="sm" fw={500}>
                    {entry.text}
                  </Text>
                  <Anchor component={Link} to={entry.to} size="sm">
                    {entry.linkText}
                  </Anchor>
                </Group>
                {entry.key === "mentor" ? (
                  <List size="sm" mt={4}>
                    {orphans.slice(0, 5).map((session) => (
                      <List.Item key={session.id}>
                        {session.title} · <DateTime value={session.startsAt} />
                      </List.Item>
                    ))}
                  </List>
                ) : null}
              </Card>
            ))}
          </Stack>
        )}
      </PageSection>
    </Stack>
  );
}
