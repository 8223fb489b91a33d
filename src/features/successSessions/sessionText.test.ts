import { describe, expect, test } from "vitest";
import { toCsv } from "./sessionText";

describe("attendance CSV", () => {
  test("quotes commas, quotes and line breaks, and defuses spreadsheet formulas", () => {
    expect(toCsv(["Student", "Attendance %"], [["Lee, Ann", 66.7], ['Bo "B" Smith', null], ["=HYPERLINK(1)", 0], ["Two\nlines", 100]])).toBe(
      'Student,Attendance %\r\n"Lee, Ann",66.7\r\n"Bo ""B"" Smith",\r\n\'=HYPERLINK(1),0\r\n"Two\nlines",100\r\n',
    );
  });
});
