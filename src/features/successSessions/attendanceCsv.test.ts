import { afterEach, describe, expect, test, vi } from "vitest";
import type { Id } from "../../../convex/_generated/dataModel";
import { csvDateTime, csvFileName, downloadCsv, sessionsCsv, studentsCsv, toCsv, type AttendanceReportData } from "./attendanceCsv";

const report: AttendanceReportData = {
  sessions: [
    {
      sessionId: "s1" as Id<"successSessions">,
      title: "Kick-off, part 1",
      startsAt: Date.UTC(2025, 2, 30, 0, 30),
      timeZone: "Europe/Berlin",
      courseId: "c1" as Id<"courses">,
      courseTitle: "Data Science",
      batchId: null,
      batchName: null,
      mentorName: "+Maya Mentor",
      present: 1,
      late: 0,
      excused: 1,
      absent: 0,
      expected: 2,
      turnoutPercent: 100,
    },
  ],
  students: [
    {
      studentId: "u1" as Id<"users">,
      name: "Lee, Ann",
      email: "lee@example.com",
      sessionsCounted: 3,
      attended: 2,
      late: 1,
      excused: 0,
      missed: 1,
      attendancePercent: 66.7,
    },
    {
      studentId: "u2" as Id<"users">,
      name: '=HYPERLINK("http://evil.example","Bo")',
      email: "bo@example.com",
      sessionsCounted: 1,
      attended: 0,
      late: 0,
      excused: 1,
      missed: 0,
      attendancePercent: null,
    },
  ],
  truncated: false,
  truncatedBefore: null,
};

describe("attendance CSV", () => {
  test("quotes commas, quotes and line breaks, and defuses every formula prefix", () => {
    expect(
      toCsv(
        ["Student", "Attendance %"],
        [
          ["Lee, Ann", 66.7],
          ['Bo "B" Smith', null],
          ["=1+1", 0],
          ["+49 30 1234", 0],
          ["-Dash", 0],
          ["@SUM(A1)", 0],
          ["\tTabbed", 0],
          ["Two\nlines", -5],
        ],
      ),
    ).toBe(
      [
        "Student,Attendance %",
        '"Lee, Ann",66.7',
        '"Bo ""B"" Smith",',
        "'=1+1,0",
        "'+49 30 1234,0",
        "'-Dash,0",
        "'@SUM(A1),0",
        "'\tTabbed,0",
        '"Two\nlines",-5',
        "",
      ].join("\r\n"),
    );
  });

  test("the students table has a header row and one row per student", () => {
    expect(studentsCsv(report)).toBe(
      "Student,Email,Sessions counted,Attended (present or late),Late,Excused,Missed,Attendance %\r\n" +
        '"Lee, Ann",lee@example.com,3,2,1,0,1,66.7\r\n' +
        '"\'=HYPERLINK(""http://evil.example"",""Bo"")",bo@example.com,1,0,0,1,0,\r\n',
    );
  });

  test("the sessions table gives the start in the viewer's zone (named in the header) and in UTC", () => {
    expect(sessionsCsv(report, "Asia/Kolkata")).toBe(
      "Session,Starts (Asia/Kolkata),Starts UTC (ISO 8601),Course,Audience,Mentor,Present,Late,Excused,Absent,Expected,Turnout %\r\n" +
        '"Kick-off, part 1",2025-03-30 06:00,2025-03-30T00:30:00.000Z,Data Science,Unbatched students,\'+Maya Mentor,1,0,1,0,2,100\r\n',
    );
  });

  test("wall-clock times follow daylight saving in the zone", () => {
    expect(csvDateTime(Date.UTC(2025, 2, 29, 17, 0), "Europe/Berlin")).toBe("2025-03-29 18:00");
    expect(csvDateTime(Date.UTC(2025, 2, 30, 17, 0), "Europe/Berlin")).toBe("2025-03-30 19:00");
    expect(csvDateTime(Date.UTC(2025, 0, 1, 0, 5), "UTC")).toBe("2025-01-01 00:05");
  });

  test("file names say the table, the filters and the dates, in safe characters", () => {
    expect(csvFileName("students", ["Data Science: Advanced", "Batch 12"], "2025-01-01", "2025-03-31")).toBe(
      "attendance-students-data-science-advanced-batch-12-2025-01-01-to-2025-03-31.csv",
    );
    expect(csvFileName("sessions", ["Café Économie", "Unbatched students"], null, "2025-03-31")).toBe(
      "attendance-sessions-cafe-economie-unbatched-students-until-2025-03-31.csv",
    );
    expect(csvFileName("sessions", ["日本語", "../../etc"], "2025-01-01", "2025-01-31")).toBe(
      "attendance-sessions-etc-2025-01-01-to-2025-01-31.csv",
    );
  });
});

/** Runs `save` and returns the links it clicked (their `href` and `download`), which go nowhere. */
function linksClickedBy(save: () => void): { href: string; download: string }[] {
  const clicked: { href: string; download: string }[] = [];
  const capture = (event: MouseEvent) => {
    const link = event.target as HTMLAnchorElement;
    clicked.push({ href: link.href, download: link.download });
    event.preventDefault();
  };
  document.addEventListener("click", capture);
  try {
    save();
  } finally {
    document.removeEventListener("click", capture);
  }
  return clicked;
}

describe("downloadCsv", () => {
  const createObjectURL = Object.getOwnPropertyDescriptor(URL, "createObjectURL");
  afterEach(() => {
    if (createObjectURL !== undefined) Object.defineProperty(URL, "createObjectURL", createObjectURL);
  });

  test("offers the text as a UTF-8 CSV file with a byte order mark for Excel", async () => {
    const blobs: Blob[] = [];
    vi.spyOn(URL, "createObjectURL").mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return "blob:attendance";
    });
    const clicked = linksClickedBy(() => downloadCsv("attendance.csv", "Student\r\nZoë\r\n"));
    expect(clicked).toEqual([{ href: "blob:attendance", download: "attendance.csv" }]);
    expect(blobs).toHaveLength(1);
    expect(blobs[0].type).toBe("text/csv;charset=utf-8");
    const bytes = new Uint8Array(await blobs[0].arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3))).toBe("Student\r\nZoë\r\n");
    // The link is gone from the page again.
    expect(document.querySelector("a[download]")).toBeNull();
  });

  test("falls back to a data URL where object URLs are missing", () => {
    Object.defineProperty(URL, "createObjectURL", { configurable: true, writable: true, value: undefined });
    const clicked = linksClickedBy(() => downloadCsv("attendance.csv", "A,B\r\n"));
    expect(clicked.map((link) => link.href)).toEqual(["data:text/csv;charset=utf-8,%EF%BB%BFA%2CB%0D%0A"]);
  });
});
