import { screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { newTest, seedCourse, seedEnrollment, seedUser } from "../../testing/convex";
import { AppLayout } from "../app/AppLayout";
import { MyCoursesPage } from "../features/catalog/MyCoursesPage";
import { renderWithBackend } from "./renderWithBackend";

describe("renderWithBackend", () => {
  test("writes made by the test show up after client.refresh()", async () => {
    const t = newTest();
    const student = await seedUser(t, { roles: ["student"] });
    const { client } = renderWithBackend(<MyCoursesPage />, { t, as: student });
    expect(await screen.findByText("You are not enrolled in any course yet")).toBeInTheDocument();

    const { courseId } = await seedCourse(t, "Web Development");
    await seedEnrollment(t, { studentId: student.userId, courseId, batchId: null });
    await client.refresh();
    expect(await screen.findByRole("listitem", { name: "Web Development" })).toBeInTheDocument();
  });

  test("a query's ConvexError reaches the page's error state with the server's message", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    const { courseId } = await seedCourse(t, "Gone");
    await t.run((ctx) => ctx.db.delete("courses", courseId));
    renderWithBackend(<AppLayout />, { t, as: admin, route: `/manage/courses/${courseId}` });

    expect(await screen.findByRole("alert")).toHaveTextContent("That course does not exist.");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });

  test("a user whose account was deactivated is told so instead of seeing pages", async () => {
    const t = newTest();
    const student = await seedUser(t, { roles: ["student"] });
    await t.run((ctx) => ctx.db.patch("users", student.userId, { active: false }));
    renderWithBackend(<AppLayout />, { t, as: student });
    expect(await screen.findByRole("alert")).toHaveTextContent("This account has been deactivated.");
  });
});
