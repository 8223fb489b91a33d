import { screen, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { newTest, seedCourse, seedEnrollment, seedUser } from "../../../testing/convex";
import { renderForNewUser, renderWithBackend } from "../../test/renderWithBackend";
import { MyCoursesPage } from "./MyCoursesPage";

describe("My courses", () => {
  test("a student sees each of their courses with batch, status and enrolment date, and nobody else's", async () => {
    const t = newTest();
    const student = await seedUser(t, { roles: ["student"], timeZone: "Asia/Kolkata" });
    const other = await seedUser(t, { roles: ["student"] });
    const web = await seedCourse(t, "Web Development", ["Batch 7"]);
    const data = await seedCourse(t, "Data Science");
    const design = await seedCourse(t, "UX Design");
    // 2025-03-02 20:00 UTC is already 3 March in India (UTC+5:30), the student's saved zone.
    await seedEnrollment(t, {
      studentId: student.userId,
      courseId: web.courseId,
      batchId: web.batchIds["Batch 7"],
      enrolledAt: Date.UTC(2025, 2, 2, 20),
    });
    await seedEnrollment(t, { studentId: student.userId, courseId: data.courseId, batchId: null, status: "paused" });
    await seedEnrollment(t, { studentId: other.userId, courseId: design.courseId, batchId: null });
    renderWithBackend(<MyCoursesPage />, { t, as: student, route: "/my-courses" });

    const webCard = await screen.findByRole("listitem", { name: "Web Development" });
    expect(within(webCard).getByText("Batch 7")).toBeInTheDocument();
    expect(within(webCard).getByText("Active")).toBeInTheDocument();
    expect(within(webCard).getByText(/Mar 3, 2025|3 Mar 2025/)).toHaveAttribute("dateTime", "2025-03-02T20:00:00.000Z");

    const dataCard = screen.getByRole("listitem", { name: "Data Science" });
    expect(within(dataCard).getByText("Unbatched")).toBeInTheDocument();
    expect(within(dataCard).getByText("Paused")).toBeInTheDocument();
    expect(screen.queryByText("UX Design")).not.toBeInTheDocument();
  });

  test("a student without enrollments sees an explanation", async () => {
    await renderForNewUser(<MyCoursesPage />, { roles: ["student"], route: "/my-courses" });
    expect(await screen.findByText("You are not enrolled in any course yet")).toBeInTheDocument();
  });
});
