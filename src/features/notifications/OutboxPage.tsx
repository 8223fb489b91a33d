import { Alert, Anchor, Badge, Code, Group, Modal, Stack, Tabs, Text } from "@mantine/core";
import { useMutation, usePaginatedQuery, useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { useState } from "react";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import type { EmailStatus } from "../../../convex/tables/notifications";
import { ConfirmButton } from "../../lib/components/ConfirmButton";
import { DateTime } from "../../lib/components/DateTime";
import { PageHeader } from "../../lib/components/PageHeader";
import { LoadingState } from "../../lib/components/states";
import { PaginatedTable } from "../../lib/components/DataTable";
import { ALL, FilterSelect } from "../../lib/components/FilterSelect";

const PAGE_SIZE = 25;

/** Every outbox status with its label and colour, in the order of a mail's life. */
export const EMAIL_STATUS_LABELS: Record<EmailStatus, { label: string; color: string }> = {
  queued: { label: "Queued", color: "blue" },
  sending: { label: "Sending", color: "blue" },
  sent: { label: "Sent", color: "teal" },
  delivered: { label: "Delivered", color: "green" },
  delivery_delayed: { label: "Delayed", color: "yellow" },
  not_sent: { label: "Not sent", color: "gray" },
  failed: { label: "Failed", color: "red" },
  bounced: { label: "Bounced", color: "red" },
  complained: { label: "Marked as spam", color: "orange" },
  suppressed: { label: "Suppressed", color: "orange" },
};

type OutboxRow = FunctionReturnType<typeof api.notifications.listOutbox>["page"][number];

function EmailStatusBadge({ status }: { status: string }) {
  const known = EMAIL_STATUS_LABELS[status as EmailStatus];
  return (
    <Badge color={known?.color ?? "gray"} variant="light">
      {known?.label ?? status}
    </Badge>
  );
}

type SendingConfiguration = FunctionReturnType<typeof api.notifications.sendingConfiguration>;

/** Why the deployment does not send, or nothing when it does. */
function ConfigurationNotice({ configuration }: { configuration: SendingConfiguration | undefined }) {
  if (configuration === undefined) return null;
  return (
    <Stack gap="xs" mb="md">
      {configuration.sending ? null : (
        <Alert color="yellow" title="Emails are recorded but not sent" role="status">
          <Code>{configuration.missing}</Code> is not set on this deployment. Set it (and <Code>EMAIL_FROM</Code>) in the
          Convex dashboard, then use “Send again” on the emails that should still go out.
        </Alert>
      )}
      {configuration.sending && !configuration.webhookConfigured ? (
        <Alert color="blue" title="Delivery states are not reported" role="status">
          Set <Code>RESEND_WEBHOOK_SECRET</Code> and point a Resend webhook at <Code>/resend-webhook</Code> to see
          deliveries and bounces here.
        </Alert>
      ) : null}
    </Stack>
  );
}

/** The email's parts as sent (plain text, and the HTML rendered in a sandboxed frame). */
function EmailPreview({ emailId, onClose }: { emailId: Id<"emailOutbox">; onClose: () => void }) {
  const email = useQuery(api.notifications.getEmail, { emailId });
  return (
    <Modal opened onClose={onClose} title={email?.subject ?? "Email"} size="lg">
      {email === undefined ? (
        <LoadingState label="Loading the email…" />
      ) : (
        <Stack gap="sm">
          <Text size="sm">
            <Text span c="dimmed">
              To:{" "}
            </Text>
            {email.to}
          </Text>
          <Text size="xs" c="dimmed">
            Idempotency key: <Code>{email.idempotencyKey}</Code>
          </Text>
          {email.attachments.length > 0 ? (
            <Text size="sm">
              <Text span c="dimmed">
                Attachments:{" "}
              </Text>
              {email.attachments.map((attachment) => attachment.filename).join(", ")}
            </Text>
          ) : null}
          <Tabs defaultValue="text">
            <Tabs.List>
              <Tabs.Tab value="text">Plain text</Tabs.Tab>
              <Tabs.Tab value="html">HTML</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="text" pt="sm">
              <Code block style={{ whiteSpace: "pre-wrap" }}>
                {email.text}
              </Code>
            </Tabs.Panel>
            <Tabs.Panel value="html" pt="sm">
              <iframe
                title="HTML part"
                sandbox=""
                srcDoc={email.html}
                style={{ width: "100%", height: 420, border: "1px solid var(--mantine-color-gray-3)" }}
              />
            </Tabs.Panel>
          </Tabs>
        </Stack>
      )}
    </Modal>
  );
}

/**
 * An email address that wraps only before its "@"; a part wider than the column ends in an ellipsis,
 * with the whole address on hover.
 */
function EmailAddress({ address }: { address: string }) {
  const at = address.lastIndexOf("@");
  const parts = at > 0 ? [address.slice(0, at), address.slice(at)] : [address];
  return (
    <Text size="sm" title={address} style={{ maxWidth: "100%" }}>
      {parts.map((part) => (
        <span key={part} style={ADDRESS_PART}>
          {part}
        </span>
      ))}
    </Text>
  );
}
const ADDRESS_PART = {
  display: "inline-block",
  maxWidth: "100%",
  overflow: "hidden",
  textOverflow: "ellipsis",
  whiteSpace: "nowrap",
  verticalAlign: "bottom",
} as const;

/**
 * An email's state, attempts, next attempt and last error. `explainedAbove`: the page's banner already
 * says why emails are not sent, so an unsent email does not repeat it.
 */
function StateDetail({ row, explainedAbove }: { row: OutboxRow; explainedAbove: boolean }) {
  return (
    <Stack gap={2}>
      <Group gap={6}>
        <EmailStatusBadge status={row.status} />
        <Text size="xs" c="dimmed">
          {row.attempts === 1 ? "1 attempt" : `${row.attempts} attempts`}
        </Text>
      </Group>
      {row.status === "queued" && row.nextAttemptAt !== null ? (
        <Text size="xs" c="dimmed">
          Next attempt <DateTime value={row.nextAttemptAt} format="time" />
        </Text>
      ) : null}
      {row.lastError !== null && row.status !== "sent" && row.status !== "delivered" && !(explainedAbove && row.status === "not_sent") ? (
        <Text size="xs" c={row.status === "not_sent" ? "dimmed" : "red"} style={{ wordBreak: "break-word" }}>
          {row.lastError}
        </Text>
      ) : null}
    </Stack>
  );
}

/**
 * Admin "Email outbox" (SPEC §7): every email the system produced, newest first, with its state
 * (queued, sent, delivered, bounced, not sent when Resend is not configured, …), filtered by
 * status, a page at a time. Each email can be previewed; failed and unsent ones can be sent again.
 * Permission `notifications.manage`.
 */
export function OutboxPage() {
  const [statusFilter, setStatusFilter] = useState<string>(ALL);
  const [previewing, setPreviewing] = useState<Id<"emailOutbox"> | null>(null);
  const resendEmail = useMutation(api.notifications.resendEmail);
  const configuration = useQuery(api.notifications.sendingConfiguration, {});
  const emails = usePaginatedQuery(
    api.notifications.listOutbox,
    statusFilter === ALL ? {} : { status: statusFilter as EmailStatus },
    { initialNumItems: PAGE_SIZE },
  );

  return (
    <>
      <PageHeader
        title="Email outbox"
        description="Every email the system sends: booking confirmations, changes, cancellations and reminders."
      />
      <ConfigurationNotice configuration={configuration} />
      <FilterSelect
        label="Status"
        allLabel="All emails"
        options={Object.entries(EMAIL_STATUS_LABELS).map(([value, { label }]) => ({ value, label }))}
        value={statusFilter}
        onChange={setStatusFilter}
        w={240}
        mb="md"
      />
      <PaginatedTable
        rows={emails}
        pageSize={PAGE_SIZE}
        label="Outbox emails"
        columns={[
          {
            header: "Created",
            cell: (row) => (
              <Text size="sm">
                <DateTime value={row._creationTime} />
              </Text>
            ),
          },
          { header: "Recipient", cell: (row) => <EmailAddress address={row.to} /> },
          {
            header: "Email",
            cell: (row) => (
              <>
                <Anchor component="button" type="button" size="sm" onClick={() => setPreviewing(row._id)} ta="left">
                  {row.subject}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {row.eventTitle}
                  {row.attachmentNames.length > 0 ? ` · ${row.attachmentNames.join(", ")}` : ""}
                </Text>
              </>
            ),
          },
          { header: "State", cell: (row) => <StateDetail row={row} explainedAbove={configuration?.sending === false} /> },
          {
            header: "Actions",
            actions: true,
            cell: (row) =>
              row.status === "failed" || row.status === "not_sent" ? (
                <ConfirmButton
                  size="xs"
                  variant="light"
                  title="Send this email again?"
                  message={`It goes to ${row.to} with the same idempotency key, so Resend delivers it at most once.`}
                  confirmLabel="Send again"
                  aria-label={`Send again: ${row.subject} to ${row.to}`}
                  onConfirm={() => resendEmail({ emailId: row._id })}
                  successMessage="The email is queued."
                >
                  Send again
                </ConfirmButton>
              ) : null,
          },
        ]}
        minWidth={760}
        loadingLabel="Loading emails…"
        empty={{
          title: statusFilter === ALL ? "No emails yet" : "No emails in this state",
          description: statusFilter === ALL ? "Emails appear here as soon as sessions are scheduled or booked." : "Try another status.",
        }}
      />
      {previewing !== null ? <EmailPreview emailId={previewing} onClose={() => setPreviewing(null)} /> : null}
    </>
  );
}
