import { Button, Group, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useAction, useMutation, useQuery } from "convex/react";
import { useEffect, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { api } from "../../../convex/_generated/api";
import { ConfirmButton } from "../../lib/components/ConfirmButton";
import { notifyError } from "../../lib/notify";
import type { CurrentUser } from "../../lib/useViewer";

/**
 * The profile's Discord actions (mounted through `discordAccountActions` in
 * `src/features/profile/extensions.tsx`): "Link Discord" keeps a random nonce in this tab's session
 * storage, asks the server for Discord's authorization URL with the nonce's hash
 * (`discordLinking.start`: a single-use state bound to this user and this browser) and goes there.
 * Discord's redirect comes back as `/profile?discordCode=…&discordState=…`, and this page finishes
 * linking with the nonce (`discordLinking.finish`), announces the outcome once and removes it from
 * the address. "Unlink" asks for confirmation first.
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
          newLinkingBinding()
            .then((browserBinding) => start({ browserBinding }))
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

/** Where this tab keeps the nonce of the linking it started (session storage: this tab only). */
const NONCE_KEY = "sessions-hub.discordLinkingNonce";

/** Makes a fresh nonce, keeps it for the return from Discord, and returns its hex SHA-256. */
async function newLinkingBinding(): Promise<string> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const nonce = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  sessionStorage.setItem(NONCE_KEY, nonce);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(nonce)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Finishes a linking Discord sent back (`?discordCode=…&discordState=…`) with this tab's nonce, and
 * shows outcomes the callback put in the address (`?discord=error&message=…`) once.
 */
function useLinkOutcomeNotice() {
  const [searchParams, setSearchParams] = useSearchParams();
  const finish = useAction(api.discordLinking.finish);
  const outcome = searchParams.get("discord");
  const message = searchParams.get("message");
  const code = searchParams.get("discordCode");
  const state = searchParams.get("discordState");
  // Each return is handled once, even when React runs the effect twice (StrictMode).
  const handled = useRef<string | null>(null);
  useEffect(() => {
    if (outcome !== "error" && (code === null || state === null)) return;
    const key = `${outcome}|${message}|${code}|${state}`;
    if (handled.current === key) return;
    handled.current = key;
    const next = new URLSearchParams(searchParams);
    for (const name of ["discord", "message", "discordCode", "discordState"]) next.delete(name);
    setSearchParams(next, { replace: true });
    if (outcome === "error") {
      showOutcome({ ok: false, message: message || "Linking did not complete. Please try again." });
      return;
    }
    const browserNonce = sessionStorage.getItem(NONCE_KEY);
    sessionStorage.removeItem(NONCE_KEY);
    if (browserNonce === null || code === null || state === null) {
      showOutcome({ ok: false, message: "Linking was started in another browser or tab. Start linking again here." });
      return;
    }
    finish({ code, state, browserNonce }).then(showOutcome, (error: unknown) => notifyError(error, "Discord was not linked"));
  }, [outcome, message, code, state, searchParams, setSearchParams, finish]);
}

function showOutcome({ ok, message }: { ok: boolean; message: string }) {
  if (ok) notifications.show({ message, color: "green" });
  else notifications.show({ title: "Discord was not linked", message, color: "red" });
}
