import { describe, expect, test } from "vitest";
import { visibleHours } from "./CalendarView";
import { agendaEntries, rangeOf, shiftAnchor, type ScheduleItem } from "./scheduleModel";

const DAY = 24 * 60 * 60 * 1000;

/** A success-session item with just what the helpers read. */
function success(id: string, startsAt: number, seriesId?: string, status = "upcoming"): ScheduleItem {
  return {
    kind: "success",
    role: "attendee",
    localDay: new Date(startsAt).toISOString().slice(0, 10),
    session: { _id: id, title: id, startsAt, endsAt: startsAt + 3_600_000, status, ...(seriesId ? { seriesId } : {}) },
  } as unknown as ScheduleItem;
}

describe("ranges in the viewer's zone", () => {
  test("a month view covers whole weeks from Monday, at most 42 days, within the server's 62-day limit", () => {
    const { from, to } = rangeOf("month", "2026-12-15", "Europe/Berlin");
    expect(new Date(from).toISOString()).toBe("2026-11-29T23:00:00.000Z"); // Monday 30 November, Berlin midnight
    expect(new Date(to).toISOString()).toBe("2027-01-03T23:00:00.000Z"); // after Sunday 3 January
    expect((to - from) / DAY).toBe(35);
  });

  test("a week across the end of daylight saving time still runs Monday to Monday local midnight", () => {
    // Clocks go back on Sunday 25 October 2026: that week is an hour longer.
    const { from, to } = rangeOf("week", "2026-10-21", "Europe/Berlin");
    expect(new Date(from).toISOString()).toBe("2026-10-18T22:00:00.000Z");
    expect(new Date(to).toISOString()).toBe("2026-10-25T23:00:00.000Z");
  });

  test("previous and next move by a month, a week or four weeks", () => {
    expect(shiftAnchor("month", "2026-12-31", 1, "UTC")).toBe("2027-01-01");
    expect(shiftAnchor("week", "2026-12-31", -1, "UTC")).toBe("2026-12-24");
    expect(shiftAnchor("agenda", "2026-12-01", 1, "UTC")).toBe("2026-12-29");
  });
});

describe("agenda entries", () => {
  const base = Date.UTC(2026, 11, 1, 18, 0);
  test("a series with two or more occurrences is one entry at its next occurrence; a lone occurrence stays an item", () => {
    const items = [
      success("a1", base, "series-a"),
      success("single", base + DAY),
      success("a2", base + 7 * DAY, "series-a"),
      success("b1", base + 2 * DAY, "series-b"),
    ];
    const entries = agendaEntries(items, base + 2 * 3_600_000);
    expect(entries.map((entry) => (entry.type === "series" ? `series ${entry.seriesId} next ${entry.next.session._id}` : entry.item.session._id))).toEqual([
      "single",
      "b1",
      "series series-a next a2",
    ]);
  });

  test("a cancelled next occurrence is skipped for the one that takes place", () => {
    const items = [success("a1", base, "s", "cancelled"), success("a2", base + 7 * DAY, "s")];
    const [entry] = agendaEntries(items, base - DAY);
    expect(entry.type === "series" && entry.next.session._id).toBe("a2");
  });
});

test("the week grid shows 8:00 to 18:00, widened to the items' hours", () => {
  expect(visibleHours([], "UTC")).toEqual({ first: 8, last: 18 });
  expect(visibleHours([success("late", Date.UTC(2026, 11, 1, 21, 0)), success("early", Date.UTC(2026, 11, 2, 6, 30))], "UTC")).toEqual({
    first: 6,
    last: 22,
  });
});
