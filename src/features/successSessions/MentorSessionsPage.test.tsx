import { screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { newTest, seedCourse, seedEnrollment, seedUser, type TestBackend } from "../../../testing/convex";
import { renderWithBackend } from "../../test/renderWithBackend";
import { MentorSessionsPage } from "./MentorSessionsPage";
import { clickWhenEnabled } from "../../test/interactions";

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// "Open meeting" is a real link with target="_blank"; jsdom cannot open tabs, so keep it from trying.
const stopNavigation = (event: MouseEvent) => event.preventDefault();
beforeEach(() => document.addEventListener("click", stopNavigation));
afterEach(() => document.removeEventListener("click", stopNavigation));

/** An admin, the mentors Maya (signed in) and Omar, and the course "Web Development" with its "Batch 12". */
async function mentorsOfWebDevelopment(t: TestBackend) {
  const admin = await seedUser(t, { roles: ["admin"] });
  const mentor = await seedUser(t, { roles: ["mentor"], name: "Maya Mentor" });
  const otherMentor = await seedUser(t, { roles: ["mentor"], name: "Omar Mentor" });
  const web = await seedCourse(t, "Web Development", ["Batch 12"]);
  return { admin, mentor, otherMentor, web, batchId: web.batchIds["Batch 12"] };
}

/** Stores sessions of `courseId` / `batchId` hosted by `mentorId`, one hour long, as the scheduler would. */
async function insertSessions(
  t: TestBackend,
  fields: { courseId: Id<"courses">; batchId: Id<"batches"> | null; mentorId: Id<"users">; createdBy: Id<"users"> },
  sessions: { title: string; startsAt: number }[],
) {
  await t.run(async (ctx) => {
    for (const { title, startsAt } of sessions) {
      await ctx.db.insert("successSessions", {
        ...fields,
        title,
        description: "",
        startsAt,
        endsAt: startsAt + HOUR,
        timeZone: "Europe/Berlin",
        status: startsAt + HOUR <= Date.now() ? "completed" : "upcoming",
        meetingUrl: "https://zoom.example.com/j/1",
        sequence: 0,
      });
    }
  });
}

/** The attendance picker of one student in the open roster. */
const attendanceOf = (name: string) => screen.getByRole("combobox", { name: `Attendance of ${name}` });

describe("My sessions (mentor)", () => {
  test("a mentor sees only their sessions, opens the attendees, marks present / late / excused / absent and corrects a mark", async () => {
    const t = newTest();
    const { admin, mentor, otherMentor, web, batchId } = await mentorsOfWebDevelopment(t);
    const students: Record<string, Id<"users">> = {};
    for (const name of ["Amira Student", "Ben Student", "Chloe Student", "Dev Student"]) {
      const student = await seedUser(t, { roles: ["student"], name });
      await seedEnrollment(t, { studentId: student.userId, courseId: web.courseId, batchId, enrolledAt: Date.now() - 30 * DAY });
      students[name] = student.userId;
    }
    const schedule = (title: string, mentorId: Id<"users">, startsAt: number) =>
      admin.as.mutation(api.successSessions.create, {
        title,
        courseId: web.courseId,
        batchId,
        mentorId,
        startsAt,
        timeZone: "Europe/Berlin",
        meetingUrl: "https://zoom.example.com/j/1",
      });
    // Starts in 10 minutes: attendance is open (from 15 minutes before the start).
    const {
      sessionIds: [sprintId],
    } = await schedule("Sprint review", mentor.userId, Date.now() + 10 * MINUTE);
    await schedule("Career Q&A", mentor.userId, Date.now() + 2 * DAY);
    await schedule("Omar's clinic", otherMentor.userId, Date.now() + DAY);

    const { user } = renderWithBackend(<MentorSessionsPage />, { t, as: mentor, route: "/mentor/sessions" });

    expect(await screen.findByText("Sprint review")).toBeInTheDocument();
    expect(screen.getByText("Career Q&A")).toBeInTheDocument();
    // Another mentor's session never reaches this mentor.
    expect(screen.queryByText("Omar's clinic")).not.toBeInTheDocument();
    // Everything fits on one page.
    expect(screen.queryByRole("button", { name: "Show more" })).not.toBeInTheDocument();

    const attendeesButton = screen.getByRole("button", { name: "Attendees of Sprint review" });
    expect(attendeesButton).toHaveAttribute("aria-expanded", "false");
    await user.click(attendeesButton);
    expect(attendeesButton).toHaveAttribute("aria-expanded", "true");
    for (const name of Object.keys(students)) expect(await screen.findByText(name)).toBeInTheDocument();
    expect(screen.getByText("Not marked: 4")).toBeInTheDocument();

    const marks = [
      ["Amira Student", "Present"],
      ["Ben Student", "Late"],
      ["Chloe Student", "Excused"],
      ["Dev Student", "Absent"],
    ] as const;
    for (const [name, label] of marks) {
      await user.click(attendanceOf(name));
      await user.click(await screen.findByRole("option", { name: label }));
      await waitFor(() => expect(attendanceOf(name)).toHaveValue(label));
    }
    expect(screen.getByText("Present: 1")).toBeInTheDocument();
    expect(screen.getByText("Late: 1")).toBeInTheDocument();
    expect(screen.getByText("Excused: 1")).toBeInTheDocument();
    expect(screen.getByText("Absent: 1")).toBeInTheDocument();
    expect(screen.getByText("Not marked: 0")).toBeInTheDocument();

    // Correcting a mark: Dev turned up late after all.
    await user.click(attendanceOf("Dev Student"));
    await user.click(await screen.findByRole("option", { name: "Late" }));
    await waitFor(() => expect(attendanceOf("Dev Student")).toHaveValue("Late"));
    expect(screen.getByText("Late: 2")).toBeInTheDocument();
    expect(screen.getByText("Absent: 0")).toBeInTheDocument();

    const stored = await t.run((ctx) => ctx.db.query("successSessionAttendance").collect());
    const byStudent = Object.fromEntries(stored.map((record) => [record.studentId, record]));
    expect(stored).toHaveLength(4);
    expect(stored.every((record) => record.sessionId === sprintId && record.markedBy === mentor.userId)).toBe(true);
    expect(byStudent[students["Amira Student"]].status).toBe("present");
    expect(byStudent[students["Ben Student"]].status).toBe("late");
    expect(byStudent[students["Chloe Student"]].status).toBe("excused");
    expect(byStudent[students["Dev Student"]].status).toBe("late");

    await user.click(attendeesButton);
    await waitFor(() => expect(screen.queryByRole("combobox", { name: "Attendance of Amira Student" })).not.toBeInTheDocument());
  });

  test("Show more loads the next page once, keeps the order, and takes in a session scheduled later without gaps or repeats", async () => {
    const t = newTest();
    const { admin, mentor, otherMentor, web, batchId } = await mentorsOfWebDevelopment(t);
    const fields = { courseId: web.courseId, batchId, createdBy: admin.userId };
    const now = Date.now();
    // 25 upcoming sessions of this mentor (a page is 20), one past, and another mentor's in between.
    const titleOf = (index: number) => `Session ${String(index).padStart(2, "0")}`;
    await insertSessions(t, { ...fields, mentorId: mentor.userId }, [...Array(25).keys()].map((index) => ({ title: titleOf(index + 1), startsAt: now + (index + 1) * DAY })));
    await insertSessions(t, { ...fields, mentorId: mentor.userId }, [{ title: "Last week's retro", startsAt: now - 7 * DAY }]);
    await insertSessions(t, { ...fields, mentorId: otherMentor.userId }, [{ title: "Omar's clinic", startsAt: now + 3 * DAY + HOUR }]);

    const { user, client } = renderWithBackend(<MentorSessionsPage />, { t, as: mentor, route: "/mentor/sessions" });
    const sessionTitles = () => screen.getAllByText(/^Session \d+/).map((element) => element.textContent);

    expect(await screen.findByText(titleOf(1))).toBeInTheDocument();
    expect(sessionTitles()).toEqual([...Array(20).keys()].map((index) => titleOf(index + 1)));
    await clickWhenEnabled(user, await screen.findByRole("button", { name: "Show more" }));

    expect(await screen.findByText(titleOf(25))).toBeInTheDocument();
    expect(sessionTitles()).toEqual([...Array(25).keys()].map((index) => titleOf(index + 1)));
    await waitFor(() => expect(screen.queryByRole("button", { name: "Show more" })).not.toBeInTheDocument());
    expect(screen.queryByText("Omar's clinic")).not.toBeInTheDocument();
    expect(screen.queryByText("Last week's retro")).not.toBeInTheDocument();

    // Scheduled on day 5 after both pages were loaded: it joins the first page, nothing drops out.
    await insertSessions(t, { ...fields, mentorId: mentor.userId }, [{ title: "Session 05b", startsAt: now + 5 * DAY + HOUR }]);
    await client.refresh();
    await waitFor(() => expect(screen.getByText("Session 05b")).toBeInTheDocument());
    const expected = [...Array(25).keys()].map((index) => titleOf(index + 1));
    expected.splice(5, 0, "Session 05b");
    expect(sessionTitles()).toEqual(expected);

    // The past tab starts over with its own list.
    await user.click(screen.getByRole("radio", { name: "Past" }));
    expect(await screen.findByText("Last week's retro")).toBeInTheDocument();
    expect(screen.queryByText(titleOf(1))).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Show more" })).not.toBeInTheDocument();
  });

  test("past sessions behind hundreds of cancelled ones still show: the list keeps loading instead of saying it is empty", async () => {
    const t = newTest();
    const { admin, mentor, web, batchId } = await mentorsOfWebDevelopment(t);
    const fields = { courseId: web.courseId, batchId, mentorId: mentor.userId, createdBy: admin.userId };
    const now = Date.now();
    await insertSessions(t, fields, [{ title: "Kick-off retrospective", startsAt: now - 90 * DAY }]);
    // More cancelled sessions after it than one call of the list reads (500 rows).
    await insertSessions(t, fields, [...Array(520).keys()].map((index) => ({ title: `Cancelled ${index}`, startsAt: now - 80 * DAY + index * HOUR })));
    await t.run(async (ctx) => {
      const sessions = await ctx.db
        .query("successSessions")
        .withIndex("by_mentor_and_start", (q) => q.eq("mentorId", mentor.userId).gt("startsAt", now - 85 * DAY))
        .collect();
      for (const session of sessions) await ctx.db.patch("successSessions", session._id, { status: "cancelled" });
    });

    const { user } = renderWithBackend(<MentorSessionsPage />, { t, as: mentor, route: "/mentor/sessions" });
    expect(await screen.findByText("No upcoming sessions")).toBeInTheDocument();
    await user.click(screen.getByRole("radio", { name: "Past" }));
    // Two calls of the list (500 rows, then the rest) before the first item: allow for a slow machine.
    expect(await screen.findByText("Kick-off retrospective", undefined, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.queryByText("No past sessions")).not.toBeInTheDocument();
    expect(screen.queryByText(/^Cancelled \d+/)).not.toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole("status")).not.toBeInTheDocument());
    expect(screen.queryByRole("button", { name: "Show more" })).not.toBeInTheDocument();
  });
});
