import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../../convex/_generated/api";
import { insertCoachingSession } from "../../../convex/model/notifications/notifications.testkit";
import { newTest, seedCourse, seedEnrollment, seedUser } from "../../../testing/convex";
import { expectNoAxeViolations } from "../../test/axe";
import { renderForNewUser, renderWithBackend } from "../../test/renderWithBackend";
import { AppLayout } from "../../app/AppLayout";
import { freezeClockAt } from "../../test/clock";

/** Tuesday 1 December 2026, 15:00 UTC (10:00 in New York). */
const NOW = Date.UTC(2026, 11, 1, 15, 0);
const HOUR = 60 * 60 * 1000;
/** Tuesday 8 December 2026, 21:00 in New York. */
const FIRST_OCCURRENCE = Date.UTC(2026, 11, 9, 2, 0);

/**
 * FullCalendar keeps month events `visibility: hidden` until it has measured the layout, which
 * jsdom never does (in a browser they show), so month events are found by their text.
 */
function monthEvents(calendar: HTMLElement, title: string): HTMLElement[] {
  return within(calendar).queryAllByText(title).map((element) => element.closest("a")!);
}

freezeClockAt(NOW);

/** A student in New York with a weekly series of 8 Career Q&As (Tuesdays 9 PM) and a coaching booking. */
async function studentWorld() {
  const t = newTest();
  const admin = await seedUser(t, { roles: ["admin"] });
  const mentor = await seedUser(t, { roles: ["mentor"], name: "Maya Mentor" });
  const coach = await seedUser(t, { roles: ["coach"], name: "Cora Coach" });
  const student = await seedUser(t, { roles: ["student"], name: "Sam Student", timeZone: "America/New_York" });
  const course = await seedCourse(t, "Data Science", ["Batch 1"]);
  await seedEnrollment(t, { studentId: student.userId, courseId: course.courseId, batchId: course.batchIds["Batch 1"] });
  await admin.as.mutation(api.successSessions.create, {
    title: "Career Q&A",
    description: "",
    courseId: course.courseId,
    batchId: course.batchIds["Batch 1"],
    mentorId: mentor.userId,
    startsAt: FIRST_OCCURRENCE,
    endsAt: FIRST_OCCURRENCE + HOUR,
    timeZone: "America/New_York",
    meetingUrl: "https://zoom.example.com/j/1",
    recurrence: { frequency: "weekly", occurrences: 8 },
  });
  // Thursday 3 December, 12:00 in New York.
  await insertCoachingSession(t, { coachId: coach.userId, studentId: student.userId, startsAt: Date.UTC(2026, 11, 3, 17, 0) });
  return { t, student, mentor };
}

describe("My schedule", { timeout: 30_000 }, () => {
  test("agenda: a weekly series is one entry with its rule, next date and count; the coaching booking has its actions", async () => {
    const { t, student } = await studentWorld();
    renderWithBackend(<AppLayout />, { t, as: student, route: "/schedule?view=agenda" });

    const agenda = await screen.findByTestId("agenda");
    const series = within(agenda).getByRole("article", { name: "Career Q&A (series)" });
    expect(within(series).getByTestId("series-summary")).toHaveTextContent("every Tuesday 9:00 PM · next Tue, Dec 8 · 8 sessions");
    // Four occurrences fall in the four weeks shown, yet the series is listed once.
    expect(within(agenda).getAllByRole("article", { name: /Career Q&A/ })).toHaveLength(1);
    // Join is not open yet and says when it opens, with the date.
    const join = within(series).getByRole("button", { name: "Join Career Q&A" });
    expect(join).toBeDisabled();
    expect(join).toHaveAccessibleDescription(/^Opens Tue, Dec 8, 2026, 8:45\sPM$/);

    const coaching = within(agenda).getByRole("article", { name: "Coaching with Cora Coach" });
    expect(within(coaching).getByRole("button", { name: "Add to calendar: Coaching with Cora Coach" })).toBeInTheDocument();
    expect(within(coaching).getByRole("button", { name: "Cancel Coaching with Cora Coach" })).toBeInTheDocument();
    expect(within(coaching).getByRole("link", { name: "Coaching with Cora Coach" })).toHaveAttribute("href", "/coaching");
    // Days are headed in the viewer's zone, soonest first.
    const headings = within(agenda).getAllByRole("heading", { level: 3 }).map((heading) => heading.textContent);
    expect(headings).toEqual(["Thursday, December 3", "Tuesday, December 8"]);
    await expectNoAxeViolations();
  });

  test("week: the occurrence of that week is drawn in the calendar, and opening it shows its actions", async () => {
    const { t, student } = await studentWorld();
    const { user } = renderWithBackend(<AppLayout />, { t, as: student, route: "/schedule?view=week&day=2026-12-08" });
    const calendar = await screen.findByTestId("calendar-week");
    expect(screen.getByRole("heading", { level: 2, name: /^Dec 7\s*–\s*13, 2026$/ })).toBeInTheDocument();
    const event = await within(calendar).findByRole("link", { name: /Career Q&A/ });
    expect(within(calendar).getAllByRole("link", { name: /Career Q&A/ })).toHaveLength(1);
    await user.click(event);
    const dialog = await screen.findByRole("dialog", { name: "Career Q&A" });
    expect(within(dialog).getByRole("button", { name: "Add to calendar: Career Q&A" })).toBeInTheDocument();
    await expectNoAxeViolations();
  });

  test("month: every occurrence of the series in the month is drawn; next month shows the rest", async () => {
    const { t, student } = await studentWorld();
    const { user } = renderWithBackend(<AppLayout />, { t, as: student, route: "/schedule?view=month" });
    const calendar = await screen.findByTestId("calendar-month");
    expect(screen.getByRole("heading", { level: 2, name: "December 2026" })).toBeInTheDocument();
    // Tuesdays 8, 15, 22 and 29 December, each a link to the student's sessions.
    await waitFor(() => expect(monthEvents(calendar, "Career Q&A")).toHaveLength(4));
    for (const event of monthEvents(calendar, "Career Q&A")) expect(event).toHaveAttribute("href", "/sessions");
    expect(monthEvents(calendar, "Coaching with Cora Coach")).toHaveLength(1);

    await user.click(screen.getByRole("button", { name: "Next month" }));
    expect(await screen.findByRole("heading", { level: 2, name: "January 2027" })).toBeInTheDocument();
    const january = await screen.findByTestId("calendar-month");
    // The grid starts on Monday 28 December: the 29th, then 5, 12, 19 and 26 January (the 8th and last).
    await waitFor(() => expect(monthEvents(january, "Career Q&A")).toHaveLength(5));
    await expectNoAxeViolations();
  });

  test("the view switch changes the agenda into the month grid", async () => {
    const { t, student } = await studentWorld();
    const { user } = renderWithBackend(<AppLayout />, { t, as: student, route: "/schedule?view=agenda" });
    await screen.findByTestId("agenda");
    await user.click(screen.getByRole("radio", { name: "Month" }));
    expect(await screen.findByTestId("calendar-month")).toBeInTheDocument();
  });

  test("a student without a coaching product is told how to get one; the join box joins a class by code", async () => {
    const { t, student } = await studentWorld();
    const lecturer = await seedUser(t, { roles: ["lecturer"], name: "Leo Lecturer" });
    const { code } = await lecturer.as.mutation(api.codedSessions.create, { title: "SQL lab", endsAt: NOW + 2 * HOUR });
    const { user } = renderWithBackend(<AppLayout />, { t, as: student, route: "/schedule?view=agenda" });
    expect(await screen.findByRole("region", { name: "1:1 coaching" })).toHaveTextContent(/ask your enrollment manager/);

    const box = screen.getByRole("region", { name: "Join a class with a code" });
    await user.type(within(box).getByLabelText("Join code"), code);
    await user.click(within(box).getByRole("button", { name: "Find session" }));
    expect(await within(box).findByRole("heading", { name: "SQL lab" })).toBeInTheDocument();
  });

  test("a mentor sees the sessions they host, with the meeting link opening 15 minutes before", async () => {
    const { t, mentor } = await studentWorld();
    renderWithBackend(<AppLayout />, { t, as: mentor, route: "/schedule?view=agenda" });
    const series = await screen.findByRole("article", { name: "Career Q&A (series)" });
    expect(series).toHaveTextContent("You host");
    expect(series).toHaveTextContent(/Meeting link opens at \d{1,2}:45/);
    expect(within(series).getByRole("link", { name: "Career Q&A" })).toHaveAttribute("href", "/teach/success-sessions");
    expect(screen.queryByRole("region", { name: "1:1 coaching" })).not.toBeInTheDocument();
  });

  test("an empty schedule says so", async () => {
    await renderForNewUser(<AppLayout />, { roles: ["lecturer"], route: "/schedule?view=agenda" });
    expect(await screen.findByText("Nothing scheduled in these four weeks")).toBeInTheDocument();
  });
});
