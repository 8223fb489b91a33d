import { Badge, Button, Card, Group, Select, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery } from "convex/react";
import { useMemo, useState } from "react";
import { api } from "../../../convex/_generated/api";
import { ROLE_LABELS } from "../../lib/access";
import { DateTime } from "../../lib/components/DateTime";
import { PageHeader } from "../../lib/components/PageHeader";
import { notifySuccess } from "../../lib/notify";
import { allTimeZones, browserTimeZone, sameTimeZone } from "../../lib/time";
import { useViewer, type CurrentUser } from "../../lib/useViewer";
import { useDiscordLinkReturn } from "../discord/DiscordLinkActions";
import { discordAccountActions, profileSections } from "./extensions";
import { useServerCall } from "../../lib/useServerCall";

/**
 * The signed-in user's profile: name, email and roles (from the sign-in provider and the
 * superadmins), the time zone every time in the app is shown in, and linked accounts (Discord).
 */
export function ProfilePage() {
  const { user } = useViewer();
  return (
    <>
      <PageHeader title="Profile" description="Your account, your time zone and your linked accounts." />
      <Stack gap="lg" maw={720}>
        <Card withBorder component="section" aria-labelledby="profile-account">
          <Title order={2} size="h4" id="profile-account" mb="sm">
            Account
          </Title>
          <Stack gap={6}>
            <Text>
              <Text span c="dimmed">
                Name:{" "}
              </Text>
              {user.name}
            </Text>
            <Text>
              <Text span c="dimmed">
                Email:{" "}
              </Text>
              {user.email || "—"}
            </Text>
            <Group gap="xs">
              <Text span c="dimmed" id="profile-roles-label">
                Roles:
              </Text>
              {user.roles.length === 0 ? (
                <Text span>none</Text>
              ) : (
                <Group gap="xs" role="list" aria-labelledby="profile-roles-label">
                  {user.roles.map((role) => (
                    <Badge key={role} variant="light" role="listitem">
                      {ROLE_LABELS[role]}
                    </Badge>
                  ))}
                </Group>
              )}
            </Group>
            <Text size="sm" c="dimmed">
              Name and email come from your sign-in account. Roles are granted by a superadmin.
            </Text>
          </Stack>
        </Card>
        <TimeZoneCard user={user} />
        <DiscordCard user={user} />
        {profileSections.map((Section, index) => (
          <Section key={index} user={user} />
        ))}
      </Stack>
    </>
  );
}

/**
 * True when the viewer has 1:1 coaching, where a Discord account matters: coaches, and students
 * with a coaching product (`coaching.listProducts` lists a student's own). Undefined while loading.
 */
function useHasCoaching(): boolean | undefined {
  const viewer = useViewer();
  const coach = viewer.hasRole("coach");
  const books = viewer.can("coaching.book");
  const products = useQuery(api.coaching.listProducts, books && !coach ? {} : "skip");
  if (coach) return true;
  if (!books) return false;
  return products === undefined ? undefined : products.some((product) => product.active);
}

/**
 * "Discord": the Discord account of people with coaching (their sessions happen in a private
 * Discord voice channel), or of anyone who has one linked (so they can unlink it). Lecturers and
 * admins without coaching do not see it.
 */
function DiscordCard({ user }: { user: CurrentUser }) {
  useDiscordLinkReturn();
  const hasCoaching = useHasCoaching();
  if (!hasCoaching && !user.discordUserId) return null;
  return (
    <Card withBorder component="section" aria-labelledby="profile-discord">
      <Title order={2} size="h4" id="profile-discord" mb="sm">
        Discord
      </Title>
      {discordAccountActions.map((Account, index) => (
        <Account key={index} user={user} />
      ))}
    </Card>
  );
}

function TimeZoneCard({ user }: { user: CurrentUser }) {
  const setMyTimeZone = useMutation(api.users.setMyTimeZone);
  const browserZone = browserTimeZone();
  const savedZone = user.timeZone ?? "";
  const zones = useMemo(
    () => allTimeZones([savedZone, browserZone]).map((zone) => ({ value: zone, label: zone.replace(/_/g, " ") })),
    [savedZone, browserZone],
  );
  const [selected, setSelected] = useState<string | null>(user.timeZone ?? null);
  const { running: saving, error, run } = useServerCall();
  const [now] = useState(() => Date.now());

  const save = async (timeZone: string) => {
    if (!(await run(() => setMyTimeZone({ timeZone })))) return;
    setSelected(timeZone);
    notifySuccess(`Times are now shown in ${timeZone}.`);
  };

  return (
    <Card withBorder component="section" aria-labelledby="profile-time-zone">
      <Title order={2} size="h4" id="profile-time-zone" mb="sm">
        Time zone
      </Title>
      <Stack gap="sm">
        <Text size="sm">
          {user.timeZone
            ? `Times are shown in ${user.timeZone}.`
            : `No time zone saved: times are shown in your browser's zone (${browserZone}).`}{" "}
          It is now <DateTime value={now} format="time" showZone />.
        </Text>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (selected) void save(selected);
          }}
        >
          <Group align="flex-end" gap="sm" wrap="wrap">
            <Select
              label="Your time zone"
              placeholder="Search, e.g. Berlin"
              data={zones}
              value={selected}
              onChange={setSelected}
              searchable
              nothingFoundMessage="No time zone matches"
              error={error}
              w={{ base: "100%", xs: 320 }}
              limit={50}
            />
            <Button type="submit" loading={saving} disabled={!selected || sameTimeZone(selected, user.timeZone)}>
              Save
            </Button>
            <Button
              variant="default"
              onClick={() => void save(browserZone)}
              disabled={saving || sameTimeZone(user.timeZone, browserZone)}
            >
              Use my browser&apos;s zone ({browserZone})
            </Button>
          </Group>
        </form>
      </Stack>
    </Card>
  );
}
