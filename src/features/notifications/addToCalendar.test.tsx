import { screen } from "@testing-library/react";
import { describe, expect, test, vi } from "vitest";
import { newTest, seedCourse, seedEnrollment, seedUser } from "../../../testing/convex";
import { insertSuccessSession } from "../../../convex/model/notifications/notifications.testkit";
import { captureDownloads } from "../../test/downloads";
import { renderWithBackend } from "../../test/renderWithBackend";
import { AddToCalendarButton } from "./addToCalendar";

describe("Add to calendar", () => {
  test("downloads the session's .ics with the feed's UID", async () => {
    const t = newTest();
    const mentor = await seedUser(t, { roles: ["mentor"] });
    const student = await seedUser(t, { roles: ["student"] });
    const { courseId } = await seedCourse(t, "Course");
    await seedEnrollment(t, { studentId: student.userId, courseId, batchId: null });
    const sessionId = await insertSuccessSession(t, { courseId, batchId: null, mentorId: mentor.userId, title: "Mock interviews" });
    const files = captureDownloads();
    const { user } = renderWithBackend(<AddToCalendarButton kind="success" sessionId={sessionId} />, { t, as: student });

    await user.click(await screen.findByRole("button", { name: "Add to calendar" }));
    await vi.waitFor(() => expect(files).toHaveLength(1));
    expect(files[0].filename).toBe("mock-interviews.ics");
    expect(files[0].blob.type).toBe("text/calendar;charset=utf-8");
    const text = await files[0].blob.text();
    expect(text).toContain("METHOD:PUBLISH");
    expect(text).toContain(`UID:success-${sessionId}@sessions-hub`);
  });

  test("a session the user may not see gives a message, not a file", async () => {
    const t = newTest();
    const mentor = await seedUser(t, { roles: ["mentor"] });
    const outsider = await seedUser(t, { roles: ["student"] });
    const { courseId } = await seedCourse(t, "Course");
    const sessionId = await insertSuccessSession(t, { courseId, batchId: null, mentorId: mentor.userId });
    const files = captureDownloads();
    const { user } = renderWithBackend(<AddToCalendarButton kind="success" sessionId={sessionId} />, { t, as: outsider });
    await user.click(await screen.findByRole("button", { name: "Add to calendar" }));
    expect(await screen.findByText("This session does not exist or is not visible to you.")).toBeInTheDocument();
    expect(files).toHaveLength(0);
  });
});
