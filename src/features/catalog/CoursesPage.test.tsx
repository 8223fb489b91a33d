import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import type { Id } from "../../../convex/_generated/dataModel";
import { api } from "../../../convex/_generated/api";
import { newTest, seedCourse, seedUser, type TestBackend } from "../../../testing/convex";
import { renderWithBackend, type SignedInAs } from "../../test/renderWithBackend";
import { CourseDetailPage } from "./CourseDetailPage";
import { CoursesPage } from "./CoursesPage";

/** The course's page at `/manage/courses/<courseId>` (with `search`, e.g. "?tab=batches"), signed in as `as`. */
function renderCoursePage(t: TestBackend, as: SignedInAs, courseId: Id<"courses">, search = "") {
  return renderWithBackend(<CourseDetailPage />, { t, as, route: `/manage/courses/${courseId}${search}`, path: "/manage/courses/:courseId" });
}

describe("Courses page", () => {
  test("an admin creates a course and it appears in the list", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    const { user } = renderWithBackend(<CoursesPage />, { t, as: admin, route: "/manage/courses" });

    expect(await screen.findByText("No courses yet")).toBeInTheDocument();
    await user.click(screen.getAllByRole("button", { name: "New course" })[0]);
    const dialog = await screen.findByRole("dialog", { name: "New course" });
    await user.type(within(dialog).getByLabelText(/Title/), "  Data Science  ");
    await user.type(within(dialog).getByLabelText("Description"), "Python, statistics and ML");
    await user.click(within(dialog).getByRole("button", { name: "Create course" }));

    const link = await screen.findByRole("link", { name: "Data Science" });
    expect(link).toHaveAttribute("href", expect.stringMatching(/^\/manage\/courses\/.+/));
    expect(screen.queryByRole("dialog", { name: "New course" })).not.toBeInTheDocument();
    const stored = await admin.as.query(api.catalog.listCourses, {});
    expect(stored.map((course) => [course.title, course.description])).toEqual([["Data Science", "Python, statistics and ML"]]);
  });

  test("an empty title shows the validation message and writes nothing", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    const { user } = renderWithBackend(<CoursesPage />, { t, as: admin, route: "/manage/courses" });

    await user.click((await screen.findAllByRole("button", { name: "New course" }))[0]);
    const dialog = await screen.findByRole("dialog", { name: "New course" });
    await user.type(within(dialog).getByLabelText(/Title/), "   ");
    await user.click(within(dialog).getByRole("button", { name: "Create course" }));

    expect(await within(dialog).findByText("Title is required.")).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/Title/)).toHaveAttribute("aria-invalid", "true");
    expect(await admin.as.query(api.catalog.listCourses, { includeArchived: true })).toEqual([]);
  });

  test("an admin archives a course after confirming, and restores it", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    await seedCourse(t, "Web Development");
    const { user } = renderWithBackend(<CoursesPage />, { t, as: admin, route: "/manage/courses" });

    await user.click(await screen.findByRole("button", { name: "Archive Web Development" }));
    const dialog = await screen.findByRole("dialog", { name: 'Archive "Web Development"?' });
    await user.click(within(dialog).getByRole("button", { name: "Archive" }));
    expect(await screen.findByText("No courses yet")).toBeInTheDocument();

    await user.click(screen.getByLabelText("Show archived courses"));
    await user.click(await screen.findByRole("button", { name: "Restore Web Development" }));
    expect(await screen.findByRole("button", { name: "Archive Web Development" })).toBeInTheDocument();
    const [course] = await admin.as.query(api.catalog.listCourses, {});
    expect(course.status).toBe("active");
  });

  test("an enrollment manager sees the courses read-only", async () => {
    const t = newTest();
    const manager = await seedUser(t, { roles: ["enrollment_manager"] });
    await seedCourse(t, "Web Development");
    renderWithBackend(<CoursesPage />, { t, as: manager, route: "/manage/courses" });

    expect(await screen.findByRole("link", { name: "Web Development" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "New course" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Archive/ })).not.toBeInTheDocument();
  });
});

describe("Course page", () => {
  test("a duplicate batch name shows the server's message under the field", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    const { courseId } = await seedCourse(t, "Web Development", ["Batch 1"]);
    const { user } = renderCoursePage(t, admin, courseId, "?tab=batches");

    await user.click(await screen.findByRole("button", { name: "New batch" }));
    const dialog = await screen.findByRole("dialog", { name: "New batch" });
    await user.type(within(dialog).getByLabelText(/Batch name/), "batch 1");
    await user.click(within(dialog).getByRole("button", { name: "Create batch" }));

    expect(await within(dialog).findByText('This course already has a batch named "batch 1".')).toBeInTheDocument();
    const batches = await admin.as.query(api.catalog.listBatches, { courseId, includeArchived: true });
    expect(batches.map((batch) => batch.name)).toEqual(["Batch 1"]);
  });

  test("an enrollment manager enrolls a student by email into a batch and filters by batch", async () => {
    const t = newTest();
    const manager = await seedUser(t, { roles: ["enrollment_manager"] });
    const student = await seedUser(t, { roles: ["student"], name: "Priya Patel", email: "priya@example.com" });
    await seedUser(t, { roles: ["mentor"], name: "Mo Mentor", email: "mo@example.com" });
    const { courseId, batchIds } = await seedCourse(t, "Web Development", ["Batch 1", "Batch 2"]);
    const { user } = renderCoursePage(t, manager, courseId);

    expect(await screen.findByText("Nobody is enrolled yet")).toBeInTheDocument();
    await user.click(screen.getAllByRole("button", { name: "Enroll student" })[0]);
    const dialog = await screen.findByRole("dialog", { name: "Enroll a student in Web Development" });

    // A user without the student role is found but cannot be enrolled.
    await user.type(within(dialog).getByLabelText("Student email"), "mo@example.com");
    await user.click(within(dialog).getByRole("button", { name: "Find" }));
    expect(await within(dialog).findByText(/Mo Mentor is not a student/)).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Enroll" })).toBeDisabled();

    await user.clear(within(dialog).getByLabelText("Student email"));
    await user.type(within(dialog).getByLabelText("Student email"), "PRIYA@example.com{Enter}");
    expect(await within(dialog).findByText("Found Priya Patel (priya@example.com).")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("combobox", { name: "Batch" }));
    await user.click(await within(dialog).findByRole("option", { name: "Batch 2" }));
    await user.click(within(dialog).getByRole("button", { name: "Enroll" }));

    const table = await screen.findByRole("table", { name: "Enrollments of Web Development" });
    expect(within(table).getByText("Priya Patel")).toBeInTheDocument();
    expect(within(table).getByRole("combobox", { name: "Batch of Priya Patel" })).toHaveValue("Batch 2");
    const [enrollment] = await manager.as.query(api.enrollments.listForStudent, { studentId: student.userId });
    expect(enrollment.batchId).toBe(batchIds["Batch 2"]);

    // Filtering by "Unbatched" hides her; by her batch shows her again.
    await user.click(screen.getByRole("combobox", { name: "Batch" }));
    await user.click(await screen.findByRole("option", { name: "Unbatched" }));
    expect(await screen.findByText("No enrollments match these filters")).toBeInTheDocument();
    await user.click(screen.getByRole("combobox", { name: "Batch" }));
    await user.click(await screen.findByRole("option", { name: "Batch 2" }));
    expect(await screen.findByText("Priya Patel")).toBeInTheDocument();
  });

  test("changing an enrollment's status in place saves it", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    const student = await seedUser(t, { roles: ["student"], name: "Priya Patel" });
    const { courseId } = await seedCourse(t, "Web Development");
    await admin.as.mutation(api.enrollments.enroll, { studentId: student.userId, courseId, batchId: null });
    const { user } = renderCoursePage(t, admin, courseId);

    await user.click(await screen.findByRole("combobox", { name: "Status of Priya Patel" }));
    await user.click(await screen.findByRole("option", { name: "Paused" }));
    await waitFor(async () => {
      const [enrollment] = await admin.as.query(api.enrollments.listForStudent, { studentId: student.userId });
      expect(enrollment.status).toBe("paused");
    });
    expect(screen.getByRole("combobox", { name: "Status of Priya Patel" })).toHaveValue("Paused");
  });
});
