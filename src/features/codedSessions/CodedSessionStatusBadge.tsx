import { Badge } from "@mantine/core";

/** "Open", "Closed" or "Ended" (an open session whose end time has passed, by this device's clock). */
export function codedSessionState(session: { status: "open" | "closed"; endsAt?: number }, now = Date.now()): "open" | "closed" | "ended" {
  if (session.status === "closed") return "closed";
  return session.endsAt !== undefined && session.endsAt <= now ? "ended" : "open";
}

const LABELS = { open: "Open", closed: "Closed", ended: "Ended" } as const;
const COLORS = { open: "green", closed: "gray", ended: "gray" } as const;

/** The state of a coded session as a badge. */
export function CodedSessionStatusBadge({ session }: { session: { status: "open" | "closed"; endsAt?: number } }) {
  const state = codedSessionState(session);
  return (
    <Badge color={COLORS[state]} variant="light">
      {LABELS[state]}
    </Badge>
  );
}
