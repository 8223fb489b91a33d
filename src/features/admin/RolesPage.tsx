import { Badge, Button, Group, Modal, MultiSelect, Stack, Text } from "@mantine/core";
import { useMutation, usePaginatedQuery } from "convex/react";
import { useState } from "react";
import { api } from "../../../convex/_generated/api";
import { ROLE_LABELS, ROLE_OPTIONS, ROLES, type Role } from "../../lib/access";
import { PageHeader } from "../../lib/components/PageHeader";
import { notifySuccess } from "../../lib/notify";
import { useViewer, type CurrentUser } from "../../lib/useViewer";
import { PaginatedTable } from "../../lib/components/DataTable";
import { useServerCall } from "../../lib/useServerCall";
import { DialogButtons } from "../../lib/components/DialogButtons";
import { ErrorText } from "../../lib/components/ErrorText";
import { ALL, FilterSelect } from "../../lib/components/FilterSelect";

const PAGE_SIZE = 25;

/**
 * Superadmin "Roles": every user (newest first, a page at a time, optionally only holders of one
 * role) with their roles; "Edit roles" changes them after a confirmation that lists what is added
 * and removed. The server refuses removing your own superadmin role and an empty role list.
 */
export function AdminRolesPage() {
  const [roleFilter, setRoleFilter] = useState<string>(ALL);
  const [editing, setEditing] = useState<CurrentUser | null>(null);
  const users = usePaginatedQuery(
    api.users.list,
    roleFilter === ALL ? {} : { role: roleFilter as Role },
    { initialNumItems: PAGE_SIZE },
  );

  return (
    <>
      <PageHeader title="Roles" description="Grant and revoke roles. A user may hold several roles." />
      <FilterSelect
        label="Show"
        allLabel="All users"
        options={ROLE_OPTIONS.map((option) => ({ value: option.value, label: `${option.label}s` }))}
        value={roleFilter}
        onChange={setRoleFilter}
        w={240}
        mb="md"
      />
      <PaginatedTable
        rows={users}
        pageSize={PAGE_SIZE}
        label="Users and roles"
        columns={[
          {
            header: "User",
            cell: (user) => (
              <>
                <Group gap="xs" wrap="wrap">
                  <Text fw={500} size="sm">
                    {user.name}
                  </Text>
                  {user.active ? null : (
                    <Badge color="gray" size="sm">
                      Deactivated
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  {user.email}
                </Text>
              </>
            ),
          },
          {
            header: "Roles",
            cell: (user) => (
              <Group gap={4}>
                {user.roles.map((role) => (
                  <Badge key={role} variant="light" color={role === "superadmin" ? "grape" : undefined}>
                    {ROLE_LABELS[role]}
                  </Badge>
                ))}
              </Group>
            ),
          },
          {
            header: "Actions",
            actions: true,
            cell: (user) => (
              <Button size="xs" variant="default" onClick={() => setEditing(user)} aria-label={`Edit roles of ${user.name}`}>
                Edit roles
              </Button>
            ),
          },
        ]}
        minWidth={640}
        loadingLabel="Loading users…"
        empty={{ title: "No users match", description: "Try another role." }}
      />
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing ? `Roles of ${editing.name}` : ""}>
        {editing !== null ? <EditRoles user={editing} onDone={() => setEditing(null)} /> : null}
      </Modal>
    </>
  );
}

/** Roles in SPEC order. */
function ordered(roles: readonly Role[]): Role[] {
  return ROLES.filter((role) => roles.includes(role));
}

function EditRoles({ user, onDone }: { user: CurrentUser; onDone: () => void }) {
  const viewer = useViewer();
  const setRoles = useMutation(api.users.setRoles);
  const [roles, setSelected] = useState<Role[]>(ordered(user.roles));
  const [confirming, setConfirming] = useState(false);
  const { running: saving, error, setError, run } = useServerCall();
  const added = roles.filter((role) => !user.roles.includes(role));
  const removed = user.roles.filter((role) => !roles.includes(role));
  const unchanged = added.length === 0 && removed.length === 0;
  const isSelf = viewer.user._id === user._id;

  const save = async () => {
    if (!(await run(() => setRoles({ userId: user._id, roles })))) return setConfirming(false);
    notifySuccess(`Roles of ${user.name} saved.`);
    onDone();
  };

  return (
    <Stack gap="sm">
      <MultiSelect
        label="Roles"
        description={isSelf ? "You cannot remove your own superadmin role." : "A user needs at least one role."}
        data={ROLE_OPTIONS}
        value={roles}
        onChange={(value) => {
          setSelected(ordered(value as Role[]));
          setConfirming(false);
          setError(null);
        }}
        error={!confirming && roles.length === 0 ? "Choose at least one role." : undefined}
        disabled={saving}
      />
      <ErrorText error={error} />
      {confirming ? (
        <Stack gap="xs" role="group" aria-label="Confirm role change">
          <Text size="sm" fw={500}>
            Change the roles of {user.name}?
          </Text>
          {added.length > 0 ? <Text size="sm">Adds: {added.map((role) => ROLE_LABELS[role]).join(", ")}</Text> : null}
          {removed.length > 0 ? (
            <Text size="sm">Removes: {removed.map((role) => ROLE_LABELS[role]).join(", ")}</Text>
          ) : null}
          <DialogButtons cancelLabel="Back" onCancel={() => setConfirming(false)} confirmLabel="Confirm change" onConfirm={save} running={saving} color="red" />
        </Stack>
      ) : (
        <DialogButtons onCancel={onDone} confirmLabel="Save roles" onConfirm={() => setConfirming(true)} confirmDisabled={unchanged || roles.length === 0} />
      )}
    </Stack>
  );
}
