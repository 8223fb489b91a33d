import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
  type ICalCalendar,
} from "ical-generator";
import type { SessionKind } from "../../tables/notifications";

/**
 * iCalendar (RFC 5545 / iTIP RFC 5546) documents for sessions, generated with `ical-generator`
 * (no Node built-ins: it runs in Convex's default runtime, in queries, mutations and HTTP actions).
 * All times are written in UTC (`DTSTART:20250304T133000Z`), which every calendar shows in the
 * reader's own zone, so no VTIMEZONE is needed.
 *
 * - {@link buildInviteIcs}: one event for an email attachment (`METHOD:REQUEST` with ORGANIZER and
 *   ATTENDEE; `METHOD:CANCEL` with the same UID, the session's higher SEQUENCE and
 *   `STATUS:CANCELLED`) or a download (`METHOD:PUBLISH`).
 * - {@link buildFeedIcs}: a subscribed calendar with many events (no METHOD).
 */

/** Product identifier written as PRODID. */
const PRODUCT_ID = { company: "Sessions Hub", product: "Sessions Hub", language: "EN" } as const;

/** How often calendar apps should re-read a feed (seconds): REFRESH-INTERVAL / X-PUBLISHED-TTL. */
const FEED_REFRESH_SECONDS = 60 * 60;

/** One session as a calendar event. Times are epoch ms (UTC). */
export interface CalendarEventInput {
  /** Stable UID, see {@link sessionEventUid}. */
  uid: string;
  /** SEQUENCE: grows on every change of the session (cancelling included). */
  sequence: number;
  cancelled: boolean;
  title: string;
  description: string;
  startsAt: number;
  endsAt: number;
  /** The meeting or Discord link (URL property), or null. */
  url: string | null;
  /** LOCATION text (usually the same link), or null. */
  location: string | null;
}

/** A person in an invite. */
interface CalendarPerson {
  name: string;
  email: string;
}

/** The UID of a session's event, stable for the session's whole life: `<kind>-<id>@sessions-hub`. */
export function sessionEventUid(kind: SessionKind, id: string): string {
  return `${kind}-${id}@sessions-hub`;
}

function addEvent(
  calendar: ICalCalendar,
  event: CalendarEventInput,
  stamp: number,
  people?: { organizer: CalendarPerson; attendee: CalendarPerson; method: "REQUEST" | "CANCEL" },
): void {
  calendar.createEvent({
    id: event.uid,
    sequence: event.sequence,
    stamp: new Date(stamp),
    start: new Date(event.startsAt),
    end: new Date(Math.max(event.endsAt, event.startsAt)),
    summary: event.title,
    description: event.description,
    ...(event.location ? { location: event.location } : {}),
    ...(event.url ? { url: event.url } : {}),
    status: event.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    ...(people
      ? {
          organizer: { name: people.organizer.name, email: people.organizer.email },
          attendees: [
            {
              name: people.attendee.name,
              email: people.attendee.email,
              role: ICalAttendeeRole.REQ,
              status: people.method === "CANCEL" ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.NEEDSACTION,
              rsvp: false,
            },
          ],
        }
      : {}),
  });
}

/**
 * One event as an `.ics` document.
 *
 * @param input.method `REQUEST` (invitation or update: ORGANIZER + ATTENDEE), `CANCEL` (cancellation:
 *   same UID, STATUS:CANCELLED; pass the session's sequence after the change, which must be higher
 *   than the one of the last REQUEST) or `PUBLISH` (a plain "add to calendar" download).
 * @param input.organizer / input.attendee required for REQUEST and CANCEL.
 * @param input.now epoch ms written as DTSTAMP.
 * @returns the document text (CRLF line endings, folded lines).
 * @throws Error when REQUEST or CANCEL lacks organizer or attendee.
 */
export function buildInviteIcs(input: {
  method: "REQUEST" | "CANCEL" | "PUBLISH";
  event: CalendarEventInput;
  organizer?: CalendarPerson;
  attendee?: CalendarPerson;
  now: number;
}): string {
  const method =
    input.method === "REQUEST"
      ? ICalCalendarMethod.REQUEST
      : input.method === "CANCEL"
        ? ICalCalendarMethod.CANCEL
        : ICalCalendarMethod.PUBLISH;
  const calendar = ical({ prodId: PRODUCT_ID, method });
  if (input.method === "PUBLISH") {
    addEvent(calendar, input.event, input.now);
  } else {
    if (!input.organizer || !input.attendee) throw new Error(`METHOD:${input.method} needs an organizer and an attendee`);
    const event = input.method === "CANCEL" ? { ...input.event, cancelled: true } : input.event;
    addEvent(calendar, event, input.now, { organizer: input.organizer, attendee: input.attendee, method: input.method });
  }
  return calendar.toString();
}

/**
 * A subscribed calendar (private feed) with `events`.
 *
 * @param input.name calendar name (X-WR-CALNAME), e.g. "Sessions Hub – Ada Lovelace".
 * @param input.now epoch ms written as DTSTAMP of every event.
 * @returns the document text.
 */
export function buildFeedIcs(input: { name: string; description?: string; events: CalendarEventInput[]; now: number }): string {
  const calendar = ical({
    prodId: PRODUCT_ID,
    name: input.name,
    ...(input.description ? { description: input.description } : {}),
    ttl: FEED_REFRESH_SECONDS,
  });
  for (const event of input.events) addEvent(calendar, event, input.now);
  return calendar.toString();
}
