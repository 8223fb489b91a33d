import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../../convex/_generated/api";
import { instantOf } from "../../../convex/model/time/localDates";
import { newTest, seedCourse, seedUser } from "../../../testing/convex";
import type { Id } from "../../../convex/_generated/dataModel";
import { clickWhenEnabled } from "../../test/interactions";
import { renderWithBackend } from "../../test/renderWithBackend";
import { StaffSessionsPage } from "./StaffSessionsPage";

describe("Success sessions (staff): the day filter", { timeout: 60_000 }, () => {
  test("“To” a day on which clocks go back covers all 25 hours of it, and not the next day", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"], timeZone: "Europe/Berlin" });
    const mentor = await seedUser(t, { roles: ["mentor"], name: "Maya Mentor" });
    const web = await seedCourse(t, "Web Development", ["Batch 12"]);
    // Berlin leaves summer time at 03:00 on Sunday 31 October 2027: that day is 25 hours long.
    const session = (title: string, day: number, hours: number, minutes: number) =>
      admin.as.mutation(api.successSessions.create, {
        title,
        courseId: web.courseId,
        batchId: null,
        mentorId: mentor.userId,
        startsAt: instantOf({ year: 2027, month: day === 31 ? 10 : 11, day, hours, minutes }, "Europe/Berlin"),
        timeZone: "Europe/Berlin",
        meetingUrl: "https://zoom.example.com/j/1",
      });
    await session("Late review", 31, 23, 30);
    await session("Next morning", 1, 1, 30);

    const { user } = renderWithBackend(<StaffSessionsPage />, { t, as: admin, route: "/manage/success-sessions" });
    for (const label of ["From", "To"]) {
      const input = await screen.findByRole("textbox", { name: label });
      await user.clear(input);
      await user.type(input, "2027-10-31");
      await user.tab();
    }

    const table = await screen.findByRole("table");
    await waitFor(() => expect(within(table).getByText("Late review")).toBeInTheDocument());
    expect(within(table).queryByText("Next morning")).not.toBeInTheDocument();
  });
});

describe("Success sessions (staff): the course and batch filters", { timeout: 60_000 }, () => {
  test("the batch filter waits for a course, then offers its batches (archived ones marked) and narrows the list", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    const mentor = await seedUser(t, { roles: ["mentor"], name: "Maya Mentor" });
    const web = await seedCourse(t, "Web Development", ["Batch 11", "Batch 12"], ["Batch 11"]);
    await seedCourse(t, "Data Science", ["Batch 1"]);
    const session = (title: string, batchId: Id<"batches"> | null, inDays: number) =>
      admin.as.mutation(api.successSessions.create, {
        title,
        courseId: web.courseId,
        batchId,
        mentorId: mentor.userId,
        startsAt: Date.now() + inDays * 24 * 60 * 60 * 1000,
        timeZone: "UTC",
        meetingUrl: "https://zoom.example.com/j/1",
      });
    await session("Sprint review", web.batchIds["Batch 12"], 2);
    await session("Unbatched welcome", null, 3);

    const { user } = renderWithBackend(<StaffSessionsPage />, { t, as: admin, route: "/manage/success-sessions" });
    const table = await screen.findByRole("table");
    await waitFor(() => expect(within(table).getByText("Unbatched welcome")).toBeInTheDocument());
    expect(screen.getByRole("combobox", { name: "Batch" })).toBeDisabled();
    expect(screen.getByText("Pick a course first")).toBeInTheDocument();

    await user.type(screen.getByRole("combobox", { name: "Course" }), "Biology");
    expect(await screen.findByText("No course matches")).toBeInTheDocument();
    await user.clear(screen.getByRole("combobox", { name: "Course" }));
    await user.click(await screen.findByRole("option", { name: "Web Development" }));

    await clickWhenEnabled(user, screen.getByRole("combobox", { name: "Batch" }));
    expect((await screen.findAllByRole("option")).map((option) => option.textContent)).toEqual([
      "All students",
      "Batch 12",
      "Batch 11 (archived)",
      "Unbatched students",
    ]);
    await user.click(screen.getByRole("option", { name: "Batch 12" }));
    await waitFor(() => expect(within(screen.getByRole("table")).queryByText("Unbatched welcome")).not.toBeInTheDocument());
    expect(within(screen.getByRole("table")).getByText("Sprint review")).toBeInTheDocument();
  });
});
