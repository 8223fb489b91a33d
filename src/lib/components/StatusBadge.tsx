import { Badge } from "@mantine/core";

const COLORS: Record<string, string> = {
  active: "green",
  archived: "gray",
  paused: "yellow",
  completed: "blue",
  cancelled: "red",
  revoked: "red",
  upcoming: "blue",
  live: "green",
};

/** "job_readiness" → "Job readiness". */
function humanize(value: string): string {
  const spaced = value.replace(/_/g, " ").toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/**
 * A coloured badge for a status value (`active`, `archived`, `paused`, `completed`, `cancelled`,
 * `revoked`, …), labelled in words. Unknown statuses are grey.
 */
export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge color={COLORS[status.toLowerCase()] ?? "gray"} variant="light">
      {humanize(status)}
    </Badge>
  );
}
