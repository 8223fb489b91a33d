import { Alert, Anchor, Button, Card, CopyButton, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery } from "convex/react";
import { useState } from "react";
import { api } from "../../../convex/_generated/api";
import { ConfirmButton } from "../../lib/components/ConfirmButton";
import { DateTime } from "../../lib/components/DateTime";
import { LoadingState } from "../../lib/components/states";
import { runWithFeedback } from "../../lib/notify";

/** `webcal://…` for an `https://…` feed URL (opens the calendar app's "subscribe" dialog). */
export function webcalUrl(url: string): string {
  return url.replace(/^https?:\/\//i, "webcal://");
}

function FeedAddress({ url }: { url: string }) {
  return (
    <Stack gap="xs">
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <TextInput
          label="Your private calendar address"
          value={url}
          readOnly
          onFocus={(event) => event.currentTarget.select()}
          style={{ flex: 1, minWidth: 0 }}
        />
        <CopyButton value={url}>
          {({ copied, copy }) => (
            <Button variant={copied ? "light" : "filled"} color={copied ? "teal" : undefined} onClick={copy}>
              {copied ? "Copied" : "Copy"}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="sm">
        <Anchor href={webcalUrl(url)}>Subscribe in your calendar app</Anchor> or paste the address into Google Calendar
        (“Other calendars → From URL”) or Outlook (“Add calendar → Subscribe from web”).
      </Text>
      <Alert color="yellow" variant="light">
        Copy it now: for your privacy we keep only a fingerprint of this address and cannot show it again. Anyone with
        the address can see your sessions, so don't share it. You can always get a new one.
      </Alert>
    </Stack>
  );
}

/**
 * Profile section "Calendar feed" (SPEC §7): the user's private calendar subscription URL
 * (`/calendar/<token>.ics`, listing the sessions they may see). Creating it shows the address once
 * with a copy button; "Get a new address" (after a confirmation) rotates the token so the previous
 * address stops working at once. Mount it on the profile page (e.g. in `profileSections`).
 */
export function CalendarFeedCard() {
  const feed = useQuery(api.calendar.myFeed, {});
  const createFeed = useMutation(api.calendar.createMyFeed);
  const rotateFeed = useMutation(api.calendar.rotateMyFeed);
  const [issuedUrl, setIssuedUrl] = useState<string | null>(null);
  const [missingUrl, setMissingUrl] = useState(false);
  const [creating, setCreating] = useState(false);

  const show = (issued: { url: string | null } | null) => {
    if (issued === null) return;
    setIssuedUrl(issued.url);
    setMissingUrl(issued.url === null);
  };

  return (
    <Card withBorder component="section" aria-labelledby="calendar-feed-title">
      <Title order={2} size="h4" id="calendar-feed-title" mb="sm">
        Calendar feed
      </Title>
      {feed === undefined ? (
        <LoadingState label="Loading your calendar feed…" />
      ) : (
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            Subscribe to your sessions (live sessions and coaching) from Google Calendar, Outlook or Apple Calendar.
            Changes and cancellations show up there by themselves.
          </Text>
          {missingUrl ? (
            <Alert color="red">The server did not report its public address. Please ask an administrator.</Alert>
          ) : null}
          {issuedUrl !== null ? <FeedAddress url={issuedUrl} /> : null}
          {feed === null ? (
            <Group>
              <Button
                loading={creating}
                onClick={() => {
                  setCreating(true);
                  void runWithFeedback(async () => show(await createFeed({}))).finally(() => setCreating(false));
                }}
              >
                Create my calendar address
              </Button>
            </Group>
          ) : (
            <>
              {issuedUrl === null ? (
                <Text size="sm">
                  Your private calendar address is active (created <DateTime value={feed.createdAt} format="date" />
                  {feed.rotatedAt !== null ? (
                    <>
                      , last renewed <DateTime value={feed.rotatedAt} format="date" />
                    </>
                  ) : null}
                  ). Lost it? Get a new one below.
                </Text>
              ) : null}
              <Group>
                <ConfirmButton
                  variant="default"
                  title="Get a new calendar address?"
                  message="Your current address stops working at once: calendars subscribed to it stop updating until you subscribe to the new one."
                  confirmLabel="Get a new address"
                  onConfirm={async () => show(await rotateFeed({}))}
                  successMessage="Your new calendar address is ready."
                >
                  Get a new address
                </ConfirmButton>
              </Group>
            </>
          )}
        </Stack>
      )}
    </Card>
  );
}
