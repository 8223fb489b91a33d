import { describe, expect, test, vi } from "vitest";
import {
  allTimeZones,
  browserTimeZone,
  dayInZone,
  describeInZones,
  endOfDayInZone,
  formatDate,
  formatDateTime,
  formatRange,
  formatRelative,
  formatTime,
  isCalendarDay,
  resolveTimeZone,
  sameTimeZone,
  startOfDayInZone,
} from "./time";

const locale = { locale: "en-GB" };
// 2025-03-30 00:30 UTC: 01:30 in Berlin (still CET), 06:00 in Kolkata, 29 March 20:30 in New York.
const instant = Date.UTC(2025, 2, 30, 0, 30);

describe("time formatting in the viewer's zone", () => {
  test("the same instant reads differently per zone", () => {
    // ICU versions differ in padding and commas ("01:30" / "1:30", "Sun 30" / "Sun, 30").
    expect(formatTime(instant, "Europe/Berlin", locale)).toMatch(/^0?1:30$/);
    expect(formatTime(instant, "Asia/Kolkata", locale)).toMatch(/^0?6:00$/);
    expect(formatDate(instant, "America/New_York", locale)).toMatch(/^Sat,? 29 Mar 2025$/);
    expect(formatDateTime(instant, "Asia/Kolkata", locale)).toMatch(/^Sun,? 30 Mar 2025,? 0?6:00$/);
  });

  test("a range on one local day names the date once; across days both dates", () => {
    const end = instant + 60 * 60 * 1000;
    expect(formatRange(instant, end, "Asia/Kolkata", locale)).toMatch(/^Sun,? 30 Mar 2025,? 0?6:00\s*–\s*0?7:00$/);
    expect(formatRange(instant - 3 * 60 * 60 * 1000, end, "UTC", locale)).toMatch(/29 Mar 2025.*30 Mar 2025/);
  });

  test("relative times are short", () => {
    const now = Date.UTC(2025, 0, 1, 12);
    expect(formatRelative(now + 2 * 60 * 60 * 1000, now, { locale: "en" })).toBe("in 2h");
    expect(formatRelative(now - 5 * 60 * 1000, now, { locale: "en" })).toBe("5m ago");
    expect(formatRelative(now + 20 * 1000, now, { locale: "en" })).toBe("now");
    expect(formatRelative(now + 3 * 24 * 60 * 60 * 1000, now, { locale: "en" })).toBe("in 3d");
  });

  test("the hover text lists each zone once", () => {
    const text = describeInZones(instant, ["Asia/Kolkata", "UTC", "UTC"], locale);
    const lines = text.split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/30 Mar 2025,? 0?6:00 \(Asia\/Kolkata\)$/);
    expect(lines[1]).toMatch(/30 Mar 2025,? 0?0:30 \(UTC\)$/);
  });
});

describe("time zones", () => {
  test("a saved valid zone wins; an invalid or missing one falls back to the browser's", () => {
    expect(resolveTimeZone("Asia/Kolkata")).toBe("Asia/Kolkata");
    const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(resolveTimeZone("Mars/Olympus")).toBe(browser);
    expect(resolveTimeZone(undefined)).toBe(browser);
  });

  test("a browser that reports an old zone name (Chromium: Asia/Calcutta) is read by the current name", () => {
    const resolved = Intl.DateTimeFormat().resolvedOptions();
    vi.spyOn(Intl.DateTimeFormat.prototype, "resolvedOptions").mockReturnValue({ ...resolved, timeZone: "Asia/Calcutta" });
    expect(browserTimeZone()).toBe("Asia/Kolkata");
    expect(sameTimeZone("Asia/Kolkata", "Asia/Calcutta")).toBe(true);
    expect(sameTimeZone("Europe/Kiev", "Europe/Kyiv")).toBe(true);
    expect(sameTimeZone("Asia/Kolkata", "Asia/Dhaka")).toBe(false);
    expect(sameTimeZone(null, "UTC")).toBe(false);
  });

  test("the picker lists current zone names", () => {
    const zones = allTimeZones();
    expect(zones).toContain("Asia/Kolkata");
    expect(zones).toContain("Europe/Kyiv");
    expect(zones).not.toContain("Asia/Calcutta");
    expect(zones[0]).not.toBeUndefined();
  });

  test("a calendar day maps to its local midnight, also on daylight-saving days", () => {
    // Berlin switches to summer time at 02:00 on 30 March 2025; midnight is still CET (UTC+1).
    expect(startOfDayInZone("2025-03-30", "Europe/Berlin")).toBe(Date.UTC(2025, 2, 29, 23));
    expect(startOfDayInZone("2025-03-31", "Europe/Berlin")).toBe(Date.UTC(2025, 2, 30, 22));
    expect(startOfDayInZone("2025-03-03", "Asia/Kolkata")).toBe(Date.UTC(2025, 2, 2, 18, 30));
    expect(dayInZone(Date.UTC(2025, 2, 2, 18, 30), "Asia/Kolkata")).toBe("2025-03-03");
  });

  test("a calendar day ends at the next local midnight: 23 hours in spring, 25 in autumn", () => {
    const hours = (day: string) => (endOfDayInZone(day, "Europe/Berlin") - startOfDayInZone(day, "Europe/Berlin")) / 3_600_000;
    expect(endOfDayInZone("2025-03-30", "Europe/Berlin")).toBe(Date.UTC(2025, 2, 30, 22));
    expect(hours("2025-03-30")).toBe(23);
    expect(hours("2025-10-26")).toBe(25);
    expect(hours("2025-03-03")).toBe(24);
  });
});

describe("isCalendarDay", () => {
  test("accepts a complete day as a day input gives it, and nothing cleared or half-typed", () => {
    expect(isCalendarDay("2026-03-29")).toBe(true);
    expect(isCalendarDay("")).toBe(false);
    expect(isCalendarDay("2026-03-")).toBe(false);
    expect(isCalendarDay("2026-3-29")).toBe(false);
  });
});
