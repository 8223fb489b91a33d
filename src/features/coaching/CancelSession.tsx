import { useMutation } from "convex/react";
import { api } from "../../../convex/_generated/api";
import { ConfirmButton } from "../../lib/components/ConfirmButton";
import type { CoachingSessionView } from "./coachingText";

/**
 * Cancelling a booked coaching session from its card (`coaching.cancel`), behind a confirmation
 * that says what the other person sees: "Cancel session" for the coach, "Cancel booking" for the
 * student. The server decides who may cancel (`viewerCan.cancel`) and whether it is late.
 *
 * @param audience who cancels: the session's coach or its student.
 * @param otherName the other person's name.
 * @param when the session's start in words, in the viewer's zone.
 * @param late the student's cancellation window has closed (the coach is told it counts as a late
 *   cancellation and the session is not given back).
 */
export function CancelSessionButton({
  session,
  audience,
  otherName,
  when,
  late = false,
}: {
  session: CoachingSessionView;
  audience: "coach" | "student";
  otherName: string;
  when: string;
  late?: boolean;
}) {
  const cancel = useMutation(api.coaching.cancel);
  const coach = audience === "coach";
  const lateNote = late ? " The cancellation window has closed: it counts as a late cancellation and the session is not given back." : "";
  return (
    <ConfirmButton
      variant="subtle"
      color="red"
      title={coach ? "Cancel this session?" : "Cancel this booking?"}
      message={
        coach
          ? `${otherName} sees the session on ${when} as cancelled, and its private Discord channel is removed.${lateNote}`
          : `Your session with ${otherName} on ${when} is cancelled and the time becomes free again.`
      }
      confirmLabel="Yes, cancel it"
      aria-label={`Cancel ${coach ? "session" : "booking"} with ${otherName} on ${when}`}
      onConfirm={() => cancel({ sessionId: session._id })}
      successMessage={coach ? "Session cancelled." : "Booking cancelled."}
    >
      {coach ? "Cancel session" : "Cancel booking"}
    </ConfirmButton>
  );
}
