import { Card, Stack, Switch, Text, Title } from "@mantine/core";
import { useMutation, useQuery } from "convex/react";
import { useState } from "react";
import { api } from "../../../convex/_generated/api";
import { LoadingState } from "../../lib/components/states";
import { runWithFeedback } from "../../lib/notify";

/**
 * Profile section "Emails" for people who host success sessions: the switch for the attendance
 * summary each mentor gets after a session (`emailPreferences.setAttendanceSummaries`). Renders
 * nothing for people who host no sessions.
 */
export function EmailPreferencesCard() {
  const preferences = useQuery(api.emailPreferences.mine, {});
  const setAttendanceSummaries = useMutation(api.emailPreferences.setAttendanceSummaries);
  const [saving, setSaving] = useState(false);
  if (preferences !== undefined && !preferences.hostsSessions) return null;
  return (
    <Card withBorder component="section" aria-labelledby="email-preferences-title">
      <Title order={2} size="h4" id="email-preferences-title" mb="sm">
        Emails
      </Title>
      {preferences === undefined ? (
        <LoadingState label="Loading your email settings…" />
      ) : (
        <Stack gap="xs">
          <Switch
            label="Attendance summary after each session I host"
            description="Who attended, who was late and who was absent, with a link to the attendance report."
            checked={preferences.attendanceSummaries}
            disabled={saving}
            onChange={(event) => {
              const enabled = event.currentTarget.checked;
              setSaving(true);
              void runWithFeedback(
                () => setAttendanceSummaries({ enabled }),
                enabled ? "Attendance summaries turned on." : "Attendance summaries turned off.",
              ).finally(() => setSaving(false));
            }}
          />
          <Text size="xs" c="dimmed">
            Session invitations, changes and reminders are always sent.
          </Text>
        </Stack>
      )}
    </Card>
  );
}
