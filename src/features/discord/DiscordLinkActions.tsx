import { Button, Group, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery } from "convex/react";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { api } from "../../../convex/_generated/api";
import { ConfirmButton } from "../../lib/components/ConfirmButton";
import { notifyError } from "../../lib/notify";
import type { CurrentUser } from "../../lib/useViewer";

/**
 * The profile's Discord actions (mounted through `discordAccountActions` in
 * `src/features/profile/extensions.tsx`): "Link Discord" asks the server for Discord's
 * authorization URL (`discordLinking.start`, a single-use state bound to this user) and goes there;
 * Discord sends the browser back to `/profile?discord=linked` (or `?discord=error&message=…`), which
 * is announced here once and removed from the address. "Unlink" asks for confirmation first.
 */
export function DiscordLinkActions({ user }: { user: CurrentUser }) {
  const status = useQuery(api.discordLinking.status, {});
  const start = useMutation(api.discordLinking.start);
  const unlink = useMutation(api.discordLinking.unlink);
  const [starting, setStarting] = useState(false);
  useLinkOutcomeNotice();

  if (status === undefined) return null;
  const linked = status.discordUserId !== null || Boolean(user.discordUserId);

  if (linked) {
    return (
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
    );
  }
  if (!status.configured) {
    return (
      <Text size="xs" c="dimmed" maw={260}>
        Linking Discord is not available on this server yet. An administrator can set your Discord id.
      </Text>
    );
  }
  return (
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
