import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../../convex/_generated/api";
import { instantOf } from "../../../convex/model/time/localDates";
import { newTest, seedCourse, seedUser } from "../../../testing/convex";
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
