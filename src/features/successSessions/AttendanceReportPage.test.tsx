import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import type { Id } from "../../../convex/_generated/dataModel";
import type { AttendanceStatus } from "../../../convex/tables/successSessions";
import { newTest, seedCourse, seedEnrollment, seedUser, type TestBackend } from "../../../testing/convex";
import { captureDownloads } from "../../test/downloads";
import { renderWithBackend } from "../../test/renderWithBackend";
import { AttendanceReportPage } from "./AttendanceReportPage";
import { clickWhenEnabled } from "../../test/interactions";
import { freezeClockAt } from "../../test/clock";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
/** The fake "now": 20 March 2025, 12:00 UTC. The page's default range starts 90 days earlier. */
const NOW = Date.UTC(2025, 2, 20, 12, 0);

/**
 * Data Science, Advanced (Batch 1, Batch 2, unbatched) and Web Development (Batch 9); two mentors.
 * Attendance, as the tables should show it:
 *   Kick-off      (DS Batch 1, Maya, 10 Mar 12:30 UTC): Lee present, Bo late             → 2/2 = 100%
 *   Model review  (DS Batch 1, Maya, 12 Mar): Lee absent, Bo excused                     → 0/1 = 0%
 *   Office hours  (DS Batch 1, Maya, 14 Mar): nobody marked                              → not in the report
 *   Batch 2 Q&A   (DS Batch 2, Omar, 13 Mar): Cara present                               → 100%
 *   Unbatched clinic (DS unbatched, Maya, 15 Mar): Dev absent                            → 0%
 *   Web intro     (Web Batch 9, Omar, 16 Mar): Eve present                               → 100%
 *   Students: Lee 1 of 2 = 50%; Bo 1 of 1 (one excused) = 100%; Cara 100%; Dev 0%; Eve 100%.
 */
async function seedWorld(t: TestBackend) {
  const admin = await seedUser(t, { roles: ["admin"], name: "Adam Admin", timeZone: "Asia/Kolkata" });
  const maya = await seedUser(t, { roles: ["mentor"], name: "Maya Mentor", timeZone: "UTC" });
  const omar = await seedUser(t, { roles: ["mentor"], name: "Omar Mentor" });
  const lonelyMentor = await seedUser(t, { roles: ["mentor"], name: "Nobody's Mentor" });
  const dataScience = await seedCourse(t, "Data Science, Advanced", ["Batch 1", "Batch 2"]);
  const web = await seedCourse(t, "Web Development", ["Batch 9"]);
  const enrolledAt = NOW - 60 * DAY;
  const student = async (name: string, email: string, courseId: Id<"courses">, batchId: Id<"batches"> | null) => {
    const user = await seedUser(t, { roles: ["student"], name, email });
    await seedEnrollment(t, { studentId: user.userId, courseId, batchId, enrolledAt });
    return user.userId;
  };
  const lee = await student("Lee, Ann", "lee@example.com", dataScience.courseId, dataScience.batchIds["Batch 1"]);
  const bo = await student('@Bo "Bobby" Smith', "bo@example.com", dataScience.courseId, dataScience.batchIds["Batch 1"]);
  const cara = await student("Cara Diaz", "cara@example.com", dataScience.courseId, dataScience.batchIds["Batch 2"]);
  const dev = await student("Dev Unbatched", "dev@example.com", dataScience.courseId, null);
  const eve = await student("Eve Web", "eve@example.com", web.courseId, web.batchIds["Batch 9"]);

  const session = (
    title: string,
    courseId: Id<"courses">,
    batchId: Id<"batches"> | null,
    mentorId: Id<"users">,
    startsAt: number,
    attendance: [Id<"users">, AttendanceStatus][],
  ) =>
    t.run(async (ctx) => {
      const sessionId = await ctx.db.insert("successSessions", {
        title,
        description: "",
        courseId,
        batchId,
        mentorId,
        startsAt,
        endsAt: startsAt + HOUR,
        timeZone: "Europe/Berlin",
        status: "completed",
        meetingUrl: "https://zoom.example.com/j/1",
        sequence: 0,
        createdBy: admin.userId,
      });
      for (const [studentId, status] of attendance) {
        await ctx.db.insert("successSessionAttendance", { sessionId, studentId, status, markedBy: mentorId, markedAt: startsAt + HOUR });
      }
    });
  const batch1 = dataScience.batchIds["Batch 1"];
  await session("Kick-off", dataScience.courseId, batch1, maya.userId, Date.UTC(2025, 2, 10, 12, 30), [
    [lee, "present"],
    [bo, "late"],
  ]);
  await session("Model review", dataScience.courseId, batch1, maya.userId, Date.UTC(2025, 2, 12, 12, 30), [
    [lee, "absent"],
    [bo, "excused"],
  ]);
  await session("Office hours", dataScience.courseId, batch1, maya.userId, Date.UTC(2025, 2, 14, 12, 30), []);
  await session("Batch 2 Q&A", dataScience.courseId, dataScience.batchIds["Batch 2"], omar.userId, Date.UTC(2025, 2, 13, 12, 30), [
    [cara, "present"],
  ]);
  await session("Unbatched clinic", dataScience.courseId, null, maya.userId, Date.UTC(2025, 2, 15, 12, 30), [[dev, "absent"]]);
  await session("Web intro", web.courseId, web.batchIds["Batch 9"], omar.userId, Date.UTC(2025, 2, 16, 12, 30), [[eve, "present"]]);
  return { admin, maya, omar, lonelyMentor };
}

/** The text of each cell of the row of `table` whose first cell starts with `firstCell`. */
function rowCells(table: HTMLElement, firstCell: string): string[] {
  const row = within(table)
    .getAllByRole("row")
    .find((candidate) => within(candidate).queryAllByRole("cell")[0]?.textContent?.startsWith(firstCell));
  if (row === undefined) throw new Error(`No row for ${firstCell}`);
  return within(row)
    .getAllByRole("cell")
    .map((cell) => cell.textContent ?? "");
}

/** The first cell's text of every data row of `table`. */
function firstCells(table: HTMLElement): string[] {
  return within(table)
    .getAllByRole("row")
    .slice(1)
    .map((row) => within(row).getAllByRole("cell")[0].textContent ?? "");
}

const studentsTable = () => screen.findByRole("table", { name: "Students" });
const sessionsTable = () => screen.findByRole("table", { name: "Sessions" });

async function pick(user: ReturnType<typeof renderWithBackend>["user"], label: string, option: string) {
  await clickWhenEnabled(user, screen.getByRole("combobox", { name: label }));
  await user.click(await screen.findByRole("option", { name: option }));
}

freezeClockAt(NOW);

describe("Attendance report (staff)", () => {
  test("shows each session's turnout and each student's percentage from the recorded attendance", async () => {
    const t = newTest();
    const { admin } = await seedWorld(t);
    renderWithBackend(<AttendanceReportPage />, { t, as: admin, route: "/manage/attendance" });

    const sessions = await sessionsTable();
    // Latest first; the session nobody marked is not counted.
    expect(firstCells(sessions)).toEqual(["Web intro", "Unbatched clinic", "Batch 2 Q&A", "Model review", "Kick-off"]);
    // Session, starts, audience, mentor, present, late, excused, absent, expected, turnout.
    expect(rowCells(sessions, "Kick-off")).toEqual([
      "Kick-off",
      expect.stringMatching(/(18:00|6:00\sPM)/), // 12:30 UTC in the admin's zone (Asia/Kolkata), in the locale's clock
      "Data Science, Advanced · Batch 1",
      "Maya Mentor",
      "1",
      "1",
      "0",
      "0",
      "2",
      "100%",
    ]);
    expect(rowCells(sessions, "Model review").slice(2)).toEqual(["Data Science, Advanced · Batch 1", "Maya Mentor", "0", "0", "1", "1", "2", "0%"]);
    expect(rowCells(sessions, "Unbatched clinic").slice(2)).toEqual([
      "Data Science, Advanced · Unbatched students",
      "Maya Mentor",
      "0",
      "0",
      "0",
      "1",
      "1",
      "0%",
    ]);
    expect(screen.queryByText("Office hours")).not.toBeInTheDocument();

    const students = await studentsTable();
    // Student (name and email), sessions, attended, late, excused, missed, attendance.
    expect(rowCells(students, "Lee, Ann")).toEqual(["Lee, Annlee@example.com", "2", "1", "0", "0", "1", "50%"]);
    expect(rowCells(students, '@Bo "Bobby" Smith')).toEqual(['@Bo "Bobby" Smithbo@example.com', "2", "1", "1", "1", "0", "100%"]);
    expect(rowCells(students, "Cara Diaz").slice(1)).toEqual(["1", "1", "0", "0", "0", "100%"]);
    expect(rowCells(students, "Dev Unbatched").slice(1)).toEqual(["1", "0", "0", "0", "1", "0%"]);
    expect(rowCells(students, "Eve Web").slice(1)).toEqual(["1", "1", "0", "0", "0", "100%"]);
  });

  test("filtering by course, then batch or unbatched students, and by dates changes the rows", async () => {
    const t = newTest();
    const { admin } = await seedWorld(t);
    const { user } = renderWithBackend(<AttendanceReportPage />, { t, as: admin, route: "/manage/attendance" });
    await sessionsTable();
    expect(screen.getByRole("combobox", { name: "Batch" })).toBeDisabled();

    await pick(user, "Course", "Data Science, Advanced");
    await waitFor(async () => expect(firstCells(await sessionsTable())).toEqual(["Unbatched clinic", "Batch 2 Q&A", "Model review", "Kick-off"]));
    expect(screen.queryByText("Eve Web")).not.toBeInTheDocument();

    // Only this course's batches are offered, plus the unbatched students.
    await user.click(screen.getByRole("combobox", { name: "Batch" }));
    const listbox = await screen.findByRole("listbox");
    expect(within(listbox).getAllByRole("option").map((option) => option.textContent)).toEqual([
      "All students",
      "Batch 1",
      "Batch 2",
      "Unbatched students",
    ]);
    await user.click(within(listbox).getByRole("option", { name: "Batch 1" }));
    await waitFor(async () => expect(firstCells(await sessionsTable())).toEqual(["Model review", "Kick-off"]));
    expect(firstCells(await studentsTable())).toEqual(['@Bo "Bobby" Smithbo@example.com', "Lee, Annlee@example.com"]);

    await pick(user, "Batch", "Unbatched students");
    await waitFor(async () => expect(firstCells(await sessionsTable())).toEqual(["Unbatched clinic"]));
    expect(firstCells(await studentsTable())).toEqual(["Dev Unbatcheddev@example.com"]);

    // Back to the whole course, from 13 March (in the admin's zone): the two early sessions drop out.
    await pick(user, "Batch", "All students");
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2025-03-13" } });
    await waitFor(async () => expect(firstCells(await sessionsTable())).toEqual(["Unbatched clinic", "Batch 2 Q&A"]));
    // An end before the start is pointed out instead of showing an empty report.
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "2025-03-01" } });
    expect(await screen.findByText("The end date is before the start date.")).toBeInTheDocument();
    expect(screen.queryByRole("table", { name: "Sessions" })).not.toBeInTheDocument();
    // Through the end of the "To" day: 13 March includes the session at 12:30 UTC that day.
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "2025-03-13" } });
    await waitFor(async () => expect(firstCells(await sessionsTable())).toEqual(["Batch 2 Q&A"]));
  });

  test("the CSV downloads hold the filtered rows, quoted and defused, with times in the viewer's zone", async () => {
    const t = newTest();
    const { admin } = await seedWorld(t);
    const downloads = captureDownloads();
    const { user } = renderWithBackend(<AttendanceReportPage />, { t, as: admin, route: "/manage/attendance" });
    await sessionsTable();
    await pick(user, "Course", "Data Science, Advanced");
    await pick(user, "Batch", "Batch 1");
    await waitFor(async () => expect(firstCells(await sessionsTable())).toEqual(["Model review", "Kick-off"]));

    await user.click(screen.getByRole("button", { name: "Download students CSV" }));
    await user.click(screen.getByRole("button", { name: "Download sessions CSV" }));
    expect(downloads.map((file) => file.filename)).toEqual([
      "attendance-students-data-science-advanced-batch-1-2024-12-20-to-2025-03-20.csv",
      "attendance-sessions-data-science-advanced-batch-1-2024-12-20-to-2025-03-20.csv",
    ]);
    const [studentsText, sessionsText] = await Promise.all(downloads.map((file) => file.blob.text()));
    expect(studentsText).toBe(
      "Student,Email,Sessions counted,Attended (present or late),Late,Excused,Missed,Attendance %\r\n" +
        `"'@Bo ""Bobby"" Smith",bo@example.com,2,1,1,1,0,100\r\n` +
        '"Lee, Ann",lee@example.com,2,1,0,0,1,50\r\n',
    );
    expect(sessionsText).toBe(
      "Session,Starts (Asia/Kolkata),Starts UTC (ISO 8601),Course,Audience,Mentor,Present,Late,Excused,Absent,Expected,Turnout %\r\n" +
        'Model review,2025-03-12 18:00,2025-03-12T12:30:00.000Z,"Data Science, Advanced",Batch 1,Maya Mentor,0,0,1,1,2,0\r\n' +
        'Kick-off,2025-03-10 18:00,2025-03-10T12:30:00.000Z,"Data Science, Advanced",Batch 1,Maya Mentor,1,1,0,0,2,100\r\n',
    );
  });
});

describe("Attendance report (mentor)", () => {
  test("a mentor sees only their own sessions, and only their courses and batches as filters", async () => {
    const t = newTest();
    const { maya } = await seedWorld(t);
    const downloads = captureDownloads();
    const { user } = renderWithBackend(<AttendanceReportPage />, { t, as: maya, route: "/teach/attendance" });

    const sessions = await sessionsTable();
    expect(firstCells(sessions)).toEqual(["Unbatched clinic", "Model review", "Kick-off"]);
    expect(screen.queryByText("Batch 2 Q&A")).not.toBeInTheDocument();
    expect(screen.queryByText("Web intro")).not.toBeInTheDocument();
    expect(firstCells(await studentsTable())).toEqual([
      '@Bo "Bobby" Smithbo@example.com',
      "Dev Unbatcheddev@example.com",
      "Lee, Annlee@example.com",
    ]);

    await user.click(screen.getByRole("combobox", { name: "Course" }));
    const courses = await screen.findByRole("listbox");
    expect(within(courses).getAllByRole("option").map((option) => option.textContent)).toEqual(["All courses", "Data Science, Advanced"]);
    await user.click(within(courses).getByRole("option", { name: "Data Science, Advanced" }));
    await user.click(screen.getByRole("combobox", { name: "Batch" }));
    const batches = await screen.findByRole("listbox");
    await waitFor(() =>
      expect(within(batches).getAllByRole("option").map((option) => option.textContent)).toEqual([
        "All students",
        "Batch 1",
        "Unbatched students",
      ]),
    );
    await user.click(within(batches).getByRole("option", { name: "Unbatched students" }));
    await waitFor(async () => expect(firstCells(await sessionsTable())).toEqual(["Unbatched clinic"]));

    // Her CSV has her own sessions only, times in her zone (UTC).
    await user.click(screen.getByRole("button", { name: "Download sessions CSV" }));
    expect(downloads.map((file) => file.filename)).toEqual(["attendance-sessions-data-science-advanced-unbatched-students-2024-12-20-to-2025-03-20.csv"]);
    const [sessionsText] = await Promise.all(downloads.map((file) => file.blob.text()));
    expect(sessionsText).toBe(
      "Session,Starts (UTC),Starts UTC (ISO 8601),Course,Audience,Mentor,Present,Late,Excused,Absent,Expected,Turnout %\r\n" +
        'Unbatched clinic,2025-03-15 12:30,2025-03-15T12:30:00.000Z,"Data Science, Advanced",Unbatched students,Maya Mentor,0,0,0,1,1,0\r\n',
    );
  });

  test("a mentor without attendance taken sees an empty state, not an empty table", async () => {
    const t = newTest();
    const { lonelyMentor } = await seedWorld(t);
    renderWithBackend(<AttendanceReportPage />, { t, as: lonelyMentor, route: "/teach/attendance" });
    expect(await screen.findByText("No attendance taken in this range")).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Download students CSV" })).not.toBeInTheDocument();
  });
});
