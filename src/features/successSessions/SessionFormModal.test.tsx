import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../../convex/_generated/api";
import { newTest, seedCourse, seedUser } from "../../../testing/convex";
import { renderWithBackend } from "../../test/renderWithBackend";
import { dayInZone } from "../../lib/time";
import { StaffSessionsPage } from "./StaffSessionsPage";
import { instantOf, localDateTime } from "../../../convex/model/time/localDates";

const DAY = 24 * 60 * 60 * 1000;

async function setUp() {
  const t = newTest();
  const admin = await seedUser(t, { roles: ["admin"], timeZone: "Europe/Berlin" });
  const mentor = await seedUser(t, { roles: ["mentor"], name: "Maya Mentor" });
  await seedUser(t, { roles: ["student"], name: "Sam Student" });
  const web = await seedCourse(t, "Web Development", ["Batch 11", "Batch 12"], ["Batch 11"]);
  await seedCourse(t, "Data Science", ["Batch 1"]);
  return { t, admin, mentor, web };
}

/** Opens the dialog and fills everything but the recurrence; the session starts in 3 days at 18:00 Berlin time. */
async function fillDialog(user: ReturnType<typeof renderWithBackend>["user"]) {
  await user.click((await screen.findAllByRole("button", { name: "Schedule session" }))[0]);
  const dialog = await screen.findByRole("dialog", { name: "Schedule session" });
  await user.click(within(dialog).getByLabelText(/^Title/));
  await user.paste("Sprint review");
  expect(within(dialog).getByRole("combobox", { name: /^Audience/ })).toBeDisabled();

  await user.click(within(dialog).getByRole("combobox", { name: /^Course/ }));
  await user.click(await within(dialog).findByRole("option", { name: "Web Development" }));
  await user.click(within(dialog).getByRole("combobox", { name: /^Audience/ }));
  // Only this course's active batches, plus the unbatched students.
  expect((await within(dialog).findAllByRole("option")).map((option) => option.textContent)).toEqual(["Batch 12", "Unbatched students"]);
  await user.keyboard("{Escape}");
  await user.click(within(dialog).getByLabelText("Show archived batches"));
  await user.click(within(dialog).getByRole("combobox", { name: /^Audience/ }));
  expect(await within(dialog).findByRole("option", { name: "Batch 11 (archived)" })).toBeInTheDocument();
  await user.click(within(dialog).getByRole("option", { name: "Batch 12" }));

  await user.click(within(dialog).getByRole("combobox", { name: /^Mentor/ }));
  await user.click(await within(dialog).findByRole("option", { name: "Maya Mentor" }));
  const day = dayInZone(Date.now() + 3 * DAY, "Europe/Berlin");
  fireEvent.change(within(dialog).getByLabelText(/^Date/), { target: { value: day } });
  fireEvent.change(within(dialog).getByLabelText(/^Start time/), { target: { value: "18:00" } });
  await user.click(within(dialog).getByLabelText(/^Meeting link/));
  await user.paste("https://zoom.example.com/j/777");
  return { dialog, day };
}

describe("Schedule session dialog (staff)", { timeout: 60_000 }, () => {
  test("an admin schedules a weekly series for a batch; it keeps 18:00 Berlin time", async () => {
    const { t, admin, web } = await setUp();
    const { user } = renderWithBackend(<StaffSessionsPage />, { t, as: admin, route: "/manage/success-sessions" });
    const { dialog, day } = await fillDialog(user);

    await user.click(within(dialog).getByRole("combobox", { name: "Repeat" }));
    await user.click(await within(dialog).findByRole("option", { name: /^Weekly on / }));
    const occurrences = within(dialog).getByLabelText(/^Occurrences/);
    await user.clear(occurrences);
    await user.type(occurrences, "3");
    await user.click(within(dialog).getByRole("button", { name: "Schedule" }));

    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Schedule session" })).not.toBeInTheDocument());
    const stored = await admin.as.query(api.successSessions.listForStaff, { paginationOpts: { numItems: 10, cursor: null } });
    expect(stored.page).toHaveLength(3);
    for (const [index, session] of stored.page.entries()) {
      expect(session).toMatchObject({ title: "Sprint review", courseId: web.courseId, batchId: web.batchIds["Batch 12"], mentorName: "Maya Mentor" });
      const local = localDateTime(session.startsAt, "Europe/Berlin");
      expect([local.hours, local.minutes]).toEqual([18, 0]);
      expect(session.endsAt - session.startsAt).toBe(60 * 60 * 1000);
      if (index === 0) expect(dayInZone(session.startsAt, "Europe/Berlin")).toBe(day);
    }
    const table = await screen.findByRole("table");
    expect(within(table).getAllByText("Sprint review")).toHaveLength(3);
    expect(within(table).getAllByText("Batch 12")).toHaveLength(3);
  });

  test("a mentor double-booking is refused with the clashing session listed, and nothing is saved", async () => {
    const { t, admin, mentor, web } = await setUp();
    const { user } = renderWithBackend(<StaffSessionsPage />, { t, as: admin, route: "/manage/success-sessions" });
    const { dialog, day } = await fillDialog(user);
    // Maya already hosts "Office hours" at 18:30 Berlin time that day (on another course's audience).
    const [year, month, date] = day.split("-").map(Number);
    const clashStart = instantOf({ year, month, day: date, hours: 18, minutes: 30 }, "Europe/Berlin");
    await admin.as.mutation(api.successSessions.create, {
      title: "Office hours",
      courseId: web.courseId,
      batchId: null,
      mentorId: mentor.userId,
      startsAt: clashStart,
      timeZone: "Europe/Berlin",
      meetingUrl: "https://zoom.example.com/j/1",
    });

    await user.click(within(dialog).getByRole("button", { name: "Schedule" }));
    const alert = await within(dialog).findByRole("alert", { name: "The mentor is already booked" });
    expect(within(alert).getByText(/overlaps “Office hours”/)).toBeInTheDocument();
    expect(screen.getByRole("dialog", { name: "Schedule session" })).toBeInTheDocument();
    const stored = await admin.as.query(api.successSessions.listForStaff, { paginationOpts: { numItems: 10, cursor: null } });
    expect(stored.page.map((session) => session.title)).toEqual(["Office hours"]);
  });
});
