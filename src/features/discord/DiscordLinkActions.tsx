import { Button, Group, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery } from "convex/react";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { api } from "../../../convex/_generated/api";
import { ConfirmButton } from "../../lib/components/ConfirmButton";
import { notifyError } from "../../lib/notify";
import type { CurrentUser } from "../../lib/useViewer";

/**
 * The profile's Discord account (mounted through `discordAccountActions` in
 * `src/features/profile/extensions.tsx`): one sentence saying where the account stands, and the
 * action that fits it. "Link Discord" asks the server for Discord's authorization URL
 * (`discordLinking.start`, a single-use state bound to this user) and goes there; Discord sends the
 * browser back to `/profile?discord=linked` (or `?discord=error&message=…`), which is announced here
 * once and removed from the address. "Unlink Discord" asks for confirmation first. Where this
 * deployment cannot link accounts (no Discord OAuth2 app), the sentence says who can.
 */
export function DiscordLinkActions({ user }: { user: CurrentUser }) {
  const status = useQuery(api.discordLinking.status, {});
  const start = useMutation(api.discordLinking.start);
  const unlink = useMutation(api.discordLinking.unlink);
  const [starting, setStarting] = useState(false);
  useLinkOutcomeNotice();

  if (status === undefined) return null;
  const linkedId = status.discordUserId ?? (user.discordUserId || null);
  const username = status.discordUsername ?? user.discordUsername ?? null;

  const sentence =
    linkedId !== null
      ? `Your Discord account${username ? ` ${username}` : ""} is linked: coaching sessions give it access to their private voice channel.`
      : status.configured
        ? "Link your Discord account to get into the private voice channel of each coaching session."
        : "Coaching sessions take place in a private Discord voice channel; on this server an administrator links your Discord account for you.";

  return (
    <Stack gap="sm">
      <Text size="sm" data-testid="discord-status">
        {sentence}
      </Text>
      {linkedId !== null ? (
        <Group gap="xs">
          <ConfirmButton
            variant="default"
            color="red"
            title="Unlink your Discord account?"
            message="New coaching sessions will not give your Discord account access to their channels until you link it again. Access you already have ends when those sessions are cleaned up."
            confirmLabel="Unlink"
            onConfirm={() => unlink({})}
            successMessage="Discord account unlinked."
          >
            Unlink Discord
          </ConfirmButton>
          <Text size="xs" c="dimmed">
            Discord ID {linkedId}
          </Text>
        </Group>
      ) : status.configured ? (
        <Group gap="xs">
          <Button
            color="indigo"
            loading={starting}
            onClick={() => {
              setStarting(true);
              start({})
                .then(({ url }) => window.location.assign(url))
                .catch((error: unknown) => {
                  notifyError(error, "Could not start linking Discord");
                  setStarting(false);
                });
            }}
          >
            Link Discord
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

/** Shows the outcome Discord's callback put in the address (`?discord=linked|error&message=…`) once. */
function useLinkOutcomeNotice() {
  const [searchParams, setSearchParams] = useSearchParams();
  const outcome = searchParams.get("discord");
  const message = searchParams.get("message");
  useEffect(() => {
    if (outcome !== "linked" && outcome !== "error") return;
    if (outcome === "linked") {
      notifications.show({ message: "Your Discord account is linked.", color: "green" });
    } else {
      notifications.show({
        title: "Discord was not linked",
        message: message || "Linking did not complete. Please try again.",
        color: "red",
      });
    }
    const next = new URLSearchParams(searchParams);
    next.delete("discord");
    next.delete("message");
    setSearchParams(next, { replace: true });
  }, [outcome, message, searchParams, setSearchParams]);
}
