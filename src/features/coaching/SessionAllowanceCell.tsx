import { Button, Group, Modal, NumberInput, Stack, Text } from "@mantine/core";
import { useMutation } from "convex/react";
import { useState } from "react";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { notifySuccess } from "../../lib/notify";
import { useServerCall } from "../../lib/useServerCall";
import { DialogButtons } from "../../lib/components/DialogButtons";
import { ErrorAlert } from "../../lib/components/FormError";

/**
 * The "Coaching sessions" cell of a coaching product's access row on the staff product page
 * (issue #15): sessions used of the allowance ("1 of 4 used", or "Unlimited · 1 used") and, for
 * holders of `enrollments.manage`, "Change" to set the number (empty = unlimited) with
 * `coaching.setSessionAllowanceOfAccess`.
 */
export function SessionAllowanceCell({
  accessId,
  studentName,
  allowance,
  used,
  canManage,
}: {
  accessId: Id<"productAccess">;
  studentName: string;
  allowance: number | undefined;
  used: number | undefined;
  canManage: boolean;
}) {
  const [open, setOpen] = useState(false);
  const usedCount = used ?? 0;
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm">{allowance === undefined ? `Unlimited · ${usedCount} used` : `${usedCount} of ${allowance} used`}</Text>
      {canManage ? (
        <Button size="compact-xs" variant="subtle" onClick={() => setOpen(true)} aria-label={`Change coaching sessions of ${studentName}`}>
          Change
        </Button>
      ) : null}
      {open ? <AllowanceModal accessId={accessId} studentName={studentName} allowance={allowance} used={usedCount} onClose={() => setOpen(false)} /> : null}
    </Group>
  );
}

function AllowanceModal({
  accessId,
  studentName,
  allowance,
  used,
  onClose,
}: {
  accessId: Id<"productAccess">;
  studentName: string;
  allowance: number | undefined;
  used: number;
  onClose: () => void;
}) {
  const setAllowance = useMutation(api.coaching.setSessionAllowanceOfAccess);
  const [value, setValue] = useState<number | string>(allowance ?? "");
  const { running: saving, error, run } = useServerCall();
  const save = async () => {
    if (!(await run(() => setAllowance({ accessId, allowance: value === "" ? null : Number(value) })))) return;
    notifySuccess(value === "" ? `${studentName} may book unlimited sessions.` : `${studentName} may book ${value} sessions.`);
    onClose();
  };
  return (
    <Modal opened onClose={() => (saving ? undefined : onClose())} title={`Coaching sessions of ${studentName}`} centered>
      <Stack gap="sm">
        <NumberInput
          label="Sessions included"
          description={`Empty for unlimited. ${used} already used; a cancellation within the policy gives one back.`}
          min={0}
          max={500}
          allowDecimal={false}
          value={value}
          onChange={setValue}
        />
        <ErrorAlert error={error} />
        <DialogButtons onCancel={onClose} confirmLabel="Save" onConfirm={save} running={saving} />
      </Stack>
    </Modal>
  );
}
