import { DateTime } from "../../lib/components/DateTime";

/**
 * When a coded session started and, if it has an end time, when it ends ("Mon, 3 Mar 2025, 14:30 ·
 * ends 15:30"), in the viewer's time zone. The caller puts the word before it ("Started", "started").
 */
export function CodedSessionTimes({ session }: { session: { createdAt: number; endsAt?: number } }) {
  return (
    <>
      <DateTime value={session.createdAt} />
      {session.endsAt !== undefined ? (
        <>
          {" "}
          · ends <DateTime value={session.endsAt} format="time" />
        </>
      ) : null}
    </>
  );
}
