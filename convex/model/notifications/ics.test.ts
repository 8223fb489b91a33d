import ICAL from "ical.js";
import { describe, expect, test } from "vitest";
import { buildFeedIcs, buildInviteIcs, sessionEventUid, type CalendarEventInput } from "./ics";

const START = Date.UTC(2025, 2, 4, 13, 30);
const event: CalendarEventInput = {
  uid: sessionEventUid("success", "abc123"),
  sequence: 2,
  cancelled: false,
  title: "Portfolio review; part 1, intro",
  description: "Mentor: Grace\nJoin: https://zoom.example/j/42",
  startsAt: START,
  endsAt: START + 60 * 60 * 1000,
  url: "https://zoom.example/j/42",
  location: "https://zoom.example/j/42",
};
const organizer = { name: "Sessions Hub", email: "sessions@hub.example" };
const attendee = { name: "Ada", email: "ada@example.com" };

function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return { calendar, events: calendar.getAllSubcomponents("vevent") };
}

describe("iCalendar documents", () => {
  test("an invitation is METHOD:REQUEST with organizer, attendee, UTC times, UID and SEQUENCE", () => {
    const { calendar, events } = parse(buildInviteIcs({ method: "REQUEST", event, organizer, attendee, now: START - 1000 }));
    expect(calendar.getFirstPropertyValue("method")).toBe("REQUEST");
    expect(events).toHaveLength(1);
    const vevent = new ICAL.Event(events[0]);
    expect(vevent.uid).toBe("success-abc123@sessions-hub");
    expect(vevent.sequence).toBe(2);
    expect(vevent.summary).toBe("Portfolio review; part 1, intro");
    expect(vevent.description).toBe("Mentor: Grace\nJoin: https://zoom.example/j/42");
    expect(vevent.location).toBe("https://zoom.example/j/42");
    expect(vevent.startDate.toJSDate().getTime()).toBe(START);
    expect(vevent.endDate.toJSDate().getTime()).toBe(START + 3_600_000);
    expect(vevent.startDate.zone?.tzid).toBe("UTC");
    expect(String(events[0].getFirstPropertyValue("organizer")).toLowerCase()).toBe("mailto:sessions@hub.example");
    expect(String(events[0].getFirstPropertyValue("attendee")).toLowerCase()).toBe("mailto:ada@example.com");
    expect(events[0].getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(events[0].getFirstPropertyValue("url")).toBe("https://zoom.example/j/42");
  });

  test("a cancellation is METHOD:CANCEL for the same UID with the higher SEQUENCE and STATUS:CANCELLED", () => {
    const { calendar, events } = parse(
      buildInviteIcs({ method: "CANCEL", event: { ...event, sequence: 3 }, organizer, attendee, now: START }),
    );
    expect(calendar.getFirstPropertyValue("method")).toBe("CANCEL");
    expect(events[0].getFirstPropertyValue("uid")).toBe("success-abc123@sessions-hub");
    expect(events[0].getFirstPropertyValue("sequence")).toBe(3);
    expect(events[0].getFirstPropertyValue("status")).toBe("CANCELLED");
  });

  test("REQUEST and CANCEL require organizer and attendee; PUBLISH needs neither", () => {
    expect(() => buildInviteIcs({ method: "REQUEST", event, now: START })).toThrow(/organizer/);
    const { calendar, events } = parse(buildInviteIcs({ method: "PUBLISH", event, now: START }));
    expect(calendar.getFirstPropertyValue("method")).toBe("PUBLISH");
    expect(events[0].getFirstPropertyValue("organizer")).toBeNull();
  });

  test("a feed lists every event with its own UID and status, named, with a refresh interval", () => {
    const cancelled = { ...event, uid: sessionEventUid("coaching", "xyz"), cancelled: true, sequence: 1, url: null, location: null };
    const { calendar, events } = parse(buildFeedIcs({ name: "Sessions Hub – Ada", events: [event, cancelled], now: START }));
    expect(calendar.getFirstPropertyValue("method")).toBeNull();
    expect(calendar.getFirstPropertyValue("x-wr-calname")).toBe("Sessions Hub – Ada");
    expect(calendar.getFirstProperty("refresh-interval")).not.toBeNull();
    expect(events.map((e) => [e.getFirstPropertyValue("uid"), e.getFirstPropertyValue("status"), e.getFirstPropertyValue("sequence")])).toEqual([
      ["success-abc123@sessions-hub", "CONFIRMED", 2],
      ["coaching-xyz@sessions-hub", "CANCELLED", 1],
    ]);
  });
});
