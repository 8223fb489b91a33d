import { Button, type ButtonProps } from "@mantine/core";
import { useConvex, type ConvexReactClient } from "convex/react";
import { useState, type ReactNode } from "react";
import { api } from "../../../convex/_generated/api";
import type { SessionKind } from "../../../convex/tables/notifications";
import { notifyError } from "../../lib/notify";
import { saveTextFile } from "../../lib/download";

/**
 * "Add to calendar" for one session: fetches the session's `.ics` from the backend
 * (`api.calendar.sessionIcs`: METHOD:PUBLISH, the same UID and SEQUENCE as the private feed, so
 * calendars that also subscribe to the feed keep one event) and saves it as a file.
 *
 * ```tsx
 * <AddToCalendarButton kind="success" sessionId={session._id} />
 * <AddToCalendarButton kind="coaching" sessionId={session._id} size="xs" variant="light" />
 * ```
 */

/**
 * Downloads the `.ics` of session `sessionId` of `kind` for the signed-in user.
 * @throws the server's ConvexError (NOT_FOUND when the session is missing or not visible to them).
 */
async function downloadSessionIcs(convex: ConvexReactClient, kind: SessionKind, sessionId: string): Promise<void> {
  const file = await convex.query(api.calendar.sessionIcs, { kind, sessionId });
  saveTextFile(file.filename, file.content, "text/calendar;charset=utf-8");
}

/** A button that downloads the session's `.ics` (errors are shown as a notification). */
export function AddToCalendarButton({
  kind,
  sessionId,
  children = "Add to calendar",
  ...buttonProps
}: Omit<ButtonProps, "onClick" | "loading"> & { kind: SessionKind; sessionId: string; children?: ReactNode }) {
  const convex = useConvex();
  const [loading, setLoading] = useState(false);
  return (
    <Button
      variant="default"
      {...buttonProps}
      loading={loading}
      onClick={() => {
        setLoading(true);
        downloadSessionIcs(convex, kind, sessionId)
          .catch((error: unknown) => notifyError(error, "Could not create the calendar file"))
          .finally(() => setLoading(false));
      }}
    >
      {children}
    </Button>
  );
}
